// Gives the whole vitest run one freshly migrated database (see test/helpers/test-database.ts for the two modes).
import type { TestProject } from "vitest/node";
import { createEmbeddedTestDatabase, createServerTestDatabase } from "./helpers/test-database.ts";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseMode: "server" | "embedded";
  }
}

export default async function setup(project: TestProject) {
  const serverUrl = process.env.DATABASE_URL?.trim();
  const db = serverUrl ? await createServerTestDatabase(serverUrl) : await createEmbeddedTestDatabase();
  if (db.mode === "embedded") console.log(`[tests] DATABASE_URL is unset: database tests run on embedded PGlite (${db.dataDir})`);
  project.provide("databaseUrl", db.url);
  project.provide("databaseMode", db.mode);
  return () => db.drop();
}
