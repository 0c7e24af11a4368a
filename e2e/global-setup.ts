// Starts the production app server for the e2e run on its own database: a throwaway database on DATABASE_URL's
// server when set, otherwise the embedded default (PGlite) in a temporary data directory opened by the server
// itself, exactly as `npm start` does. Requires `next build` to have run (npm run test:e2e does it).
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { starterProblems } from "../server/datasets/starter/index.ts";
import { startScriptedOpenAiServer } from "../server/dev-tools/scripted-openai-server.ts";
import { scriptedProblemsFrom } from "../server/dev-tools/scripted-problems.ts";
import { createServerThrowawayDatabase, type ThrowawayDatabase } from "../server/db/throwaway-database.ts";
import { startServeProcess } from "../server/http/serve-process.ts";
import { E2E_PORT } from "../playwright.config.ts";

export default async function globalSetup() {
  if (!existsSync(".next/BUILD_ID")) throw new Error("No production build in .next/: run `npm run test:e2e` (it builds first) or `npx next build`.");
  const serverUrl = process.env.DATABASE_URL?.trim();
  let database: ThrowawayDatabase | null = null;
  let dataDir: string | null = null;
  if (serverUrl) {
    database = await createServerThrowawayDatabase(serverUrl);
  } else {
    // The server opens (and migrates) a fresh data directory itself, exactly as `npm start` does.
    dataDir = await mkdtemp(path.join(os.tmpdir(), "o1c-e2e-data-"));
  }
  const server = await startServeProcess(E2E_PORT, database ? { DATABASE_URL: database.url } : { DATABASE_URL: undefined, O1C_DATA_DIR: dataDir! });
  const llm = await startScriptedLlm();
  process.env.E2E_LLM_URL = llm.url; // read by the specs (workers inherit the environment)

  return async () => {
    await llm.close();
    await server.stop();
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}

/** The scripted OpenAI-compatible server for the specs (E2E_LLM_URL). */
function startScriptedLlm() {
  // Some latency, so a run lasts long enough to watch it grow and to cancel it.
  // With vLLM's runtime LoRA routes, so a self-play loop publishes its adapters (e2e/loop.spec.ts).
  return startScriptedOpenAiServer({ problems: e2eScriptedProblems(), models: ["scripted-model"], latencyMs: 60, runtimeLora: true });
}

/** What the scripted LLM answers for: the built-in starter problems (the function ones), whose TCG prompts get cases
 * built from the visible tests only (so no hidden test reaches a search through generated tests), and the loud
 * dataset a spec uploads. Specs that need a server of their own (another latency) start one with these. */
export function e2eScriptedProblems() {
  const problems = starterProblems()
    .filter((p) => p.entryPoint && p.referenceSolution)
    .map((p) => ({
      externalId: p.externalId,
      statement: p.statement,
      entryPoint: p.entryPoint!,
      referenceSolution: p.referenceSolution!,
      testCases: p.tests.filter((t) => t.origin === "DATASET_VISIBLE").map((t) => ({ kind: t.kind, input: t.input, expected: t.expected ?? null })),
    }));
  // e2e/fixtures/loud-dataset.jsonl, uploaded by a spec: its code prints while it loads (the inspector's top-level output).
  const loud = readLoudProblems();
  return scriptedProblemsFrom([...problems, ...loud]);
}

function readLoudProblems() {
  return readFileSync("e2e/fixtures/loud-dataset.jsonl", "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { id: string; statement: string; entry_point: string; reference_solution: string })
    .map((r) => ({ externalId: r.id, statement: r.statement, entryPoint: r.entry_point, referenceSolution: r.reference_solution }));
}
