// Gives the whole vitest run one freshly migrated database:
// - DATABASE_URL set (CI, and anyone with a Postgres server): a new database `o1c_test_<pid>_<random>` on that
//   server, dropped at the end, so concurrent runs never touch each other or the developer's own data;
// - unset: an embedded PGlite server in a temporary directory (the product's default mode).
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { poolConfigFromUrl, withDatabaseName } from "../server/db/database-url.ts";
import { openEmbeddedDatabase } from "../server/db/embedded.ts";
import { applyMigrations } from "../server/db/migrate.ts";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseMode: "server" | "embedded";
  }
}

export default async function setup(project: TestProject) {
  const serverUrl = process.env.DATABASE_URL?.trim();
  if (serverUrl) {
    const name = `o1c_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    await withAdmin(serverUrl, async (admin) => {
      await dropDatabasesOfDeadRuns(admin);
      await admin.query(`CREATE DATABASE "${name}"`);
    });
    const url = withDatabaseName(serverUrl, name);
    await applyMigrations(url);
    project.provide("databaseUrl", url);
    project.provide("databaseMode", "server");
    return async () => {
      await withAdmin(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), "o1c-test-db-"));
  const embedded = await openEmbeddedDatabase(dir);
  await applyMigrations(embedded.url);
  console.log(`[tests] DATABASE_URL is unset: running database tests on embedded PGlite (${dir})`);
  project.provide("databaseUrl", embedded.url);
  project.provide("databaseMode", "embedded");
  return async () => {
    await embedded.stop();
    await rm(dir, { recursive: true, force: true });
  };
}

async function withAdmin<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(poolConfigFromUrl(withDatabaseName(serverUrl, "postgres")));
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Databases left by test runs that crashed (their pid is gone) would otherwise pile up. */
async function dropDatabasesOfDeadRuns(admin: pg.Client) {
  const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'o1c\\_test\\_%'`);
  for (const { datname } of rows) {
    const pid = Number(datname.split("_")[2]);
    if (Number.isInteger(pid) && !isAlive(pid)) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
