// A throwaway, migrated database for one test run (vitest, Playwright) or benchmark:
// - on a PostgreSQL server (DATABASE_URL): a new database `<prefix>_<pid>_<random>` on it, dropped afterwards, so
//   concurrent runs never touch each other or the developer's own data;
// - otherwise: the product's embedded default, PGlite in a temporary directory.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { poolConfigFromUrl, withDatabaseName } from "./database-url.ts";
import { openEmbeddedDatabase } from "./embedded.ts";
import { applyMigrations } from "./migrate.ts";

export interface ThrowawayDatabase {
  url: string;
  mode: "server" | "embedded";
  /** Embedded mode: the PGlite data directory (a server process may open it itself via O1C_DATA_DIR). */
  dataDir: string | null;
  drop(): Promise<void>;
}

/** `prefix` must hold exactly one underscore-separated word after `o1c` (o1c_test, o1c_bench): the pid follows it. */
export async function createServerThrowawayDatabase(serverUrl: string, prefix = "o1c_test"): Promise<ThrowawayDatabase> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await withAdmin(serverUrl, async (admin) => {
    await dropDatabasesOfDeadRuns(admin, prefix);
    await admin.query(`CREATE DATABASE "${name}"`);
  });
  const url = withDatabaseName(serverUrl, name);
  await applyMigrations(url);
  return {
    url,
    mode: "server",
    dataDir: null,
    drop: () => withAdmin(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => {}),
  };
}

export async function createEmbeddedThrowawayDatabase(): Promise<ThrowawayDatabase> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "o1c-test-db-"));
  const embedded = await openEmbeddedDatabase(dir);
  await applyMigrations(embedded.url);
  return {
    url: embedded.url,
    mode: "embedded",
    dataDir: dir,
    async drop() {
      await embedded.stop();
      await rm(dir, { recursive: true, force: true });
    },
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

/** Databases left by runs that crashed (their pid is gone) would otherwise pile up. */
async function dropDatabasesOfDeadRuns(admin: pg.Client, prefix: string) {
  const pattern = `${prefix.replace(/_/g, "\\_")}\\_%`;
  const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [pattern]);
  for (const { datname } of rows) {
    const pid = Number(datname.split("_")[2]);
    if (Number.isInteger(pid) && !isAlive(pid)) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
