// Runs `o1c serve` as a child process and waits until it answers: what the e2e suite and the UI benchmark both need.
import { spawn, type ChildProcess } from "node:child_process";
import type { ThrowawayDatabase } from "../db/index.ts";

export interface ServeProcess {
  child: ChildProcess;
  /** SIGTERM (the server shuts down cleanly), SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/** Environment for a server on `db`: its URL, or (embedded) the data directory whose owner the server attaches to. */
export function serveEnvFor(db: ThrowawayDatabase): Record<string, string | undefined> {
  return db.mode === "server" ? { DATABASE_URL: db.url } : { DATABASE_URL: undefined, O1C_DATA_DIR: db.dataDir! };
}

/** Starts the production server on 127.0.0.1:`port`; `env` values of undefined are removed from the environment. */
export async function startServeProcess(port: number, env: Record<string, string | undefined>, timeoutMs = 60_000): Promise<ServeProcess> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[key];
    else childEnv[key] = value;
  }
  const child = spawn(process.execPath, ["bin/o1c.mjs", "serve", "--port", String(port)], { env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  child.stdout!.on("data", (chunk) => output.push(String(chunk)));
  child.stderr!.on("data", (chunk) => output.push(String(chunk)));
  const deadline = Date.now() + timeoutMs;
  while (!(await answers(port))) {
    if (child.exitCode !== null) throw new Error(`The app server exited (${child.exitCode}):\n${output.join("")}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`The app server did not answer within ${timeoutMs / 1000} s:\n${output.join("")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { child, stop: () => stopChild(child) };
}

function answers(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/datasets`).then(
    (response) => response.ok,
    () => false,
  );
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
