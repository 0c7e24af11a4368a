// Plain SQL on a Prisma client's own pg pool, for the engine's hot statements (a tree's claim, loads, rollout writes
// and finish). The same statements through `prisma.$queryRaw` cost about three times the CPU (measured: 0.82 vs
// 0.26 ms per statement), and the engine is CPU-bound (`o1c bench engine`). Same pool, so the same connection limit
// and the same handling of dropped connections; statements are still built with Prisma.sql, so values are always
// parameters. Transactions stay with Prisma.
import type pg from "pg";
import type { Db } from "./client.ts";
import type { Prisma } from "./generated/client.ts";

// On globalThis: `o1c serve` loads this module twice (its own modules and Next's bundle of the route handlers), and a
// client registered by one copy must be found by the other (the database handle itself is shared the same way); the
// statement names too, or each copy would give its own first text the same name on the shared connections.
const globalCache = globalThis as unknown as {
  __o1cPlainSql?: { pools: WeakMap<object, { pool: pg.Pool; prepared: boolean }>; statementNames: Map<string, string> };
};
const { pools, statementNames } = (globalCache.__o1cPlainSql ??= { pools: new WeakMap(), statementNames: new Map() });

/**
 * Called by createPrismaClient for the pool behind each client. `prepared`: each statement text is parsed and planned
 * once per connection and then executed by name (see queryRows); off for PGlite, whose one session all connections
 * share (two connections would both create the same name).
 */
export function registerPool(client: object, pool: pg.Pool, options: { prepared?: boolean } = {}): void {
  pools.set(client, { pool, prepared: options.prepared ?? false });
}

/**
 * Statement names by text, the same in every connection of this process (a name is per connection, i.e. per session;
 * PGlite's one session shared by all connections would see one name prepared twice, hence off there). Bounded, in
 * case a caller builds texts that vary without end: past the bound, statements run unnamed as before. A text whose
 * prepared form stopped working runs unnamed from then on ("": pg prepares no name).
 */
const MAX_NAMED_STATEMENTS = 200;

function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `o1c_plain_${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * A prepared statement the server no longer accepts: its row type changed under it (a migration replaced a function
 * or table it reads: "cached plan must not change result type") or the session lost it (a pooler's DISCARD ALL).
 */
function isStalePreparedStatement(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "0A000" || code === "26000";
}

/**
 * Runs one statement on `client`'s pool and returns its rows (pg's types: int4/float8 → number, json → object). A
 * client that did not come from createPrismaClient (e.g. one extended with $extends) runs it through $queryRaw.
 * On a pool registered with `prepared`, the statement is a named one: parsed and planned by the server once per
 * connection, which for the engine's progress write (a statement of a dozen CTEs) was three quarters of its database
 * CPU (0.67 vs 0.17 ms per statement, measured on a write that matched no tree).
 */
export async function queryRows<T>(client: Db, sql: Prisma.Sql): Promise<T[]> {
  const entry = pools.get(client);
  if (!entry) return client.$queryRaw<T[]>(sql);
  const values = sql.values as unknown[];
  const name = entry.prepared ? statementName(sql.text) : undefined;
  if (!name) return (await entry.pool.query(sql.text, values)).rows as T[];
  try {
    return (await entry.pool.query({ name, text: sql.text, values })).rows as T[];
  } catch (error) {
    if (!isStalePreparedStatement(error)) throw error;
    statementNames.set(sql.text, "");
    return (await entry.pool.query(sql.text, values)).rows as T[];
  }
}
