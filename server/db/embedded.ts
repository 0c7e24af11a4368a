// The embedded default database: PGlite (Postgres compiled to wasm) with its data in a project-local directory,
// served over the Postgres wire protocol by pglite-socket on 127.0.0.1. Everything else (Prisma's pg adapter,
// migrations, the job queue) then talks to it exactly as to a real server: one code path for both modes.
//
// PGlite is single-process: two processes must never open the same data directory. The process that opens it
// writes `embedded.json` (pid + port) next to it; other processes (the CLI while the app runs) attach to that
// socket instead of opening the files.
import { mkdir, open, readFile, rm, stat } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { patchSocketServer } from "./pglite-socket-fix.ts";

export const DEFAULT_DATA_DIR = path.join(process.cwd(), ".data");

export interface EmbeddedDatabase {
  url: string;
  /** True when this process opened the data directory; false when it attached to another process's server. */
  owned: boolean;
  dataDir: string;
  stop(): Promise<void>;
}

interface OwnerRecord {
  pid: number;
  port: number;
}

// pglite-socket multiplexes client connections onto PGlite's single session; transactions and (with our fix)
// extended-protocol message groups stay exclusive to one connection.
const MAX_CONNECTIONS = 32;

export async function openEmbeddedDatabase(dataDir = DEFAULT_DATA_DIR): Promise<EmbeddedDatabase> {
  await mkdir(dataDir, { recursive: true });
  const ownerFile = path.join(dataDir, "embedded.json");
  for (let attempt = 0; attempt < 400; attempt++) {
    const owner = await readOwner(ownerFile);
    if (owner && owner.pid !== process.pid && isAlive(owner.pid)) {
      if (await canConnect(owner.port)) return attached(owner.port, dataDir);
      // Owner is alive but not listening yet (starting up): wait for it.
      await delay(100);
      continue;
    }
    if (owner) await rm(ownerFile, { force: true }); // stale: its process is gone
    const claimed = await claimOwnership(ownerFile);
    if (claimed) return startOwned(dataDir, ownerFile, claimed);
    await delay(50); // another process claimed it a moment ago
  }
  throw new Error(`Could not open or attach to the embedded database in ${dataDir} (embedded.json is held by a process that never started listening).`);
}

async function startOwned(dataDir: string, ownerFile: string, lock: Awaited<ReturnType<typeof open>>): Promise<EmbeddedDatabase> {
  try {
    const db = await PGlite.create(path.join(dataDir, "pglite"));
    const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: MAX_CONNECTIONS });
    patchSocketServer(server);
    await server.start();
    const port = listeningPort(server);
    await lock.writeFile(JSON.stringify({ pid: process.pid, port } satisfies OwnerRecord));
    await lock.close();
    let stopped = false;
    return {
      url: embeddedUrl(port),
      owned: true,
      dataDir,
      async stop() {
        if (stopped) return;
        stopped = true;
        await server.stop();
        await db.close();
        await rm(ownerFile, { force: true });
      },
    };
  } catch (error) {
    await lock.close().catch(() => {});
    await rm(ownerFile, { force: true });
    throw error;
  }
}

function attached(port: number, dataDir: string): EmbeddedDatabase {
  return { url: embeddedUrl(port), owned: false, dataDir, stop: async () => {} };
}

function embeddedUrl(port: number): string {
  return `postgresql://postgres@127.0.0.1:${port}/postgres`;
}

function listeningPort(server: PGLiteSocketServer): number {
  // The socket server does not expose its bound port; read it off the underlying net.Server.
  const address = (server as unknown as { server?: net.Server }).server?.address();
  if (!address || typeof address === "string") throw new Error("pglite-socket did not report a TCP port");
  return address.port;
}

async function claimOwnership(ownerFile: string) {
  try {
    return await open(ownerFile, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return null;
    throw error;
  }
}

async function readOwner(ownerFile: string): Promise<OwnerRecord | null> {
  let text: string;
  try {
    text = await readFile(ownerFile, "utf8");
  } catch {
    return null;
  }
  try {
    const value = JSON.parse(text) as Partial<OwnerRecord>;
    if (typeof value.pid === "number" && typeof value.port === "number") return { pid: value.pid, port: value.port };
  } catch {
    // Empty: its writer is between claiming the file and writing its port (PGlite takes ~1-2 s to open).
  }
  const age = Date.now() - (await stat(ownerFile).then((s) => s.mtimeMs, () => 0));
  return age < STARTUP_GRACE_MS ? { pid: -1, port: -1 } : { pid: 0, port: -1 };
}

// How long a claimed-but-empty owner file counts as "starting" before it is treated as left by a crash.
const STARTUP_GRACE_MS = 30_000;

function isAlive(pid: number): boolean {
  if (pid === -1) return true; // claimed, not yet written, within the grace period
  if (pid === 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function canConnect(port: number): Promise<boolean> {
  if (port <= 0) return Promise.resolve(false);
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function delay(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

