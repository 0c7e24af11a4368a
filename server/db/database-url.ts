// Helpers for turning a postgres:// URL into what the drivers want.
import type { PoolConfig } from "pg";

/** Pool settings from a URL, as separate fields (Prisma's adapter-pg mishandles shadow DBs given a connectionString). */
export function poolConfigFromUrl(raw: string, overrides: PoolConfig = {}): PoolConfig {
  const url = parseDatabaseUrl(raw);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || "postgres"),
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database: decodeURIComponent(url.pathname.replace(/^\//, "")) || "postgres",
    ...overrides,
  };
}

export function parseDatabaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`DATABASE_URL is not a valid URL: ${redactDatabaseUrl(raw)}`);
  }
  if (url.protocol !== "postgresql:" && url.protocol !== "postgres:") {
    throw new Error(`DATABASE_URL must start with postgresql:// (got ${url.protocol}//)`);
  }
  return url;
}

/** The same URL pointing at another database on the same server. */
export function withDatabaseName(raw: string, database: string): string {
  const url = parseDatabaseUrl(raw);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** For logs and error messages: never print a password. */
export function redactDatabaseUrl(raw: string): string {
  return raw.replace(/(\/\/[^:/@]+:)[^@]*@/, "$1***@");
}
