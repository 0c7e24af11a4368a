// Gives the whole vitest run one freshly migrated database (see server/db/throwaway-database.ts for the two modes).
import type { TestProject } from "vitest/node";
import { createEmbeddedThrowawayDatabase, createServerThrowawayDatabase } from "../server/db/throwaway-database.ts";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseMode: "server" | "embedded";
  }
}

export default async function setup(project: TestProject) {
  const serverUrl = process.env.DATABASE_URL?.trim();
  const db = serverUrl ? await createServerThrowawayDatabase(serverUrl) : await createEmbeddedThrowawayDatabase();
  if (db.mode === "embedded") console.log(`[tests] DATABASE_URL is unset: database tests run on embedded PGlite (${db.dataDir})`);
  project.provide("databaseUrl", db.url);
  project.provide("databaseMode", db.mode);
  return () => db.drop();
}
