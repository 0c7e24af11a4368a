// `o1c bench engine`: the search engine's throughput against the scripted OpenAI-compatible server (the test
// fixture that answers like vLLM), on a throwaway database, through the real job queue, sandbox and persistence.
// - saturation: 200 ms per request, 64 requests in flight at most (the process-wide LLM limit), enough trees to
//   keep it busy → wall time / (requests × 200 ms / 64); 1.0 is perfect;
// - overhead: no latency → tree nodes persisted per second (search + sandbox + database, this machine's cores);
// - prefix reuse: share of non-root expansion requests whose prompt extends their parent's prompt byte for byte
//   (what vLLM's automatic prefix caching needs);
// - scale-out: the overhead scenario searched by 2 `o1c worker` processes vs 1 on the same database.
import { spawn, type ChildProcess } from "node:child_process";
import { createPrismaClient, type Db } from "../db/client.ts";
import { createEmbeddedThrowawayDatabase, createServerThrowawayDatabase, type ThrowawayDatabase } from "../db/throwaway-database.ts";
import { importDataset } from "../datasets/import-dataset.ts";
import { createOpenAiClient } from "../llm/openai-client.ts";
import { DEFAULT_IN_FLIGHT_LIMIT } from "../llm/semaphore.ts";
import { createExperiment } from "../runs/experiment-service.ts";
import { openTreeQueue, type TreeQueue } from "../runs/queue/tree-queue.ts";
import { startTreeWorker } from "../runs/queue/tree-worker.ts";
import { createSandbox } from "../sandbox/index.ts";
import type { Sandbox } from "../sandbox/types.ts";
import { startScriptedOpenAiServer, type RecordedRequest, type ScriptedServer } from "../../test/fixtures/scripted-openai-server.ts";

export interface EngineBenchmarkOptions {
  /** Trees in the saturation scenario (default 160). */
  saturationTrees?: number;
  /** Trees in the overhead and scale-out scenarios (default 24). */
  overheadTrees?: number;
}

export interface EngineBenchmarkResult {
  saturationRatio: number;
  saturation: { trees: number; requests: number; latencyMs: number; inFlightLimit: number; maxInFlight: number; wallMs: number; idealMs: number };
  nodesPerSec: number;
  overhead: { trees: number; nodes: number; wallMs: number };
  prefixReuse: number;
  prefixReuseDetail: { expansions: number; extendingParent: number };
  workers: { oneNodesPerSec: number; twoNodesPerSec: number; ratio: number };
  database: "server" | "embedded";
  cores: number;
}

const LATENCY_MS = 200;

export async function runEngineBenchmark(options: EngineBenchmarkOptions = {}): Promise<EngineBenchmarkResult> {
  const serverUrl = process.env.DATABASE_URL?.trim();
  const db: ThrowawayDatabase = serverUrl ? await createServerThrowawayDatabase(serverUrl, "o1c_bench") : await createEmbeddedThrowawayDatabase();
  const prisma = createPrismaClient(db.url, { poolSize: db.mode === "embedded" ? 1 : 10 });
  let server: ScriptedServer | null = null;
  let queue: TreeQueue | null = null;
  let sandbox: Sandbox | null = null;
  try {
    const saturationTrees = options.saturationTrees ?? 160;
    const overheadTrees = options.overheadTrees ?? 24;
    const problems = await importBenchProblems(prisma, Math.max(saturationTrees, overheadTrees));
    server = await startScriptedOpenAiServer({ problems, models: ["bench"], latencyMs: LATENCY_MS });
    queue = await openTreeQueue(db.url, { poolSize: 2 });
    sandbox = await createSandbox();
    const edges = { prisma, queue, sandbox, llmUrl: server.url };

    // Saturation: one worker with a slot per tree, so only the 64-permit LLM limit bounds the requests in flight.
    const saturationStart = server.requests.length;
    const saturation = await runOnce(edges, { trees: saturationTrees, rollouts: 4, concurrency: saturationTrees });
    const requests = completionRequests(server.requests.slice(saturationStart));
    const idealMs = (requests.length * LATENCY_MS) / DEFAULT_IN_FLIGHT_LIMIT;
    const reuse = measurePrefixReuse(requests);
    const maxInFlight = server.concurrency.max;
    await server.close();

    server = await startScriptedOpenAiServer({ problems, models: ["bench"], latencyMs: 0 });
    const overhead = await runOnce({ ...edges, llmUrl: server.url }, { trees: overheadTrees, rollouts: 15, concurrency: 16 });
    const one = await runWithWorkerProcesses({ ...edges, llmUrl: server.url }, db.url, 1, overheadTrees);
    const two = await runWithWorkerProcesses({ ...edges, llmUrl: server.url }, db.url, 2, overheadTrees);
    return {
      saturationRatio: round(saturation.wallMs / idealMs, 3),
      saturation: { trees: saturationTrees, requests: requests.length, latencyMs: LATENCY_MS, inFlightLimit: DEFAULT_IN_FLIGHT_LIMIT, maxInFlight, wallMs: saturation.wallMs, idealMs: Math.round(idealMs) },
      nodesPerSec: Math.round(overhead.nodes / (overhead.wallMs / 1000)),
      overhead: { trees: overheadTrees, nodes: overhead.nodes, wallMs: overhead.wallMs },
      prefixReuse: round(reuse.expansions === 0 ? 0 : reuse.extendingParent / reuse.expansions, 4),
      prefixReuseDetail: reuse,
      workers: { oneNodesPerSec: one, twoNodesPerSec: two, ratio: round(two / one, 2) },
      database: db.mode,
      cores: (await import("node:os")).availableParallelism(),
    };
  } finally {
    await queue?.close().catch(() => {});
    await sandbox?.close().catch(() => {});
    await server?.close().catch(() => {});
    await prisma.$disconnect();
    await db.drop();
  }
}

interface BenchEdges {
  prisma: Db;
  queue: TreeQueue;
  sandbox: Sandbox;
  llmUrl: string;
}

async function importBenchProblems(prisma: Db, count: number) {
  const records = Array.from({ length: count }, (_, i) => ({
    id: `b${i + 1}`,
    statement: `Bench problem ${i + 1}: write a function shift${i + 1}(x) that returns x + ${i + 1}.`,
    entry_point: `shift${i + 1}`,
    reference_solution: `def shift${i + 1}(x):\n    return x + ${i + 1}\n`,
    tests: [`assert shift${i + 1}(1) == ${i + 2}`, { assert: `assert shift${i + 1}(2) == ${i + 3}`, hidden: true }],
  }));
  const bytes = new TextEncoder().encode(records.map((r) => JSON.stringify(r)).join("\n"));
  await importDataset(prisma, { source: { fileName: "bench.jsonl", bytes }, format: "jsonl", name: "bench" });
  return records.map((r) => ({
    id: r.id,
    snippet: r.statement.slice(0, 60),
    correctCode: r.reference_solution,
    wrongCode: `def ${r.entry_point}(x):\n    return x\n`,
  }));
}

async function createBenchExperiment(prisma: Db, llmUrl: string, trees: number, rollouts: number) {
  return createExperiment(prisma, {
    dataset: "bench",
    problems: { kind: "range", from: 1, to: trees },
    mode: "pseudocode",
    llm: { baseUrl: llmUrl, model: "bench" },
    search: { rollouts, children: 3 },
    seed: 1,
  });
}

/** Enqueues an experiment, searches it with one in-process worker, and times it from enqueue to completion. */
async function runOnce(edges: BenchEdges, run: { trees: number; rollouts: number; concurrency: number }) {
  const { id } = await createBenchExperiment(edges.prisma, edges.llmUrl, run.trees, run.rollouts);
  const worker = startTreeWorker(edges.prisma, edges.queue, {
    sandbox: edges.sandbox,
    createLlm: (llm) => createOpenAiClient({ baseUrl: llm.baseUrl!, model: llm.model! }),
    concurrency: run.concurrency,
    pollMs: 50,
  });
  try {
    const started = Date.now();
    await edges.queue.enqueueExperiment(edges.prisma, id);
    await waitForCompletion(edges.prisma, id);
    const wallMs = Date.now() - started;
    return { wallMs, nodes: await edges.prisma.treeNode.count({ where: { tree: { experimentId: id } } }) };
  } finally {
    await worker.close();
  }
}

/** Nodes per second when `count` separate `o1c worker` processes search one experiment. */
async function runWithWorkerProcesses(edges: BenchEdges, databaseUrl: string, count: number, trees: number): Promise<number> {
  const { id } = await createBenchExperiment(edges.prisma, edges.llmUrl, trees, 15);
  const children: ChildProcess[] = [];
  try {
    for (let i = 0; i < count; i += 1) {
      children.push(spawn(process.execPath, ["bin/o1c.mjs", "worker", "--concurrency", "16", "--poll-ms", "50"], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: ["ignore", "ignore", "pipe"] }));
    }
    // The clock starts once every worker has loaded, connected and started its sandbox: the figure is search throughput.
    await Promise.all(children.map((child) => workerReady(child)));
    const started = Date.now();
    await edges.queue.enqueueExperiment(edges.prisma, id);
    await waitForCompletion(edges.prisma, id);
    const wallMs = Date.now() - started;
    const nodes = await edges.prisma.treeNode.count({ where: { tree: { experimentId: id } } });
    return Math.round(nodes / (wallMs / 1000));
  } finally {
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((resolve) => c.once("exit", resolve)) : null)));
  }
}

/** Resolves when `o1c worker` prints its start line (it goes to stderr, after the database, queue and sandbox are up). */
function workerReady(child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`worker did not start in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    child.stderr!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (/^o1c worker .*trees at once/m.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code} before starting:\n${output}`));
    });
  });
}

async function waitForCompletion(prisma: Db, experimentId: string, timeoutMs = 600_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const experiment = await prisma.experiment.findUniqueOrThrow({ where: { id: experimentId }, select: { status: true } });
    if (experiment.status === "COMPLETED") return;
    if (experiment.status === "FAILED" || experiment.status === "CANCELLED") throw new Error(`bench experiment ended ${experiment.status}`);
    if (Date.now() > deadline) throw new Error("bench experiment did not complete in time");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function completionRequests(requests: readonly RecordedRequest[]): string[] {
  return requests
    .filter((r) => r.method === "POST" && r.path.endsWith("/completions") && r.fault === null)
    .map((r) => {
      const body = r.body as { messages?: Array<{ content: string }>; prompt?: string };
      return body.messages ? body.messages.map((m) => m.content).join("\u0000") : String(body.prompt ?? "");
    });
}

/**
 * An expansion of a node below the root asks to continue a prompt that holds its steps so far; its parent's
 * expansion asked with one step fewer. The request extends its parent's byte for byte when the parent's prompt
 * (minus the open "### Step k:" header it ended with) is a prefix of it.
 */
export function measurePrefixReuse(prompts: readonly string[]): { expansions: number; extendingParent: number } {
  const stepsOf = (p: string) => (p.match(/### Step \d+:/g) ?? []).length;
  const byStepCount = new Map<number, string[]>();
  for (const p of prompts) byStepCount.set(stepsOf(p), [...(byStepCount.get(stepsOf(p)) ?? []), p]);
  let expansions = 0;
  let extendingParent = 0;
  for (const p of prompts) {
    const k = stepsOf(p);
    const parents = byStepCount.get(k - 1);
    if (k <= 1 || !parents) continue; // the root's expansion has no parent request
    expansions += 1;
    if (parents.some((parent) => p.startsWith(parent.replace(/### Step \d+:$/, "")))) extendingParent += 1;
  }
  return { expansions, extendingParent };
}

function round(value: number, digits: number) {
  return Number(value.toFixed(digits));
}

export function formatEngineBenchmark(r: EngineBenchmarkResult): string {
  return [
    `Engine benchmark (${r.cores} cores, ${r.database} database, scripted OpenAI-compatible server)`,
    `  saturation:   ${r.saturation.trees} trees, ${r.saturation.requests} requests at ${r.saturation.latencyMs} ms, ≤ ${r.saturation.inFlightLimit} in flight (max seen ${r.saturation.maxInFlight})`,
    `                wall ${(r.saturation.wallMs / 1000).toFixed(1)} s vs ideal ${(r.saturation.idealMs / 1000).toFixed(1)} s → ratio ${r.saturationRatio} (target ≤ 1.10)`,
    `  overhead:     ${r.nodesPerSec} nodes persisted/s at zero latency (${r.overhead.nodes} nodes in ${(r.overhead.wallMs / 1000).toFixed(1)} s; target ≥ 2,000)`,
    `  prefix reuse: ${(r.prefixReuse * 100).toFixed(1)}% of ${r.prefixReuseDetail.expansions} non-root expansions extend their parent's prompt (target 100%)`,
    `  scale-out:    1 worker process ${r.workers.oneNodesPerSec} nodes/s, 2 processes ${r.workers.twoNodesPerSec} nodes/s → ×${r.workers.ratio}`,
  ].join("\n");
}
