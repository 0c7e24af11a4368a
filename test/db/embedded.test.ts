// The embedded default (no DATABASE_URL): PGlite in a data directory, migrated on open, persistent across
// restarts, and shared safely with a second process (the CLI while the app runs) through the owner's socket.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../server/db/client.ts";

const run = promisify(execFile);
const dirs: string[] = [];

async function tempDataDir() {
  const dir = await mkdtemp(path.join(os.tmpdir(), "o1c-embedded-"));
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

function embeddedEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, O1C_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  return env;
}

describe("embedded database", () => {
  it("is migrated on first open and keeps its data across a restart", async () => {
    const dataDir = await tempDataDir();
    const first = await openDatabase(embeddedEnv(dataDir));
    expect(first.mode).toBe("embedded");
    expect(first.migrations.applied.length).toBeGreaterThan(0);
    await first.prisma.dataset.create({ data: { name: "kept", format: "jsonl" } });
    await first.close();
    await expect(readFile(path.join(dataDir, "embedded.json"), "utf8")).rejects.toThrow(); // released on close

    const second = await openDatabase(embeddedEnv(dataDir));
    try {
      expect(second.migrations.applied).toEqual([]);
      expect((await second.prisma.dataset.findMany()).map((d) => d.name)).toEqual(["kept"]);
    } finally {
      await second.close();
    }
  });

  it("a second process attaches to the running owner instead of opening the files", async () => {
    const dataDir = await tempDataDir();
    const owner = await openDatabase(embeddedEnv(dataDir));
    try {
      await owner.prisma.dataset.create({ data: { name: "from-owner", format: "jsonl" } });
      const { stdout } = await run(process.execPath, ["bin/o1c.mjs", "datasets", "--json"], { env: embeddedEnv(dataDir) });
      const names = (JSON.parse(stdout) as { name: string }[]).map((d) => d.name);
      expect(names).toContain("from-owner");
      const record = JSON.parse(await readFile(path.join(dataDir, "embedded.json"), "utf8")) as { pid: number };
      expect(record.pid).toBe(process.pid); // still ours: the CLI attached, it did not take over
    } finally {
      await owner.close();
    }
  });

  it("an owner file left by a dead process is taken over", async () => {
    const dataDir = await tempDataDir();
    const { writeFile } = await import("node:fs/promises");
    await writeFile(path.join(dataDir, "embedded.json"), JSON.stringify({ pid: 2 ** 22 + 12345, port: 1 }));
    const db = await openDatabase(embeddedEnv(dataDir));
    try {
      expect(await db.prisma.dataset.count()).toBe(0);
    } finally {
      await db.close();
    }
  });
});
