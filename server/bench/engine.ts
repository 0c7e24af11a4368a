// `o1c bench engine`: the search engine's throughput against the scripted OpenAI-compatible server (the test
// fixture that answers like vLLM), on a throwaway database, through the real job queue, sandbox and persistence.
// - saturation: 200 ms per request, 64 requests in flight at most (the process-wide LLM limit), enough trees to
//   keep it busy → wall time / (requests × 200 ms / 64); 1.0 is perfect;
// - overhead: no latency → tree nodes persisted per second (search + sandbox + database, this machine's cores);
// - prefix reuse: share of non-root expansion requests whose prompt extends their parent's prompt byte for byte
//   (what vLLM's automatic prefix caching needs);
// - scale-out: the overhead scenario searched by 2 `o1c worker` processes vs 1 on the same database, taking turns.
// The scenarios are repeated (3 runs by default) and each figure reported as min / median / max, with the machine's
// cores and the load average at the start of each run (other work on the machine shows up as spread).
import { fork, spawn, type ChildProcess } from "node:child_process";
import { createPrismaClient, Prisma, queryRows, type Db, createEmbeddedThrowawayDatabase, createServerThrowawayDatabase, type ThrowawayDatabase } from "../db/index.ts";
import { importDataset } from "../datasets/index.ts";
import { createOpenAiClient, DEFAULT_IN_FLIGHT_LIMIT } from "../llm/index.ts";
import { createExperimentFromInput } from "../experiments/index.ts";
import { openTreeQueue, type TreeQueue, startTreeWorker } from "../engine/index.ts";
import { createSandbox, processCpuMs, processTreeCpuMs, otherThreadsCpuMs, type PooledSandbox, type Sandbox } from "../sandbox/index.ts";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { IN_FLIGHT_SAMPLE_MS, type ScriptedLlmMessage, type ScriptedLlmSpec } from "./scripted-llm-process.ts";
import { formatProfileSummary, startCpuProfile, type ProfileSummary } from "./cpu-profile.ts";
import { formatMachine, formatSpread, loadNow, machineFacts, formatSpeedProbes, probeMachineSpeedMs, spread, startMachineBusyMeter, type MachineFacts, type Spread } from "./run-stats.ts";

export interface EngineBenchmarkOptions {
  /** Trees in the saturation scenario (default 480). */
  saturationTrees?: number;
  /**
   * Trees in the overhead and scale-out scenarios (default 256, about 3,800 nodes: some seconds of steady state. With
   * 64 a run lasted ~1.4 s, of which the claims of the first trees and the last trees' tail, with slots idle, were
   * a large part: the machine was 79-87% busy over such runs, against 87-91% with 256 measured the same way).
   */
  overheadTrees?: number;
  /** Repetitions of the whole set of scenarios (default 3); figures are reported as min / median / max. */
  runs?: number;
  /** Profiles the engine process over each run's overhead scenario and writes the .cpuprofile files here. */
  cpuProfileDir?: string;
}

/** One repetition of the scenarios. */
export interface EngineRunFigures {
  /** 1-minute load average when the run started. */
  loadAtStart: number;
  /** probeMachineSpeedMs when the run started (ms for a fixed workload; lower is faster). */
  speedProbeMs: number;
  saturationRatio: number;
  saturation: {
    trees: number;
    requests: number;
    latencyMs: number;
    inFlightLimit: number;
    maxInFlight: number;
    wallMs: number;
    idealMs: number;
    /** Mean requests in flight between the first and the last moment the limit was reached (ramp-up and tail excluded). */
    steadyInFlight: number;
    /** ms from the first request to the first moment at the limit, and from the last such moment to the end (sampled). */
    rampUpMs: number;
    tailMs: number;
  };
  nodesPerSec: number;
  /**
   * cpuMsPerNode: CPU time (user + system) per node persisted, of each process taking part (see CpuBreakdown);
   * machineBusy: the busy share of the machine's CPU time over the scenario (null where it cannot be read).
   */
  overhead: { trees: number; nodes: number; wallMs: number; cpuMsPerNode: CpuBreakdown; machineBusy: number | null };
  prefixReuse: number;
  prefixReuseDetail: { expansions: number; extendingParent: number };
  workers: { oneNodesPerSec: number; twoNodesPerSec: number; ratio: number; one: WorkerProcessFigures; two: WorkerProcessFigures };
  /** With --cpu-prof: where the engine process spent the overhead scenario. */
  cpuProfile?: ProfileSummary;
}

export interface EngineBenchmarkResult {
  machine: MachineFacts;
  database: "server" | "embedded";
  runs: EngineRunFigures[];
  saturationRatio: Spread;
  nodesPerSec: Spread;
  /** The engine process's CPU per node (the part this code base's engine decides). */
  cpuMsPerNode: Spread;
  /** Every process's CPU per node: where a node's cost goes. */
  cpuMsPerNodeAll: Spread;
  prefixReuse: Spread;
  workersRatio: Spread;
  targets: { saturationRatio: number; nodesPerSec: number; workersRatio: number };
}

/** A timed search by `o1c worker` processes: what a node cost every process taking part, and how busy the machine was. */
export interface WorkerProcessFigures {
  nodesPerSec: number;
  cpuMsPerNode: CpuBreakdown;
  machineBusy: number | null;
}

const LATENCY_MS = 200;

/**
 * Trees searched at once in the saturation scenario: the most an experiment allows (experiment-config.ts). Each
 * tree has at most one LLM request out, so 256 trees keep the 64 permits busy while the rest search or wait.
 */
const SATURATION_CONCURRENCY = 256;

/** Untimed experiments each worker process searches before it is timed (so each has seen ~7,500 nodes). */
const WARM_UP_EXPERIMENTS_PER_PROCESS = 2;

/** Timed experiments of each group (1 and 2 worker processes) in the scale-out, taking turns. */
const SCALE_OUT_ROUNDS = 2;

/** Tree slots of each worker in the overhead and scale-out scenarios. */
const WORKER_SLOTS = 16;

const TARGETS = { saturationRatio: 1.1, nodesPerSec: 2000, workersRatio: 1.0 };

export async function runEngineBenchmark(options: EngineBenchmarkOptions = {}): Promise<EngineBenchmarkResult> {
  const machine = machineFacts();
  const serverUrl = process.env.DATABASE_URL?.trim();
  const db: ThrowawayDatabase = serverUrl ? await createServerThrowawayDatabase(serverUrl, "o1c_bench") : await createEmbeddedThrowawayDatabase();
  const prisma = createPrismaClient(db.url, { poolSize: db.mode === "embedded" ? 1 : 10, preparedStatements: db.mode === "server" });
  let queue: TreeQueue | null = null;
  let sandbox: Sandbox | null = null;
  try {
    // Enough trees that the ramp-up (claiming the first trees) and the tail (the last trees' final requests) are a
    // small part of the run: both are fixed costs of about one tree's chain of requests.
    const saturationTrees = options.saturationTrees ?? 480;
    const overheadTrees = options.overheadTrees ?? 256;
    const problems = await importBenchProblems(prisma, Math.max(saturationTrees, overheadTrees));
    queue = await openTreeQueue(db.url, { poolSize: 2 });
    sandbox = await createSandbox();
    await warmUpEngine({ prisma, queue, sandbox, llmUrl: "" }, problems, overheadTrees);
    const runs: EngineRunFigures[] = [];
    for (let run = 0; run < (options.runs ?? 3); run += 1) {
      const profile = options.cpuProfileDir ? { dir: options.cpuProfileDir, name: `engine-overhead-run${run + 1}` } : null;
      runs.push(await runScenarios({ prisma, queue, sandbox, llmUrl: "" }, db.url, problems, saturationTrees, overheadTrees, profile));
    }
    return {
      machine,
      database: db.mode,
      runs,
      saturationRatio: spread(runs.map((r) => r.saturationRatio)),
      nodesPerSec: spread(runs.map((r) => r.nodesPerSec)),
      cpuMsPerNode: spread(runs.map((r) => r.overhead.cpuMsPerNode.engine)),
      cpuMsPerNodeAll: spread(runs.map((r) => r.overhead.cpuMsPerNode.total)),
      prefixReuse: spread(runs.map((r) => r.prefixReuse)),
      workersRatio: spread(runs.map((r) => r.workers.ratio)),
      targets: TARGETS,
    };
  } finally {
    await queue?.close().catch(() => {});
    await sandbox?.close().catch(() => {});
    await prisma.$disconnect();
    await db.drop();
  }
}

/**
 * An untimed zero-latency experiment of the overhead scenario's shape before the first run. The engine is a
 * long-running process (`o1c serve`, `o1c worker`), like the LLM server whose stand-in warms up too; a fresh one runs
 * its first thousands of requests in V8's slower tiers with its optimizing compiler busy (about twice the engine's
 * warm CPU per node): unwarmed, the first run's saturation kept 56.5 requests in flight on average where the later
 * runs kept 61-62 (warmed: 61.6 and 62 in the first runs of two benches).
 */
async function warmUpEngine(edges: BenchEdges, problems: ScriptedLlmSpec["problems"], trees: number): Promise<void> {
  const server = await startScriptedLlmProcess({ problems, model: "bench", latencyMs: 0, sampleInFlight: false });
  try {
    await runOnce({ ...edges, llmUrl: server.url }, { trees, rollouts: 15, concurrency: WORKER_SLOTS });
  } finally {
    await server.close();
  }
}

/**
 * Vacuums and checkpoints the bench database before a run (untimed): a run stores ~45,000 nodes, mostly in the
 * scale-out's experiments, and the autovacuum and checkpoint work they leave would otherwise land on the next run's
 * saturation scenario, measured as the engine's.
 */
async function settleDatabase(prisma: Db): Promise<void> {
  await prisma.$executeRawUnsafe("VACUUM (ANALYZE)");
  await prisma.$executeRawUnsafe("CHECKPOINT");
}

/** One repetition: saturation, overhead, and scale-out, each on experiments of its own. */
async function runScenarios(
  edges: BenchEdges,
  databaseUrl: string,
  problems: ScriptedLlmSpec["problems"],
  saturationTrees: number,
  overheadTrees: number,
  profile: { dir: string; name: string } | null,
): Promise<EngineRunFigures> {
  await settleDatabase(edges.prisma);
  const loadAtStart = loadNow();
  const speedProbeMs = probeMachineSpeedMs();
  let server = await startScriptedLlmProcess({ problems, model: "bench", latencyMs: LATENCY_MS, sampleInFlight: true });
  try {
    // Saturation: as many trees at once as an experiment allows, so only the 64-permit LLM limit bounds the requests in flight.
    const saturation = await runOnce({ ...edges, llmUrl: server.url }, { trees: saturationTrees, rollouts: 4, concurrency: SATURATION_CONCURRENCY });
    const { prompts: requests, maxInFlight, inFlightSamples } = await server.stats();
    const idealMs = (requests.length * LATENCY_MS) / DEFAULT_IN_FLIGHT_LIMIT;
    const reuse = measurePrefixReuse(requests);
    await server.close();

    server = await startScriptedLlmProcess({ problems, model: "bench", latencyMs: 0, sampleInFlight: false });
    const zeroLatency = { ...edges, llmUrl: server.url };
    const meter = scenarioMeter(edges.prisma, inProcessEngine(edges.sandbox), server.pid, profile);
    const overhead = await runOnce(zeroLatency, { trees: overheadTrees, rollouts: 15, concurrency: WORKER_SLOTS }, meter);
    const { cpuMs, machineBusy, cpuProfile } = overhead.measured!;
    const { one, two } = await measureScaleOut(zeroLatency, databaseUrl, overheadTrees, server.pid);
    return {
      loadAtStart,
      speedProbeMs,
      saturationRatio: round(saturation.wallMs / idealMs, 3),
      saturation: {
        trees: saturationTrees,
        requests: requests.length,
        latencyMs: LATENCY_MS,
        inFlightLimit: DEFAULT_IN_FLIGHT_LIMIT,
        maxInFlight,
        wallMs: saturation.wallMs,
        idealMs: Math.round(idealMs),
        steadyInFlight: round(steadyStateInFlight(inFlightSamples, DEFAULT_IN_FLIGHT_LIMIT), 1),
        ...rampAndTail(inFlightSamples, DEFAULT_IN_FLIGHT_LIMIT),
      },
      nodesPerSec: Math.round(overhead.nodes / (overhead.wallMs / 1000)),
      overhead: { trees: overheadTrees, nodes: overhead.nodes, wallMs: overhead.wallMs, cpuMsPerNode: perNode(cpuMs, overhead.nodes), machineBusy },
      prefixReuse: round(reuse.expansions === 0 ? 0 : reuse.extendingParent / reuse.expansions, 4),
      prefixReuseDetail: reuse,
      workers: { oneNodesPerSec: one.nodesPerSec, twoNodesPerSec: two.nodesPerSec, ratio: round(two.nodesPerSec / one.nodesPerSec, 2), one, two },
      ...(cpuProfile ? { cpuProfile } : {}),
    };
  } finally {
    await server.close().catch(() => {});
  }
}

/** CPU time (ms) of each process taking part in a scenario; "database" is the bench database's PostgreSQL backends. */
export interface CpuBreakdown {
  engine: number;
  /**
   * Of `engine`: its processes' threads other than the JavaScript thread, i.e. V8's optimizing compiler and concurrent
   * GC (and libuv's pool). A process still compiling its hot code pays it per node; a long-running one no longer does.
   */
  engineOtherThreads: number;
  database: number;
  sandbox: number;
  llmServer: number;
  total: number;
}

/** CPU time read so far (ms) by the engine and by its sandbox, wherever they run. */
interface EngineCpuReader {
  engineMs(): number;
  /** Of engineMs: the engine processes' threads other than the JavaScript one (see CpuBreakdown). */
  engineOtherThreadsMs(): number;
  sandboxMs(): number;
}

const otherThreadsMs = (pid: number) => otherThreadsCpuMs(pid) ?? 0;

/** The engine in this process, with its sandbox's worker trees. */
function inProcessEngine(sandbox: Sandbox): EngineCpuReader {
  const sandboxPids = "workerPids" in sandbox ? (sandbox as PooledSandbox).workerPids() : [];
  return {
    engineMs() {
      const usage = process.cpuUsage();
      return (usage.user + usage.system) / 1000;
    },
    engineOtherThreadsMs: () => otherThreadsMs(process.pid),
    sandboxMs: () => sandboxPids.reduce((total, pid) => total + processTreeCpuMs(pid), 0),
  };
}

/** Engines in `o1c worker` processes: each process itself, and its descendants (its sandbox's workers and programs). */
function workerProcessEngines(pids: readonly number[]): EngineCpuReader {
  const sum = (read: (pid: number) => number) => pids.reduce((total, pid) => total + read(pid), 0);
  return {
    engineMs: () => sum((pid) => processCpuMs(pid) ?? 0),
    engineOtherThreadsMs: () => sum(otherThreadsMs),
    sandboxMs: () => sum((pid) => processTreeCpuMs(pid) - (processCpuMs(pid) ?? 0)),
  };
}

/**
 * Starts counting the CPU time of the engine and its sandbox (see EngineCpuReader), the scripted LLM server and the
 * bench database's PostgreSQL backends (read from /proc: same machine, Linux; a backend that is not readable counts 0).
 */
async function startCpuMeter(prisma: Db, engine: EngineCpuReader, llmPid: number) {
  const backends = async () => (await prisma.$queryRaw<{ pid: number }[]>`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`).map((r) => r.pid);
  const databaseNow = async (pids: readonly number[]) => new Map(pids.map((pid) => [pid, processCpuMs(pid) ?? 0]));
  const start = { engine: engine.engineMs(), engineOtherThreads: engine.engineOtherThreadsMs(), database: await databaseNow(await backends()), sandbox: engine.sandboxMs(), llmServer: processTreeCpuMs(llmPid) };
  return {
    async stop(): Promise<CpuBreakdown> {
      const database = await databaseNow(await backends());
      const used = {
        engine: engine.engineMs() - start.engine,
        engineOtherThreads: engine.engineOtherThreadsMs() - start.engineOtherThreads,
        // Backends opened during the scenario started from 0.
        database: [...database].reduce((total, [pid, ms]) => total + ms - (start.database.get(pid) ?? 0), 0),
        sandbox: engine.sandboxMs() - start.sandbox,
        llmServer: processTreeCpuMs(llmPid) - start.llmServer,
      };
      return { ...used, total: used.engine + used.database + used.sandbox + used.llmServer };
    },
  };
}

/** Every part of a CpuBreakdown (a Record, so the compiler names any part left out). */
const CPU_PARTS = Object.keys({ engine: 0, engineOtherThreads: 0, database: 0, sandbox: 0, llmServer: 0, total: 0 } satisfies CpuBreakdown) as (keyof CpuBreakdown)[];

/** A CpuBreakdown made part by part. */
function cpuBreakdown(part: (key: keyof CpuBreakdown) => number): CpuBreakdown {
  return Object.fromEntries(CPU_PARTS.map((key) => [key, part(key)])) as unknown as CpuBreakdown;
}

function perNode(cpu: CpuBreakdown, nodes: number): CpuBreakdown {
  return cpuBreakdown((key) => round(cpu[key] / Math.max(1, nodes), 3));
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

/** `concurrency`: the experiment's own bound on trees searched at once (the default, 8, would bound the bench instead of the engine). */
async function createBenchExperiment(prisma: Db, llmUrl: string, trees: number, rollouts: number, concurrency: number) {
  return createExperimentFromInput(prisma, {
    dataset: "bench",
    problems: { kind: "range", from: 1, to: trees },
    mode: "pseudocode",
    llm: { baseUrl: llmUrl, model: "bench" },
    search: { rollouts, children: 3 },
    seed: 1,
    concurrency,
  });
}

/** Enqueues an experiment, searches it with one in-process worker, and times it from enqueue to completion. */
async function runOnce<T>(edges: BenchEdges, run: { trees: number; rollouts: number; concurrency: number }, meter?: ScenarioMeter<T>) {
  const { id } = await createBenchExperiment(edges.prisma, edges.llmUrl, run.trees, run.rollouts, run.concurrency);
  const worker = startTreeWorker(edges.prisma, edges.queue, {
    sandbox: edges.sandbox,
    createLlm: (llm) => createOpenAiClient({ baseUrl: llm.baseUrl!, model: llm.model! }),
    concurrency: run.concurrency,
    pollMs: 50,
  });
  try {
    return await searchExperiment(edges.prisma, edges.queue, id, meter);
  } finally {
    await worker.close();
  }
}

/** Meters started just before an experiment is enqueued and stopped as soon as its completion is seen. */
interface ScenarioMeter<T> {
  start(): Promise<void>;
  stop(): Promise<T>;
}

/** How often a metered search polls for its completion, so the meters stop close to it (unmetered: 200 ms). */
const METERED_POLL_MS = 25;

/** Enqueues a created experiment and times it from enqueue to completion, metered if asked. */
async function searchExperiment<T>(prisma: Db, queue: TreeQueue, id: string, meter?: ScenarioMeter<T>) {
  await meter?.start();
  const started = Date.now();
  await queue.enqueueExperiment(prisma, id);
  const wallMs = (await waitForCompletion(prisma, id, meter ? METERED_POLL_MS : 200)) - started;
  const measured = await meter?.stop();
  return { wallMs, nodes: await prisma.treeNode.count({ where: { tree: { experimentId: id } } }), measured };
}

/** Every process's CPU (see startCpuMeter), the machine's busy share and, if asked, a V8 profile of this process. */
function scenarioMeter(prisma: Db, engine: EngineCpuReader, llmPid: number, profile: { dir: string; name: string } | null = null) {
  let cpu: Awaited<ReturnType<typeof startCpuMeter>> | null = null;
  let busy: ReturnType<typeof startMachineBusyMeter> | null = null;
  let profiler: Awaited<ReturnType<typeof startCpuProfile>> | null = null;
  return {
    async start() {
      cpu = await startCpuMeter(prisma, engine, llmPid);
      profiler = profile ? await startCpuProfile(profile.dir, profile.name) : null;
      busy = startMachineBusyMeter();
    },
    async stop(): Promise<{ cpuMs: CpuBreakdown; machineBusy: number | null; cpuProfile?: ProfileSummary }> {
      const machineBusy = busy!.stop();
      const cpuProfile = await profiler?.stop();
      return { cpuMs: await cpu!.stop(), machineBusy, ...(cpuProfile ? { cpuProfile } : {}) };
    },
  } satisfies ScenarioMeter<unknown>;
}

/**
 * 2 `o1c worker` processes vs 1 on the same database, side by side: three processes start, the lone one and the pair
 * take turns (the group not measured is stopped with SIGSTOP, so it uses no CPU and fetches no jobs), and the figures
 * of each group add up SCALE_OUT_ROUNDS alternating timed experiments. Load from elsewhere that comes and goes
 * (figures on this machine move by tens of percent within a minute) then falls on both groups alike, where timing
 * one group after the other put it on whichever ran second.
 */
async function measureScaleOut(edges: BenchEdges, databaseUrl: string, trees: number, llmPid: number): Promise<{ one: WorkerProcessFigures; two: WorkerProcessFigures }> {
  const lone = [startWorkerProcess(databaseUrl)];
  const pair = [startWorkerProcess(databaseUrl), startWorkerProcess(databaseUrl)];
  const groups = [lone, pair];
  const activate = (group: ChildProcess[]) => {
    for (const other of groups) if (other !== group) other.forEach((child) => child.kill("SIGSTOP"));
    group.forEach((child) => child.kill("SIGCONT"));
  };
  try {
    await Promise.all([...lone, ...pair].map((child) => workerReady(child)));
    // Timed only once every process has loaded, connected and started its sandbox, and has searched experiments of
    // the same shape (not timed), as many per process in either group: the figure is a running worker's search
    // throughput. A fresh process runs its first thousands of requests in V8's slower tiers and keeps its optimizing
    // compiler busy (see CpuBreakdown.engineOtherThreads), and each process pays that for itself: with one warm-up
    // experiment shared by two processes, each had half the warm-up of a lone one, and the two processes' engine CPU
    // per node was 0.76 ms against the lone one's 0.38 (compiler threads 0.28 vs 0.07).
    for (const group of groups) {
      activate(group);
      for (let i = 0; i < WARM_UP_EXPERIMENTS_PER_PROCESS * group.length; i += 1) await searchWithWorkers(edges, group.length, trees);
    }
    const timed = groups.map(() => [] as TimedSearch[]);
    for (let round = 0; round < SCALE_OUT_ROUNDS; round += 1) {
      for (const [i, group] of groups.entries()) {
        activate(group);
        timed[i]!.push(await timedSearch(edges, group, trees, llmPid));
      }
    }
    const [one, two] = timed.map(combineTimedSearches) as [WorkerProcessFigures, WorkerProcessFigures];
    return { one, two };
  } finally {
    for (const child of [...lone, ...pair]) {
      child.kill("SIGCONT");
      child.kill("SIGTERM");
    }
    const running = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;
    await Promise.all([...lone, ...pair].map((c) => (running(c) ? new Promise((resolve) => c.once("exit", resolve)) : null)));
  }
}

function startWorkerProcess(databaseUrl: string): ChildProcess {
  return spawn(process.execPath, ["bin/o1c.mjs", "worker", "--concurrency", String(WORKER_SLOTS), "--poll-ms", "50"], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ["ignore", "ignore", "pipe"],
  });
}

interface TimedSearch {
  nodes: number;
  wallMs: number;
  cpuMs: CpuBreakdown;
  machineBusy: number | null;
}

/** One experiment searched by `group` (the running worker processes), with every process's CPU and the machine's. */
async function timedSearch(edges: BenchEdges, group: ChildProcess[], trees: number, llmPid: number): Promise<TimedSearch> {
  const meter = scenarioMeter(edges.prisma, workerProcessEngines(group.map((child) => child.pid!)), llmPid);
  const { nodes, wallMs, measured } = await searchWithWorkers(edges, group.length, trees, meter);
  return { nodes, wallMs, cpuMs: measured!.cpuMs, machineBusy: measured!.machineBusy };
}

/** A group's timed searches as one: nodes over the summed wall time, CPU over the summed nodes, busy share by time. */
export function combineTimedSearches(searches: readonly TimedSearch[]): WorkerProcessFigures {
  const sum = (f: (s: TimedSearch) => number) => searches.reduce((total, s) => total + f(s), 0);
  const nodes = sum((s) => s.nodes);
  const wallMs = sum((s) => s.wallMs);
  const cpuMs = cpuBreakdown((key) => sum((s) => s.cpuMs[key]));
  const busyKnown = searches.every((s) => s.machineBusy !== null);
  return {
    nodesPerSec: Math.round(nodes / (wallMs / 1000)),
    cpuMsPerNode: perNode(cpuMs, nodes),
    machineBusy: busyKnown ? round(sum((s) => s.machineBusy! * s.wallMs) / wallMs, 2) : null,
  };
}

/** One experiment searched by the running worker processes, timed from enqueue to completion. */
async function searchWithWorkers<T>(edges: BenchEdges, workers: number, trees: number, meter?: ScenarioMeter<T>) {
  // The experiment allows every worker's slots at once: the figure is how the workers share the work, not the limit.
  const { id } = await createBenchExperiment(edges.prisma, edges.llmUrl, trees, 15, workers * WORKER_SLOTS);
  return searchExperiment(edges.prisma, edges.queue, id, meter);
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

/**
 * Waits for the experiment to complete and returns when it did (its finishedAt: the completing worker's clock, this
 * machine's). The wall time is measured to that moment, so the poll can be slow and cost the engine little, unless
 * meters running meanwhile must stop close to it.
 */
async function waitForCompletion(prisma: Db, experimentId: string, pollMs: number, timeoutMs = 600_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [experiment] = await queryRows<{ status: string; finishedAt: Date | null }>(prisma, Prisma.sql`
      SELECT "status"::text AS status, "finishedAt" FROM "Experiment" WHERE "id" = ${experimentId}`);
    if (experiment?.status === "completed") return experiment.finishedAt!.getTime();
    if (experiment?.status === "failed" || experiment?.status === "cancelled") throw new Error(`bench experiment ended ${experiment.status}`);
    if (Date.now() > deadline) throw new Error("bench experiment did not complete in time");
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

interface ScriptedLlmProcess {
  url: string;
  pid: number;
  stats(): Promise<{ prompts: string[]; maxInFlight: number; inFlightSamples: number[] }>;
  close(): Promise<void>;
}

/** Starts server/bench/scripted-llm-process.ts and waits for its URL. */
async function startScriptedLlmProcess(spec: ScriptedLlmSpec): Promise<ScriptedLlmProcess> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "o1c-bench-llm-"));
  const specFile = path.join(dir, "spec.json");
  await writeFile(specFile, JSON.stringify(spec));
  const child = fork(fileURLToPath(new URL("./scripted-llm-process.ts", import.meta.url)), [specFile], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const next = () =>
    new Promise<ScriptedLlmMessage>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the scripted LLM process exited with ${code}`));
      child.once("exit", onExit);
      child.once("message", (message) => {
        child.off("exit", onExit);
        resolve(message as ScriptedLlmMessage);
      });
    });
  const started = await next();
  if (!("url" in started)) throw new Error("the scripted LLM process did not report its URL");
  return {
    url: started.url,
    pid: child.pid!,
    async stats() {
      const reply = next();
      child.send("stats");
      const message = await reply;
      if (!("prompts" in message)) throw new Error("unexpected reply from the scripted LLM process");
      return message;
    },
    async close() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.send("close");
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
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

/** Mean of the samples from the first to the last one at the limit: how full the orchestration keeps the server. */
/** Where a saturation run loses time outside the steady state: before the limit is first reached, and after it is last. */
export function rampAndTail(samples: readonly number[], limit: number): { rampUpMs: number; tailMs: number } {
  const first = samples.findIndex((n) => n >= limit);
  const last = samples.findLastIndex((n) => n >= limit);
  if (first < 0) return { rampUpMs: samples.length * IN_FLIGHT_SAMPLE_MS, tailMs: 0 };
  return { rampUpMs: first * IN_FLIGHT_SAMPLE_MS, tailMs: (samples.length - 1 - last) * IN_FLIGHT_SAMPLE_MS };
}

export function steadyStateInFlight(samples: readonly number[], limit: number): number {
  const first = samples.findIndex((n) => n >= limit);
  const last = samples.findLastIndex((n) => n >= limit);
  if (first < 0) return samples.length === 0 ? 0 : Math.max(...samples);
  const window = samples.slice(first, last + 1);
  return window.reduce((a, b) => a + b, 0) / window.length;
}

function formatBusy(share: number | null): string {
  return share === null ? "busy n/a" : `${Math.round(share * 100)}% busy`;
}

function round(value: number, digits: number) {
  return Number(value.toFixed(digits));
}

export function formatEngineBenchmark(r: EngineBenchmarkResult): string {
  const met = (ok: boolean) => (ok ? "met" : "NOT met");
  const first = r.runs[0]!;
  return [
    `Engine benchmark (${r.database} database, scripted OpenAI-compatible server), ${r.runs.length} runs: median (min, max)`,
    `  ${formatMachine(r.machine)}`,
    `  load average (1 min) at the start of each run: ${r.runs.map((run) => run.loadAtStart.toFixed(2)).join(", ")}`,
    `  ${formatSpeedProbes(r.runs.map((run) => run.speedProbeMs))}, at the start of each run`,
    `  saturation:   ${first.saturation.trees} trees (${SATURATION_CONCURRENCY} at once), ~${first.saturation.requests} requests at ${first.saturation.latencyMs} ms, ≤ ${first.saturation.inFlightLimit} in flight`,
    `                wall / ideal ${formatSpread(r.saturationRatio, 3)} (target ≤ ${r.targets.saturationRatio}: ${met(r.saturationRatio.median <= r.targets.saturationRatio)})`,
    `                per run: ${r.runs.map((run) => `${(run.saturation.wallMs / 1000).toFixed(1)} s vs ${(run.saturation.idealMs / 1000).toFixed(1)} s, ${run.saturation.steadyInFlight} in flight on average at the limit (max ${run.saturation.maxInFlight}), ramp-up ${(run.saturation.rampUpMs / 1000).toFixed(1)} s, tail ${(run.saturation.tailMs / 1000).toFixed(1)} s`).join("; ")}`,
    `  overhead:     ${formatSpread(r.nodesPerSec)} nodes persisted/s at zero latency, ${first.overhead.trees} trees × 15 rollouts, ${WORKER_SLOTS} at once (target ≥ ${r.targets.nodesPerSec}: ${met(r.nodesPerSec.median >= r.targets.nodesPerSec)})`,
    `                CPU per node: ${formatSpread(r.cpuMsPerNodeAll, 2)} ms in all, of which the engine process ${formatSpread(r.cpuMsPerNode, 2)} ms`,
    `                per run (ms per node: engine (its other threads: V8's compiler, GC) / database / sandbox / LLM server; machine busy): ${r.runs.map(({ overhead: { cpuMsPerNode: c, machineBusy } }) => `${c.engine} (${c.engineOtherThreads}) / ${c.database} / ${c.sandbox} / ${c.llmServer}; ${formatBusy(machineBusy)}`).join(", ")}`,
    `  prefix reuse: ${formatSpread({ ...r.prefixReuse, min: r.prefixReuse.min * 100, median: r.prefixReuse.median * 100, max: r.prefixReuse.max * 100 }, 1)}% of ${first.prefixReuseDetail.expansions} non-root expansions extend their parent's prompt (target 100%)`,
    `  scale-out:    2 worker processes / 1: ×${formatSpread(r.workersRatio, 2)} (target ≥ ${r.targets.workersRatio}: ${met(r.workersRatio.median >= r.targets.workersRatio)})`,
    `                per run, 1 → 2 processes: nodes/s; CPU per node of every process, ms; machine busy:`,
    ...r.runs.map(({ workers: { one, two } }) => `                  ${one.nodesPerSec} → ${two.nodesPerSec}; ${one.cpuMsPerNode.total} → ${two.cpuMsPerNode.total} (engine processes ${one.cpuMsPerNode.engine} → ${two.cpuMsPerNode.engine}, of which other threads ${one.cpuMsPerNode.engineOtherThreads} → ${two.cpuMsPerNode.engineOtherThreads}; sandbox ${one.cpuMsPerNode.sandbox} → ${two.cpuMsPerNode.sandbox}, database ${one.cpuMsPerNode.database} → ${two.cpuMsPerNode.database}); ${formatBusy(one.machineBusy)} → ${formatBusy(two.machineBusy)}`),
    // The median run's profile (by nodes/s): a typical run rather than the noisiest.
    ...r.runs.filter((run) => run.cpuProfile && run.nodesPerSec === r.nodesPerSec.median).slice(0, 1).map((run) => formatProfileSummary(run.cpuProfile!)),
  ].join("\n");
}
