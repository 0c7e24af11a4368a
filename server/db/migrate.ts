// Applies the committed SQL migrations in prisma/migrations without the Prisma CLI.
//
// Why not `prisma migrate deploy` at run time: Prisma 6.19's CLI needs its wasm schema engine plus workarounds
// (docs/PLATFORM.md: 10-60 s exit stalls, shadow-DB snags) and must be spawned as a process. The migrations are
// plain SQL, so we apply them ourselves, one transaction each, under an advisory lock, and record them in Prisma's
// own `_prisma_migrations` table with Prisma's checksum (sha256 of migration.sql), so `prisma migrate status` and
// `prisma migrate dev` agree with what we applied.
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { AppError } from "../errors.ts";
import { poolConfigFromUrl } from "./database-url.ts";

// Read from the checkout at run time (the server runs from the repository root), not bundled into the build.
export const DEFAULT_MIGRATIONS_DIR = path.join(/*turbopackIgnore: true*/ process.cwd(), "prisma", "migrations");

// Arbitrary constant: serialises concurrent migrators (parallel test workers, two app processes) on one database.
const MIGRATION_LOCK_KEY = 0x01c0de;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

export async function readMigrations(dir = DEFAULT_MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
    // The usual cause: `o1c` started from another directory (the checkout holds the migrations, .data and the app).
    throw new AppError(`no database migrations at ${dir}: run o1c from the O1-Coder Studio checkout (the directory with prisma/migrations)`);
  });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/** Brings the database at `databaseUrl` up to date. Safe to call concurrently and repeatedly. */
export async function applyMigrations(databaseUrl: string, dir = DEFAULT_MIGRATIONS_DIR): Promise<MigrationReport> {
  const migrations = await readMigrations(dir);
  const client = new pg.Client(poolConfigFromUrl(databaseUrl));
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      return await applyPending(client, migrations);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}

async function applyPending(client: pg.Client, migrations: Migration[]): Promise<MigrationReport> {
  await client.query(CREATE_MIGRATIONS_TABLE);
  const { rows } = await client.query<{ migration_name: string; checksum: string }>(
    `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  const done = new Map(rows.map((r) => [r.migration_name, r.checksum]));
  const applied: string[] = [];
  for (const migration of migrations) {
    const previous = done.get(migration.name);
    if (previous !== undefined) {
      if (previous !== migration.checksum) {
        throw new Error(
          `Migration ${migration.name} was edited after it was applied (checksum mismatch). ` +
            `Create a new migration instead of changing prisma/migrations/${migration.name}/migration.sql.`,
        );
      }
      continue;
    }
    await applyOne(client, migration);
    applied.push(migration.name);
  }
  return { applied, alreadyApplied: done.size };
}

async function applyOne(client: pg.Client, migration: Migration): Promise<void> {
  await client.query("BEGIN");
  try {
    await client.query(migration.sql);
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
       VALUES ($1, $2, now(), $3, 1)`,
      [randomUUID(), migration.checksum, migration.name],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
  }
}
