import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Server-only packages with wasm, native-ish loaders or dynamic requires: load them from node_modules at run time
  // instead of bundling them into route handlers.
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "pg", "@prisma/client", "@prisma/adapter-pg", "node-llama-cpp"],
  poweredByHeader: false,
  // The build runs `tsc` itself in `npm test`; don't make `next build` (part of `npm start`) do it twice.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
