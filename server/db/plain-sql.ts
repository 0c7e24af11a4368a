// Plain SQL on a Prisma client's own pg pool, for the engine's hot statements (a tree's claim, loads, rollout writes
// and finish). The same statements through `prisma.$queryRaw` cost about three times the CPU (measured: 0.82 vs
// 0.26 ms per statement), and the engine is CPU-bound (`o1c bench engine`). Same pool, so the same connection limit
// and the same handling of dropped connections; statements are still built with Prisma.sql, so values are always
// parameters. Transactions stay with Prisma.
import type pg from "pg";
import type { Db } from "./client.ts";
import type { Prisma } from "./generated/client.ts";

const pools = new WeakMap<object, pg.Pool>();

/** Called by createPrismaClient for the pool behind each client. */
export function registerPool(client: object, pool: pg.Pool): void {
  pools.set(client, pool);
}

/**
 * Runs one statement on `client`'s pool and returns its rows (pg's types: int4/float8 → number, json → object). A
 * client that did not come from createPrismaClient (e.g. one extended with $extends) runs it through $queryRaw.
 */
export async function queryRows<T>(client: Db, sql: Prisma.Sql): Promise<T[]> {
  const pool = pools.get(client);
  if (!pool) return client.$queryRaw<T[]>(sql);
  const result = await pool.query(sql.text, sql.values as unknown[]);
  return result.rows as T[];
}
