// `o1c bench sandbox`: isolated executions per second and latency for a small function + 3 asserts, against the
// same programs through a bare forkserver (same code path, no bubblewrap, no namespaces) measured in the same run.
// The two pools run in alternating rounds, so a burst of load elsewhere on the machine hits both alike.
import os from "node:os";
import { formatMachine, formatSpread, machineFacts, spread, type MachineFacts, type Spread } from "./run-stats.ts";
import { startSandbox, type PooledSandbox, type SandboxOptions, processTreeMemory, type Isolation, type RunRequest } from "../sandbox/index.ts";

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
}

export const BENCHMARK_PROGRAM: RunRequest = {
  code: "def add(a, b):\n    return a + b\n",
  tests: [
    { kind: "assert", input: "assert add(1, 2) == 3" },
    { kind: "assert", input: "assert add(-1, 1) == 0" },
    { kind: "assert", input: "assert add(10, 5) == 15" },
  ],
};

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
    return benchmarkResult(iso, raw, { programs, workers, concurrency, cpus: os.availableParallelism(), machine });
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

/** `count` runs with `concurrency` of them in flight; each latency is one run() call from start to result. */
async function runClosedLoop(sandbox: PooledSandbox, count: number, concurrency: number) {
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const lane = async () => {
    while (next < count) {
      next++;
      const started = performance.now();
      const result = await sandbox.run(BENCHMARK_PROGRAM);
      latencies.push(performance.now() - started);
      if (result.passed !== BENCHMARK_PROGRAM.tests.length) failures++;
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
