// The engine's plain SQL (server/db/plain-sql.ts): on a PostgreSQL server its statements are prepared once per
// connection, and a prepared statement whose row type changed under it (a migration replacing a function it reads)
// falls back to running unnamed instead of failing on every call until the connection is recycled.
import { inject, it, expect } from "vitest";
import { createPrismaClient, Prisma, queryRows } from "../../server/db/index.ts";
import { testDatabaseUrl } from "../helpers/db.ts";

it.skipIf(inject("databaseMode") !== "server")("a prepared statement whose function changed its row type runs unnamed from then on", async () => {
  const prisma = createPrismaClient(testDatabaseUrl(), { poolSize: 1, preparedStatements: true });
  const fn = `o1c_test_rowtype_${Date.now()}`;
  try {
    await prisma.$executeRawUnsafe(`CREATE FUNCTION ${fn}() RETURNS TABLE(a int) LANGUAGE sql AS 'SELECT 1'`);
    const read = () => queryRows<Record<string, number>>(prisma, Prisma.sql`SELECT * FROM ${Prisma.raw(fn)}()`);
    expect(await read()).toEqual([{ a: 1 }]);
    expect(await read()).toEqual([{ a: 1 }]); // now executed by name on this one connection
    await prisma.$executeRawUnsafe(`DROP FUNCTION ${fn}()`);
    await prisma.$executeRawUnsafe(`CREATE FUNCTION ${fn}() RETURNS TABLE(a int, b text) LANGUAGE sql AS $$SELECT 2, 'x'$$`);
    expect(await read()).toEqual([{ a: 2, b: "x" }]);
    expect(await read()).toEqual([{ a: 2, b: "x" }]);
  } finally {
    await prisma.$executeRawUnsafe(`DROP FUNCTION IF EXISTS ${fn}()`);
    await prisma.$disconnect();
  }
});
