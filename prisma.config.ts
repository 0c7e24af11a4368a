// Prisma CLI config. The CLI is only needed to *author* migrations (`npx prisma migrate dev`) and to generate the
// client (postinstall). Applying migrations at run time is done by server/db/migrate.ts, which needs no Prisma
// engine at all. Prisma 6.19's classic engine downloads a binary (impossible offline), so the CLI uses the JS
// schema engine through the pg driver adapter.
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

function poolConfigFromUrl(raw: string) {
  const url = new URL(raw);
  // Separate fields, not a connectionString: with a connectionString the shadow database ends up connecting to the
  // main one (P3006, see docs/PLATFORM notes). A short idle timeout lets the shadow database be dropped.
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || "postgres"),
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database: url.pathname.replace(/^\//, "") || "postgres",
    idleTimeoutMillis: 200,
  };
}

// The schema's `url = env("DATABASE_URL")` must resolve even for commands that never connect (`prisma generate` at
// install time); only commands that connect go through `adapter()` below, which insists on a real URL.
const configuredUrl = process.env.DATABASE_URL;
process.env.DATABASE_URL ??= "postgresql://unset@127.0.0.1:5432/unset";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  async adapter() {
    const url = configuredUrl;
    if (!url) throw new Error("DATABASE_URL must be set for Prisma CLI commands (e.g. postgresql://postgres@127.0.0.1:5432/o1c_dev)");
    return new PrismaPg(poolConfigFromUrl(url));
  },
});
