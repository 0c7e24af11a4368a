// `npm start`'s build step: runs `next build` only when the sources changed since the last build. The stamp is a
// hash of every file the production build reads (app/, components/, server/, public/, the configs and the lockfile)
// stored next to the build in .next/; an unchanged tree starts the server at once instead of rebuilding (~40 s here).
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const SOURCE_DIRS = ["app", "components", "server", "public"];
const SOURCE_FILES = ["next.config.ts", "package.json", "package-lock.json", "tsconfig.json", "postcss.config.mjs"];
/** Not read by the build: data, generated clients, caches. */
const SKIPPED = new Set(["node_modules", ".next", ".data", "generated", "__pycache__"]);
export const STAMP_FILE = path.join(".next", "o1c-source-stamp");

/** One hash over the paths and contents of the build's sources under `root`, in a stable order. */
export async function sourceStamp(root) {
  const files = [...SOURCE_FILES.filter((f) => existsSync(path.join(root, f)))];
  for (const dir of SOURCE_DIRS) files.push(...(await listFiles(root, dir)));
  files.sort();
  const hash = createHash("sha256");
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(await readFile(path.join(root, file)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

async function listFiles(root, dir) {
  if (!existsSync(path.join(root, dir))) return [];
  const entries = await readdir(path.join(root, dir), { withFileTypes: true });
  const files = [];
  for (const entry of entries) {
    if (SKIPPED.has(entry.name)) continue;
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(root, relative)));
    else if (entry.isFile()) files.push(relative);
  }
  return files;
}

/** Whether `root` needs a build: no build yet, no stamp, or sources that differ from the stamped ones. */
export async function needsBuild(root) {
  if (!existsSync(path.join(root, ".next", "BUILD_ID")) || !existsSync(path.join(root, STAMP_FILE))) return true;
  const stamped = (await readFile(path.join(root, STAMP_FILE), "utf8")).trim();
  return stamped !== (await sourceStamp(root));
}

async function main() {
  const root = process.cwd();
  if (!(await needsBuild(root))) {
    console.error("Sources unchanged since the last build: starting without rebuilding (delete .next/ to force a build).");
    return 0;
  }
  // Hashed before building, so an edit made during the build makes the next start build again.
  const stamp = await sourceStamp(root);
  const build = spawnSync(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], { stdio: "inherit" });
  if (build.status !== 0) return build.status ?? 1;
  await writeFile(path.join(root, STAMP_FILE), `${stamp}\n`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) process.exitCode = await main();
