import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // Two files at a time on a PostgreSQL server (2 cores here). Without DATABASE_URL the suites share one embedded
    // PGlite session, which serves one connection's queries at a time safely: run files one after another.
    maxWorkers: process.env.DATABASE_URL ? 2 : 1,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
