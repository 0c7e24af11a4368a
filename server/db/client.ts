// The one way code gets a database: `getDatabase()` resolves DATABASE_URL (a real PostgreSQL server) or, when it
// is unset, the embedded PGlite database in .data/ — migrated either way — and returns a Prisma client for it.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client.ts";
import { poolConfigFromUrl, redactDatabaseUrl } from "./database-url.ts";
import { openEmbeddedDatabase, type EmbeddedDatabase } from "./embedded.ts";
import { createResilientPool } from "./pg-pool.ts";
import { registerPool } from "./plain-sql.ts";
import { applyMigrations, type MigrationReport } from "./migrate.ts";

export type Db = PrismaClient;

export const CONNECT_TIMEOUT_MS = 10_000;

export interface DatabaseHandle {
  prisma: Db;
  url: string;
  mode: "server" | "embedded";
  /** What opening the database applied. */
  migrations: MigrationReport;
  close(): Promise<void>;
}

export interface PrismaClientOptions {
  poolSize?: number;
  /** Shown in pg_stat_activity (default: pg's own). */
  applicationName?: string;
  /** Told about dropped connections (see server/db/pg-pool.ts). */
  onConnectionError?: (error: Error) => void;
  /**
   * The engine's plain-SQL statements (plain-sql.ts) are prepared once per connection. A PostgreSQL server only: not
   * PGlite (one session shared by every connection), nor a pooler that moves sessions between transactions.
   */
  preparedStatements?: boolean;
}

export function createPrismaClient(url: string, options: PrismaClientOptions = {}): Db {
  const pool = createResilientPool(
    poolConfigFromUrl(url, {
      max: options.poolSize ?? 10,
      // A connection attempt that meets a restarting or terminating server can otherwise wait forever (pg's default).
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      ...(options.applicationName ? { application_name: options.applicationName } : {}),
    }),
    { onConnectionError: options.onConnectionError },
  );
  // Our own pool (it returns clients whose connection died), closed by $disconnect.
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  const client = new PrismaClient({ adapter });
  registerPool(client, pool, { prepared: options.preparedStatements });
  return client;
}

/** Opens (and migrates) the database this process should use. Prefer `getDatabase()` outside tests and the CLI. */
export async function openDatabase(env: NodeJS.ProcessEnv = process.env): Promise<DatabaseHandle> {
  const serverUrl = env.DATABASE_URL?.trim();
  let embedded: EmbeddedDatabase | null = null;
  const url = serverUrl || (embedded = await openEmbeddedDatabase(env.O1C_DATA_DIR || undefined)).url;
  let migrations: MigrationReport;
  try {
    migrations = await applyMigrations(url);
  } catch (error) {
    await embedded?.stop();
    throw new Error(`Could not prepare the database at ${redactDatabaseUrl(url)}: ${(error as Error).message}`, { cause: error });
  }
  // One connection in embedded mode: PGlite is a single session anyway, and pglite-socket 0.2.17 queues protocol
  // messages, not whole queries, so two connections' extended-protocol messages can interleave and corrupt each other.
  const prisma = createPrismaClient(url, { poolSize: embedded ? 1 : 10, preparedStatements: !embedded });
  return {
    prisma,
    url,
    mode: serverUrl ? "server" : "embedded",
    migrations,
    async close() {
      await prisma.$disconnect();
      await embedded?.stop();
    },
  };
}

// Cached on globalThis: Next.js dev reloads modules, and route handlers must share one pool per process.
const globalCache = globalThis as unknown as { __o1cDatabase?: Promise<DatabaseHandle> };

export function getDatabase(): Promise<DatabaseHandle> {
  globalCache.__o1cDatabase ??= openDatabase().catch((error) => {
    globalCache.__o1cDatabase = undefined;
    throw error;
  });
  return globalCache.__o1cDatabase;
}

export async function getPrisma(): Promise<Db> {
  return (await getDatabase()).prisma;
}

export async function closeDatabase(): Promise<void> {
  const pending = globalCache.__o1cDatabase;
  globalCache.__o1cDatabase = undefined;
  if (pending) await (await pending).close();
}
