// Gives the whole vitest run one freshly migrated database (see server/db/throwaway-database.ts for the two modes).
import type { TestProject } from "vitest/node";
import { createEmbeddedThrowawayDatabase, createServerThrowawayDatabase, type ThrowawayDatabase } from "../server/db/throwaway-database.ts";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseMode: "server" | "embedded";
  }
}

/**
 * Stryker's vitest runner runs this before every mutant's tests, in the same long-lived process: a fresh database
 * each time cost ~4 s of every mutant. With O1C_TEST_DB_PER_PROCESS=1 (vitest.mutation.config.ts) the process keeps
 * its first database (the tests make their own rows under unique names, so runs do not see each other's data). It is
 * dropped when the process ends normally; a runner killed by a signal leaves it behind: on a PostgreSQL server the
 * next run's sweep drops databases whose process is gone, an embedded one stays in its o1c-test-db-* temp directory.
 */
const perProcess = globalThis as { o1cTestDatabase?: Promise<ThrowawayDatabase> };

export default async function setup(project: TestProject) {
  const reuse = process.env.O1C_TEST_DB_PER_PROCESS === "1";
  const db = await (reuse ? (perProcess.o1cTestDatabase ??= openDatabaseForProcess()) : createDatabase());
  if (db.mode === "embedded" && !reuse) console.log(`[tests] DATABASE_URL is unset: database tests run on embedded PGlite (${db.dataDir})`);
  project.provide("databaseUrl", db.url);
  project.provide("databaseMode", db.mode);
  return reuse ? undefined : () => db.drop();
}

function createDatabase(): Promise<ThrowawayDatabase> {
  const serverUrl = process.env.DATABASE_URL?.trim();
  return serverUrl ? createServerThrowawayDatabase(serverUrl) : createEmbeddedThrowawayDatabase();
}

async function openDatabaseForProcess(): Promise<ThrowawayDatabase> {
  const db = await createDatabase();
  process.once("beforeExit", () => void db.drop());
  return db;
}
