// `o1c bench judging`: MBPP's reference solutions judged end to end through the engine's judging path, beside the
// same programs through a bare (unisolated) forkserver.
// - engine path: per tree, what run-tree.ts does once a search is over — load the problem and its tests from the
//   database (loadTreeProblem), judge the code on the benchmark's tests in the isolated sandbox (judgingTests +
//   judgeCode), and store the verdict (writeTreeFinished: executions, DONE, the tree.finished event);
// - isolated judge only: judgeCode on the same sandbox with the tests already in memory (the engine path minus the
//   database);
// - bare forkserver: judgeCode with the tests in memory on a forkserver without isolation (startSandbox("unsafe-none")).
// Each pass judges every problem once with 2 programs per sandbox worker in flight (a worker always has the next
// program queued, as during an experiment). Time per program = pass wall time / programs; 3 runs (the paths in a
// rotating order), min/median/max.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createPrismaClient, createEmbeddedThrowawayDatabase, createServerThrowawayDatabase, type Db } from "../db/index.ts";
import { importDataset } from "../datasets/index.ts";
import { createExperiment } from "../experiments/index.ts";
import { createTreeRecorder, loadTreeProblem, nodeDbId, writeTreeFinished, type TreeProblem } from "../engine/index.ts";
import { judgeCode, judgingTests, type CodeVerdict, type ProgramContext } from "../judging/index.ts";
import { createSandbox, startSandbox, type Sandbox } from "../sandbox/index.ts";
import { parseExperimentConfig } from "../contracts/index.ts";
import { createRootNode, type SearchNode } from "../search/index.ts";
import { formatMachine, formatSpeedProbes, formatSpread, loadNow, machineFacts, probeMachineSpeedMs, spread, type MachineFacts, type Spread } from "./run-stats.ts";

export interface JudgingBenchmarkOptions {
  /** MBPP file (default ../shared/datasets/mbpp.jsonl next to the repository). */
  file?: string;
  runs?: number;
  /** Only the first N problems (default: all). */
  limit?: number;
}

export interface JudgingPathFigures {
  /** Pass wall time / programs, per run. */
  msPerProgram: Spread;
  /** Programs whose reference solution passed every base test, in the last run. */
  passed: number;
}

export type JudgingBenchmarkResult =
  | { skipped: string }
  | {
      machine: MachineFacts;
      /** 1-minute load average at the start of each run. */
      loadAtRunStart: number[];
      /** probeMachineSpeedMs at the start of each run. */
      speedAtRunStart: number[];
      programs: number;
      runs: number;
      sandboxWorkers: number;
      inFlight: number;
      engine: JudgingPathFigures;
      isolatedJudgeOnly: JudgingPathFigures;
      bareForkserver: JudgingPathFigures;
      /** engine median / bare median. */
      engineOverBare: number;
    };

interface JudgedTree {
  treeId: string;
  experimentId: string;
  code: string;
  /** The search-side node holding the code (stored in setup, as the search would have). */
  nodeId: string;
  loaded: TreeProblem;
}

export async function runJudgingBenchmark(options: JudgingBenchmarkOptions = {}): Promise<JudgingBenchmarkResult> {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
  const file = options.file ?? path.resolve(repo, "..", "shared", "datasets", "mbpp.jsonl");
  if (!existsSync(file)) return { skipped: `no MBPP file at ${file} (give --file PATH to mbpp.jsonl)` };
  const machine = machineFacts();
  const runs = options.runs ?? 3;
  const serverUrl = process.env.DATABASE_URL?.trim();
  const db = serverUrl ? await createServerThrowawayDatabase(serverUrl, "o1c_bench") : await createEmbeddedThrowawayDatabase();
  const prisma = createPrismaClient(db.url, { poolSize: db.mode === "embedded" ? 1 : 10 });
  const isolated = await createSandbox();
  let bare: Sandbox | null = null;
  try {
    bare = await startSandbox("unsafe-none", { workers: isolated.workers });
    await importDataset(prisma, { source: { path: file }, format: "mbpp", name: "mbpp" });
    const inFlight = 2 * isolated.workers;
    const engine: number[] = [];
    const judgeOnly: number[] = [];
    const bareOnly: number[] = [];
    const loadAtRunStart: number[] = [];
    const speedAtRunStart: number[] = [];
    let passed = { engine: 0, judgeOnly: 0, bare: 0 };
    let programs = 0;
    for (let run = 0; run < runs; run += 1) {
      loadAtRunStart.push(loadNow());
      speedAtRunStart.push(probeMachineSpeedMs());
      // A fresh experiment per run: writeTreeFinished stores each tree's verdict once.
      const trees = await prepareTrees(prisma, options.limit);
      programs = trees.length;
      const bareSandbox = bare;
      const paths = [
        { times: engine, judge: (tree: JudgedTree) => judgeThroughEngine(prisma, isolated, tree), key: "engine" as const },
        { times: judgeOnly, judge: (tree: JudgedTree) => judgeLoaded(isolated, tree), key: "judgeOnly" as const },
        { times: bareOnly, judge: (tree: JudgedTree) => judgeLoaded(bareSandbox, tree), key: "bare" as const },
      ];
      // Each run starts with a different path, so a burst of load elsewhere does not always hit the same one.
      for (let i = 0; i < paths.length; i += 1) {
        const { times, judge, key } = paths[(i + run) % paths.length]!;
        const pass = await timePass(trees, inFlight, judge);
        times.push(pass.msPerProgram);
        passed[key] = pass.passed;
      }
    }
    const figures = (values: number[], passes: number): JudgingPathFigures => ({ msPerProgram: spread(values.map((v) => round(v, 3))), passed: passes });
    const result = {
      machine,
      loadAtRunStart,
      speedAtRunStart,
      programs,
      runs,
      sandboxWorkers: isolated.workers,
      inFlight,
      engine: figures(engine, passed.engine),
      isolatedJudgeOnly: figures(judgeOnly, passed.judgeOnly),
      bareForkserver: figures(bareOnly, passed.bare),
      engineOverBare: 0,
    };
    result.engineOverBare = round(result.engine.msPerProgram.median / result.bareForkserver.msPerProgram.median, 2);
    return result;
  } finally {
    await isolated.close();
    await bare?.close();
    await prisma.$disconnect();
    await db.drop();
  }
}

/**
 * An experiment over MBPP whose every tree holds one terminal node with the problem's reference solution, stored
 * through the tree store as a search would have left it. Not timed.
 */
async function prepareTrees(prisma: Db, limit: number | undefined): Promise<JudgedTree[]> {
  const { id: experimentId } = await createExperiment(prisma, benchConfig(limit));
  const rows = await prisma.searchTree.findMany({
    where: { experimentId },
    orderBy: { problem: { ordinal: "asc" } },
    select: { id: true, problem: { select: { id: true, referenceSolution: true } } },
  });
  const trees: JudgedTree[] = [];
  for (const row of rows) {
    const code = row.problem.referenceSolution;
    if (!code) continue;
    const recorder = createTreeRecorder(prisma, { experimentId, treeId: row.id, problemId: row.problem.id });
    recorder.onNodeCreated!(terminalNode(code), null);
    await recorder.flush();
    trees.push({ treeId: row.id, experimentId, code, nodeId: nodeDbId(row.id, "0"), loaded: await loadTreeProblem(prisma, row.id) });
  }
  return trees;
}

function benchConfig(limit: number | undefined) {
  return parseExperimentConfig(
    {
      dataset: "mbpp",
      problems: limit === undefined ? { kind: "all" } : { kind: "range", from: 1, to: limit },
      mode: "pseudocode",
      // Never contacted: nothing is searched here.
      llm: { baseUrl: "http://127.0.0.1:9/v1", model: "bench" },
    },
    "bench judging",
  );
}

/** A one-node tree whose root is the terminal holding the reference solution, as the engine's judging sees it. */
function terminalNode(code: string): SearchNode {
  return { ...createRootNode(), code, visits: 1, valueSum: 1, isTerminal: true, reward: 1 };
}

/** The experiment config's default sandbox limits, as an experiment's trees are judged with. */
const LIMITS = benchConfig(undefined).sandbox;

function programOf(problem: TreeProblem["problem"]): ProgramContext {
  return { setupCode: problem.testSetupCode, entryPoint: problem.entryPoint, limits: LIMITS };
}

/** run-tree.ts's judging of one terminal: load, judge, store the verdict. */
async function judgeThroughEngine(prisma: Db, sandbox: Sandbox, tree: JudgedTree): Promise<CodeVerdict> {
  const { problem } = await loadTreeProblem(prisma, tree.treeId);
  const verdict = await judgeCode(sandbox, programOf(problem), judgingTests(problem.testCases), tree.code);
  await writeTreeFinished(prisma, { experimentId: tree.experimentId, treeId: tree.treeId, problemId: problem.id }, {
    finishedAt: new Date(),
    finalNodeId: tree.nodeId,
    metrics: { passes: verdict.base },
    executions: verdict.executions.map((e) => ({ nodeId: tree.nodeId, ...e })),
    topLevel: verdict.topLevel ? [{ nodeId: tree.nodeId, ...verdict.topLevel }] : [],
  });
  return verdict;
}

function judgeLoaded(sandbox: Sandbox, tree: JudgedTree): Promise<CodeVerdict> {
  const { problem } = tree.loaded;
  return judgeCode(sandbox, programOf(problem), judgingTests(problem.testCases), tree.code);
}

/** Judges every tree with `inFlight` at once; time per program and how many passed their base tests. */
async function timePass(trees: readonly JudgedTree[], inFlight: number, judge: (tree: JudgedTree) => Promise<CodeVerdict>) {
  let next = 0;
  let passed = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < trees.length) {
      const tree = trees[next++]!;
      if ((await judge(tree)).base === true) passed += 1;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return { msPerProgram: (performance.now() - started) / Math.max(1, trees.length), passed };
}

function round(value: number, digits: number) {
  return Number(value.toFixed(digits));
}

export function formatJudgingBenchmark(r: JudgingBenchmarkResult): string {
  if ("skipped" in r) return `Judging benchmark skipped: ${r.skipped}`;
  const row = (label: string, f: JudgingPathFigures) => `  ${label.padEnd(44)}${formatSpread(f.msPerProgram, 2).padStart(28)} ms   ${f.passed}/${r.programs} pass`;
  return [
    `Judging benchmark: MBPP's ${r.programs} reference solutions, ${r.runs} runs, ${r.inFlight} programs in flight on ${r.sandboxWorkers} sandbox workers`,
    `  ${formatMachine(r.machine)}`,
    `  load average (1 min) at the start of each run: ${r.loadAtRunStart.map((l) => l.toFixed(2)).join(", ")}`,
    `  ${formatSpeedProbes(r.speedAtRunStart)}, at the start of each run`,
    `  time per program (pass wall time / programs): median (min, max)`,
    row("engine path (load, isolated judge, store)", r.engine),
    row("isolated judge only (tests in memory)", r.isolatedJudgeOnly),
    row("bare forkserver (no isolation)", r.bareForkserver),
    `  engine path / bare forkserver: ×${r.engineOverBare}`,
  ].join("\n");
}
