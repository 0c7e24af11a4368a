// What a dropped PostgreSQL connection costs a Prisma client: nothing lasting. A transaction whose connection is
// killed fails (it must), but its pool slot comes back, so the client keeps working through any number of drops
// (see server/db/pg-pool.ts for the Prisma behaviour this guards against).
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { createPrismaClient, type Db } from "../../server/db/client.ts";
import { poolConfigFromUrl } from "../../server/db/database-url.ts";
import { testDatabaseUrl, uniqueName } from "../helpers/db.ts";

// Not on embedded PGlite: it serves one session over a local socket, with no backend connection to terminate.
describe.skipIf(inject("databaseMode") === "embedded")("dropped connections", () => {
  const applicationName = uniqueName("o1c-drop-probe");
  const errors: Error[] = [];
  let errorSeen: (() => void) | null = null;
  const onConnectionError = (error: Error) => {
    errors.push(error);
    errorSeen?.();
  };
  /** Resolves once the client has reported a connection error beyond the first `count` (it saw its socket close). */
  const connectionErrorBeyond = (count: number) =>
    new Promise<void>((resolve, reject) => {
      if (errors.length > count) return resolve();
      const ceiling = setTimeout(() => reject(new Error(`no connection error reported within 5 s (${errors.length} so far)`)), 5_000);
      errorSeen = () => {
        if (errors.length <= count) return;
        clearTimeout(ceiling);
        errorSeen = null;
        resolve();
      };
    });
  let prisma: Db;
  let admin: pg.Client;

  beforeAll(async () => {
    // Two connections only: without the fix, the second killed transaction would leave none.
    prisma = createPrismaClient(testDatabaseUrl(), { poolSize: 2, applicationName, onConnectionError });
    admin = new pg.Client(poolConfigFromUrl(testDatabaseUrl()));
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await prisma?.$disconnect();
  });

  async function killConnections() {
    const { rows } = await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1",
      [applicationName],
    );
    return rows.length;
  }

  it("a transaction whose connection is killed fails, and gives its pool slot back", async () => {
    for (let round = 0; round < 4; round++) {
      const attempt = prisma.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT 1`;
        const before = errors.length;
        expect(await killConnections()).toBeGreaterThan(0);
        await connectionErrorBeyond(before); // the client saw its socket close
        await tx.$queryRaw`SELECT 2`;
      });
      await expect(attempt).rejects.toThrow(/not queryable|terminat/i);
    }
    // Four drops on a pool of two: the client still answers at once (not after the connect timeout).
    const started = Date.now();
    expect(await prisma.$queryRaw<{ ok: number }[]>`SELECT 1 AS ok`).toEqual([{ ok: 1 }]);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(errors.length).toBeGreaterThanOrEqual(4);
    // And it closes: no client is left checked out for $disconnect to wait on.
    const closed = await Promise.race([
      prisma.$disconnect().then(() => "closed"),
      new Promise((resolve) => setTimeout(() => resolve("still waiting after 3 s"), 3_000).unref()),
    ]);
    expect(closed).toBe("closed");
    prisma = createPrismaClient(testDatabaseUrl(), { poolSize: 2, applicationName, onConnectionError });
  }, 20_000);

  it("a connection killed while idle in the pool is replaced without an error reaching the caller", async () => {
    await prisma.$queryRaw`SELECT 1`;
    const before = errors.length;
    expect(await killConnections()).toBeGreaterThan(0);
    await connectionErrorBeyond(before); // the idle connection's close reached the pool
    expect(await prisma.$queryRaw<{ ok: number }[]>`SELECT 1 AS ok`).toEqual([{ ok: 1 }]);
  }, 20_000);
});
