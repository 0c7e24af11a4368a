// Several connections querying the embedded database at once: without the group fix in pglite-socket-fix.ts their
// extended-protocol messages interleave and fail ("bind message supplies 2 parameters…").
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { expect, it } from "vitest";
import { poolConfigFromUrl } from "../../server/db/database-url.ts";
import { openEmbeddedDatabase } from "../../server/db/embedded.ts";

it("serves parameterised queries from many connections at once without mixing them up", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "o1c-embedded-concurrency-"));
  const db = await openEmbeddedDatabase(dir);
  const pools = [1, 2, 3, 4].map(() => new pg.Pool(poolConfigFromUrl(db.url, { max: 2 })));
  try {
    await pools[0]!.query("CREATE TABLE t (a int, b text, c int)");
    const work = pools.flatMap((pool, p) =>
      Array.from({ length: 50 }, (_, i) =>
        i % 2 === 0
          ? pool.query("INSERT INTO t (a, b, c) VALUES ($1, $2, $3)", [p, `row-${p}-${i}`, i])
          : pool.query("SELECT count(*)::int AS n FROM t WHERE a = $1 AND c >= $2", [p, 0]),
      ),
    );
    // Interactive transactions beside them, as Prisma's $transaction issues them.
    const transactions = pools.map(async (pool, p) => {
      for (let i = 0; i < 10; i++) {
        const client = await pool.connect();
        try {
          await client.query("BEGIN");
          await client.query("INSERT INTO t (a, b, c) VALUES ($1, $2, $3)", [p + 10, `tx-${p}-${i}`, i]);
          await client.query("SELECT count(*)::int AS n FROM t WHERE a = $1", [p + 10]);
          await client.query("COMMIT");
        } finally {
          client.release();
        }
      }
    });
    await Promise.all([...work, ...transactions]);
    const { rows } = await pools[1]!.query("SELECT a, count(*)::int AS n FROM t GROUP BY a ORDER BY a");
    expect(rows).toEqual([...[0, 1, 2, 3].map((a) => ({ a, n: 25 })), ...[10, 11, 12, 13].map((a) => ({ a, n: 10 }))]);
    // A transaction on one connection still excludes the others until it ends.
    const client = await pools[2]!.connect();
    await client.query("BEGIN");
    await client.query("INSERT INTO t (a, b, c) VALUES ($1, $2, $3)", [9, "tx", 0]);
    const outside = pools[3]!.query("SELECT count(*)::int AS n FROM t WHERE a = $1", [9]);
    await client.query("COMMIT");
    client.release();
    expect((await outside).rows[0].n).toBe(1);
  } finally {
    await Promise.all(pools.map((p) => p.end()));
    await db.stop();
    await rm(dir, { recursive: true, force: true });
  }
}, 20_000);
