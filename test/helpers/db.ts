// Database access for integration tests: the run's migrated database (see test/global-setup.ts).
// Tests share it, so each test creates its own uniquely named data (`uniqueName`) instead of truncating tables.
import { randomBytes } from "node:crypto";
import { afterAll, inject } from "vitest";
import { createPrismaClient, type Db } from "../../server/db/client.ts";

export function testDatabaseUrl(): string {
  return inject("databaseUrl");
}

/** A Prisma client for this test file, disconnected after the file's tests. */
export function useTestPrisma(): Db {
  // Embedded PGlite is one session: one connection per client (see server/db/client.ts).
  const prisma = createPrismaClient(testDatabaseUrl(), { poolSize: inject("databaseMode") === "embedded" ? 1 : 4, preparedStatements: inject("databaseMode") === "server" });
  afterAll(() => prisma.$disconnect());
  return prisma;
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}
