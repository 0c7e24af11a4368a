// `o1c bench sandbox`: isolated executions per second and latency for a small function + 3 asserts, against the
// same programs through a bare forkserver (same code path, no bubblewrap, no namespaces) measured in the same run.
// The two pools run in alternating rounds, so a burst of load elsewhere on the machine hits both alike.
// Then the CPU a run costs, process by process (the forkserver, the programs it forks, the judge, bubblewrap, Node),
// for that program passing its asserts and for a wrong twin failing them: both decided in Node from the recorded
// calls, and the failing one again on a pool that sends every assert test to the judge's replay.
import os from "node:os";
import { formatMachine, formatSpeedProbes, formatSpread, loadNow, machineFacts, probeMachineSpeedMs, spread, type MachineFacts, type Spread } from "./run-stats.ts";
import {
  descendantsOf,
  processCpu,
  processTreeMemory,
  startSandbox,
  type Isolation,
  type PooledSandbox,
  type ProcessCpu,
  type RunRequest,
  type SandboxOptions,
} from "../sandbox/index.ts";

export interface SandboxBenchmarkOptions {
  /** Measured programs per pool (default 2000). */
  programs?: number;
  /** Unmeasured programs per pool first (default 100). */
  warmup?: number;
  /** Rounds the measured programs are split into, alternating pools (default 4). */
  rounds?: number;
  /** Runs in flight at once (default: one per worker, so latency is service time, not queueing). */
  concurrency?: number;
  /** Pool size (default: one per core, the sandbox default). */
  workers?: number;
  sandbox?: Omit<SandboxOptions, "workers">;
  /** Runs per case (passing, failing, failing replayed) in each repeat of the CPU measurement (default 500; 0 skips it). */
  cpuRuns?: number;
  /** Repeats of the CPU measurement (default 3). */
  cpuRepeats?: number;
}

export interface PoolFigures {
  isolation: Isolation;
  perSec: number;
  p50Ms: number;
  p95Ms: number;
  /** RSS of each worker's process tree (bubblewrap + forkserver), averaged, idle after warm-up. */
  memoryPerWorkerMb: number;
  /** Proportional set size of the same (shared pages split), when readable. */
  memoryPerWorkerPssMb: number | null;
  /** Measured programs that did not pass all three asserts (should be 0). */
  failures: number;
  /** Executions per second of each round (the rounds alternate pools): the spread shows how steady the machine was. */
  perSecByRound: Spread;
}

export interface SandboxBenchmarkResult {
  program: string;
  programs: number;
  workers: number;
  concurrency: number;
  cpus: number;
  machine: MachineFacts;
  isolatedPerSec: number;
  barePerSec: number;
  /** isolatedPerSec / barePerSec */
  ratio: number;
  p50Ms: number;
  p95Ms: number;
  bareP50Ms: number;
  bareP95Ms: number;
  memoryPerWorkerMb: number;
  bareMemoryPerWorkerMb: number;
  isolated: PoolFigures;
  bare: PoolFigures;
  targets: { perSec: number; ratio: number };
  meetsTargets: boolean;
  /** CPU per run of the passing and the failing program on isolated pools; absent with cpuRuns 0. */
  cpu?: CpuComparison;
}

/** CPU time (ms) of the sandbox's processes by role, summed over the workers. */
export interface SandboxCpu {
  /** The forkserver itself (preparing jobs, cloning, relaying frames, reaping). */
  forkserver: number;
  /** The program processes it cloned (counted when reaped, between jobs). */
  programs: number;
  /** The judge: drivers and replays. */
  judge: number;
  /** bubblewrap's two processes (idle after start). */
  bubblewrap: number;
  /** This process (Node): requests, frames, verdicts, and the benchmark's own loop. */
  node: number;
}

export type CpuPerRun = { [role in keyof SandboxCpu | "total"]: Spread };

export interface CpuComparison {
  runsPerRepeat: number;
  /** 1-minute load average at the start of each repeat. */
  loadAtStart: number[];
  /** probeMachineSpeedMs at the start of each repeat. */
  speedAtStart: number[];
  /** Each assert passes, decided in Node (no judge request). */
  passing: CpuPerRun;
  /** Each assert fails, decided in Node. */
  failing: CpuPerRun;
  /** Each assert fails, replayed by the judge (a pool with judgeEveryAssert). */
  failingReplayed: CpuPerRun;
}

export const BENCHMARK_PROGRAM: RunRequest = {
  code: "def add(a, b):\n    return a + b\n",
  tests: [
    { kind: "assert", input: "assert add(1, 2) == 3" },
    { kind: "assert", input: "assert add(-1, 1) == 0" },
    { kind: "assert", input: "assert add(10, 5) == 15" },
  ],
};

/** BENCHMARK_PROGRAM's wrong twin (as the engine bench's wrong programs, `return x` for `return x + k`): each assert
 * fails, on a plain int, so Node decides the failures unless the pool sends every assert to the judge. */
export const FAILING_PROGRAM: RunRequest = { ...BENCHMARK_PROGRAM, code: "def add(a, b):\n    return a\n" };

const TARGETS = { perSec: 400, ratio: 0.7 };

export async function runSandboxBenchmark(options: SandboxBenchmarkOptions = {}): Promise<SandboxBenchmarkResult> {
  const programs = options.programs ?? 2000;
  const warmup = options.warmup ?? 100;
  const rounds = Math.max(1, Math.min(options.rounds ?? 4, programs));
  const machine = machineFacts();
  const workers = options.workers ?? os.availableParallelism();
  const concurrency = options.concurrency ?? workers;
  const isolated = await startSandbox("bubblewrap", { ...options.sandbox, workers });
  let bare: PooledSandbox | null = null;
  try {
    bare = await startSandbox("unsafe-none", { ...options.sandbox, workers });
    const pools = [new PoolMeasure(isolated), new PoolMeasure(bare)];
    for (const pool of pools) await pool.warmUp(warmup, concurrency);
    for (let round = 0; round < rounds; round++) {
      const count = Math.floor(programs / rounds) + (round < programs % rounds ? 1 : 0);
      // Alternate which pool goes first, so neither always follows the other's cool-down.
      for (const pool of round % 2 === 0 ? pools : [...pools].reverse()) await pool.measure(count, concurrency);
    }
    const [iso, raw] = pools.map((pool) => pool.figures()) as [PoolFigures, PoolFigures];
    const result = benchmarkResult(iso, raw, { programs, workers, concurrency, cpus: os.availableParallelism(), machine });
    const cpuRuns = options.cpuRuns ?? 500;
    if (cpuRuns > 0) result.cpu = await measureCpuPerRun(isolated, { ...options.sandbox, workers }, cpuRuns, Math.max(1, options.cpuRepeats ?? 3), concurrency);
    return result;
  } finally {
    await Promise.all([isolated.close(), bare?.close()]);
  }
}

/** The result from the two pools' figures: the isolated/bare throughput ratio and whether the targets are met. */
export function benchmarkResult(
  iso: PoolFigures,
  raw: PoolFigures,
  run: Pick<SandboxBenchmarkResult, "programs" | "workers" | "concurrency" | "cpus" | "machine">,
): SandboxBenchmarkResult {
  const ratio = iso.perSec / raw.perSec;
  return {
    program: "def add(a, b) + 3 asserts",
    ...run,
    isolatedPerSec: iso.perSec,
    barePerSec: raw.perSec,
    ratio: round3(ratio),
    p50Ms: iso.p50Ms,
    p95Ms: iso.p95Ms,
    bareP50Ms: raw.p50Ms,
    bareP95Ms: raw.p95Ms,
    memoryPerWorkerMb: iso.memoryPerWorkerMb,
    bareMemoryPerWorkerMb: raw.memoryPerWorkerMb,
    isolated: iso,
    bare: raw,
    targets: TARGETS,
    meetsTargets: iso.perSec >= TARGETS.perSec && ratio >= TARGETS.ratio && iso.failures === 0 && raw.failures === 0,
  };
}

class PoolMeasure {
  private readonly latencies: number[] = [];
  private readonly roundsPerSec: number[] = [];
  private busyMs = 0;
  private failures = 0;
  private memory = { rss: 0, pss: 0 as number | null };

  constructor(private readonly sandbox: PooledSandbox) {}

  async warmUp(count: number, concurrency: number): Promise<void> {
    await runClosedLoop(this.sandbox, count, concurrency);
    // Idle workers only: the last programs may still be exiting (results are reported before that finishes).
    await new Promise((resolve) => setTimeout(resolve, 100));
    const trees = this.sandbox.workerPids().map(processTreeMemory);
    this.memory.rss = average(trees.map((tree) => tree.rssBytes));
    this.memory.pss = trees.every((tree) => tree.pssBytes !== null) ? average(trees.map((tree) => tree.pssBytes!)) : null;
  }

  async measure(count: number, concurrency: number): Promise<void> {
    const started = performance.now();
    const outcome = await runClosedLoop(this.sandbox, count, concurrency);
    const tookMs = performance.now() - started;
    this.busyMs += tookMs;
    this.roundsPerSec.push(round1((count / tookMs) * 1000));
    this.latencies.push(...outcome.latencies);
    this.failures += outcome.failures;
  }

  figures(): PoolFigures {
    return poolFigures({ isolation: this.sandbox.isolation, latenciesMs: this.latencies, busyMs: this.busyMs, failures: this.failures, memoryBytes: this.memory, perSecByRound: this.roundsPerSec });
  }
}

/** One pool's figures from what was measured: runs per second of busy time, latency percentiles, memory in MB. */
export function poolFigures(measured: {
  isolation: Isolation;
  latenciesMs: readonly number[];
  busyMs: number;
  failures: number;
  memoryBytes: { rss: number; pss: number | null };
  /** Executions per second of each round. */
  perSecByRound: readonly number[];
}): PoolFigures {
  const sorted = [...measured.latenciesMs].sort((a, b) => a - b);
  return {
    isolation: measured.isolation,
    perSec: round1((sorted.length / measured.busyMs) * 1000),
    p50Ms: round3(percentile(sorted, 0.5)),
    p95Ms: round3(percentile(sorted, 0.95)),
    memoryPerWorkerMb: round1(measured.memoryBytes.rss / 1024 / 1024),
    memoryPerWorkerPssMb: measured.memoryBytes.pss === null ? null : round1(measured.memoryBytes.pss / 1024 / 1024),
    failures: measured.failures,
    perSecByRound: spread(measured.perSecByRound),
  };
}

/** Rotates the cases (which goes first too), `runs` runs each per repeat, reading every process's CPU time around
 * each case once the workers are idle (program processes are counted when the forkserver reaps them, which it does
 * while it waits). The replayed case runs on a pool of its own, started here. */
async function measureCpuPerRun(isolated: PooledSandbox, options: SandboxOptions, runs: number, repeats: number, concurrency: number): Promise<CpuComparison> {
  const replaying = await startSandbox("bubblewrap", { ...options, judgeEveryAssert: true });
  try {
    const cases = {
      passing: { sandbox: isolated, program: BENCHMARK_PROGRAM, passes: BENCHMARK_PROGRAM.tests.length },
      failing: { sandbox: isolated, program: FAILING_PROGRAM, passes: 0 },
      failingReplayed: { sandbox: replaying, program: FAILING_PROGRAM, passes: 0 },
    };
    const names = Object.keys(cases) as (keyof typeof cases)[];
    const used: Record<keyof typeof cases, SandboxCpu[]> = { passing: [], failing: [], failingReplayed: [] };
    const loadAtStart: number[] = [];
    const speedAtStart: number[] = [];
    for (const { sandbox, program, passes } of Object.values(cases)) await runClosedLoop(sandbox, 50, concurrency, program, passes); // drivers cached, pages warm
    for (let repeat = 0; repeat < repeats; repeat++) {
      loadAtStart.push(loadNow());
      speedAtStart.push(probeMachineSpeedMs());
      for (const name of [...names.slice(repeat % names.length), ...names.slice(0, repeat % names.length)]) {
        const { sandbox, program, passes } = cases[name];
        const before = await idleSandboxCpu(sandbox);
        const outcome = await runClosedLoop(sandbox, runs, concurrency, program, passes);
        if (outcome.failures > 0) throw new Error(`the ${name} case had ${outcome.failures} runs with an unexpected verdict`);
        used[name].push(cpuDifference(before, await idleSandboxCpu(sandbox)));
      }
    }
    return {
      runsPerRepeat: runs,
      loadAtStart,
      speedAtStart,
      passing: cpuPerRun(used.passing, runs),
      failing: cpuPerRun(used.failing, runs),
      failingReplayed: cpuPerRun(used.failingReplayed, runs),
    };
  } finally {
    await replaying.close();
  }
}

async function idleSandboxCpu(sandbox: PooledSandbox): Promise<SandboxCpu> {
  await new Promise((resolve) => setTimeout(resolve, 100)); // the last programs exit and are reaped
  const usage = process.cpuUsage();
  const total: SandboxCpu = { forkserver: 0, programs: 0, judge: 0, bubblewrap: 0, node: (usage.user + usage.system) / 1000 };
  for (const pid of sandbox.workerPids()) {
    const worker = workerCpu(descendantsOf(pid).flatMap((p) => processCpu(p) ?? []));
    for (const role of ["forkserver", "programs", "judge", "bubblewrap"] as const) total[role] += worker[role];
  }
  return total;
}

/** A worker's processes by role. The forkserver is the Python process started by bubblewrap (or by Node, bare); the
 * judge is its oldest child, forked at start (programs are younger, and reaped by the time the workers are idle). */
export function workerCpu(tree: readonly ProcessCpu[]): Omit<SandboxCpu, "node"> {
  const isPython = (p: ProcessCpu | undefined) => p?.command.startsWith("python") ?? false;
  const byPid = new Map(tree.map((p) => [p.pid, p]));
  const forkserver = tree.find((p) => isPython(p) && !isPython(byPid.get(p.parent)));
  const judge = tree
    .filter((p) => forkserver && p.parent === forkserver.pid)
    .sort((a, b) => Number(a.startTime) - Number(b.startTime))[0];
  const all = (p: ProcessCpu | undefined) => (p ? p.selfMs + p.reapedChildrenMs : 0);
  const total = tree.reduce((sum, p) => sum + all(p), 0);
  const split = { forkserver: forkserver?.selfMs ?? 0, programs: forkserver?.reapedChildrenMs ?? 0, judge: all(judge) };
  // Everything else: bubblewrap, and a program process still exiting (rare once idle).
  return { ...split, bubblewrap: total - split.forkserver - split.programs - split.judge };
}

function cpuDifference(before: SandboxCpu, after: SandboxCpu): SandboxCpu {
  const roles = Object.keys(before) as (keyof SandboxCpu)[];
  return Object.fromEntries(roles.map((role) => [role, after[role] - before[role]])) as unknown as SandboxCpu;
}

/** Each role's CPU per run over the repeats, and their total. */
export function cpuPerRun(repeats: readonly SandboxCpu[], runs: number): CpuPerRun {
  const per = (ms: number) => round3(ms / runs);
  const of = (pick: (used: SandboxCpu) => number) => spread(repeats.map((used) => per(pick(used))));
  return {
    forkserver: of((u) => u.forkserver),
    programs: of((u) => u.programs),
    judge: of((u) => u.judge),
    bubblewrap: of((u) => u.bubblewrap),
    node: of((u) => u.node),
    total: of((u) => u.forkserver + u.programs + u.judge + u.bubblewrap + u.node),
  };
}

/** `count` runs with `concurrency` of them in flight; each latency is one run() call from start to result. A run
 * whose number of passed tests is not `passes` counts as a failure. */
async function runClosedLoop(sandbox: PooledSandbox, count: number, concurrency: number, program = BENCHMARK_PROGRAM, passes = program.tests.length) {
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const lane = async () => {
    while (next < count) {
      next++;
      const started = performance.now();
      const result = await sandbox.run(program);
      latencies.push(performance.now() - started);
      if (result.passed !== passes) failures++;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane));
  return { latencies, failures };
}

export function formatSandboxBenchmark(result: SandboxBenchmarkResult): string {
  const row = (label: string, figures: PoolFigures) =>
    `${label.padEnd(26)}${figures.perSec.toFixed(1).padStart(10)}${figures.p50Ms.toFixed(2).padStart(9)}${figures.p95Ms.toFixed(2).padStart(9)}` +
    `${`${figures.memoryPerWorkerMb.toFixed(1)} MB`.padStart(14)}${figures.memoryPerWorkerPssMb === null ? "" : `${`${figures.memoryPerWorkerPssMb.toFixed(1)} MB`.padStart(12)}`}`;
  const met = (ok: boolean) => (ok ? "met" : "NOT met");
  const failures = result.isolated.failures + result.bare.failures;
  return [
    `Sandbox benchmark: ${result.programs} programs per pool (${result.program}), ${result.workers} workers, ` +
      `${result.concurrency} in flight, ${result.cpus} CPUs`,
    `${"".padEnd(26)}${"runs/s".padStart(10)}${"p50 ms".padStart(9)}${"p95 ms".padStart(9)}${"RSS/worker".padStart(14)}${"PSS/worker".padStart(12)}`,
    row("isolated (bubblewrap)", result.isolated),
    row("bare forkserver (unsafe)", result.bare),
    `runs/s by round: isolated ${formatSpread(result.isolated.perSecByRound, 1)}, bare ${formatSpread(result.bare.perSecByRound, 1)} (median, min, max)`,
    `ratio isolated/bare: ${result.ratio.toFixed(2)}x`,
    `targets: >= ${result.targets.perSec} isolated runs/s (${met(result.isolatedPerSec >= result.targets.perSec)}), ` +
      `>= ${result.targets.ratio}x bare (${met(result.ratio >= result.targets.ratio)})` +
      (failures > 0 ? `; ${failures} programs did not pass (expected 0)` : ""),
    formatMachine(result.machine),
    "Latency is one run() call (3 asserts) from submit to verdict. RSS counts pages shared with other processes in " +
      "each process; PSS splits them.",
    ...(result.cpu ? ["", formatCpuComparison(result.cpu)] : []),
  ].join("\n");
}

export function formatCpuComparison(cpu: CpuComparison): string {
  const cell = (s: Spread) => `${s.median.toFixed(3)} (${s.min.toFixed(3)}-${s.max.toFixed(3)})`.padStart(26);
  const roles: [keyof CpuPerRun, string][] = [
    ["forkserver", "forkserver"],
    ["programs", "program processes"],
    ["judge", "judge"],
    ["bubblewrap", "bubblewrap"],
    ["node", "Node"],
    ["total", "total"],
  ];
  return [
    `CPU per run, isolated pool (ms, median (min-max) over ${cpu.loadAtStart.length} repeats of ${cpu.runsPerRepeat} runs per case; ` +
      `load at each repeat's start ${cpu.loadAtStart.join(", ")}; ${formatSpeedProbes(cpu.speedAtStart)}):`,
    `${"".padEnd(20)}${"passing".padStart(26)}${"failing".padStart(26)}${"failing, judge replays".padStart(26)}`,
    ...roles.map(([role, label]) => `${label.padEnd(20)}${cell(cpu.passing[role])}${cell(cpu.failing[role])}${cell(cpu.failingReplayed[role])}`),
    "passing: add(a, b) returning a + b, 3 asserts; failing: returning a, the same 3 asserts, decided in Node from the " +
      "recorded calls like the passes, or (last column) replayed by the judge. Node includes the benchmark's own loop.",
  ].join("\n");
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function average(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
