// Starts the production app server for the e2e run on its own database: a throwaway database on DATABASE_URL's
// server when set, otherwise the embedded default (PGlite) in a temporary data directory opened by the server
// itself, exactly as `npm start` does. Requires `next build` to have run (npm run test:e2e does it).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { starterProblems } from "../server/datasets/starter/index.ts";
import { startScriptedOpenAiServer } from "../test/fixtures/scripted-openai-server.ts";
import { scriptedProblemsFrom } from "../test/fixtures/scripted-problems.ts";
import { createServerTestDatabase, type TestDatabase } from "../test/helpers/test-database.ts";
import { E2E_PORT } from "../playwright.config.ts";

export default async function globalSetup() {
  if (!existsSync(".next/BUILD_ID")) throw new Error("No production build in .next/: run `npm run test:e2e` (it builds first) or `npx next build`.");
  const serverUrl = process.env.DATABASE_URL?.trim();
  let database: TestDatabase | null = null;
  let dataDir: string | null = null;
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(E2E_PORT) };
  if (serverUrl) {
    database = await createServerTestDatabase(serverUrl);
    env.DATABASE_URL = database.url;
  } else {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "o1c-e2e-data-"));
    delete env.DATABASE_URL;
    env.O1C_DATA_DIR = dataDir;
  }
  const server = spawn(process.execPath, ["bin/o1c.mjs", "serve", "--port", String(E2E_PORT)], { env, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  server.stdout!.on("data", (chunk) => output.push(String(chunk)));
  server.stderr!.on("data", (chunk) => output.push(String(chunk)));
  await waitUntilServing(server, output);
  const llm = await startScriptedLlm();
  process.env.E2E_LLM_URL = llm.url; // read by the specs (workers inherit the environment)

  return async () => {
    await llm.close();
    await stop(server);
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}

/** The scripted OpenAI-compatible server, answering for the built-in starter problems (the function ones). */
function startScriptedLlm() {
  const problems = starterProblems()
    .filter((p) => p.entryPoint && p.referenceSolution)
    .map((p) => ({ externalId: p.externalId, statement: p.statement, entryPoint: p.entryPoint!, referenceSolution: p.referenceSolution! }));
  // Some latency, so a run lasts long enough to watch it grow and to cancel it.
  return startScriptedOpenAiServer({ problems: scriptedProblemsFrom(problems), models: ["scripted-model"], latencyMs: 60 });
}

async function waitUntilServing(server: ChildProcess, output: string[]) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`The app server exited (${server.exitCode}):\n${output.join("")}`);
    try {
      const response = await fetch(`http://127.0.0.1:${E2E_PORT}/datasets`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  server.kill("SIGKILL");
  throw new Error(`The app server did not answer within 60 s:\n${output.join("")}`);
}

function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.kill("SIGKILL"), 10_000);
    server.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    server.kill("SIGTERM");
  });
}
