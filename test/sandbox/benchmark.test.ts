// The benchmark's arithmetic on hand-made measurements (throughput, percentiles, memory, the isolated/bare ratio and
// its targets), then its plumbing on a short real run, whose figures on a busy CI machine mean little, so none are
// asserted beyond being measured.
import os from "node:os";
import { describe, expect, it } from "vitest";
import { benchmarkResult, cpuPerRun, formatCpuComparison, formatSandboxBenchmark, poolFigures, runSandboxBenchmark, workerCpu, type PoolFigures } from "../../server/bench/sandbox.ts";
import type { ProcessCpu } from "../../server/sandbox/index.ts";

const MIB = 1024 * 1024;
const MACHINE = { cores: 2, cpuModel: "test cpu", node: "v20", platform: "linux", loadAtStart: [0.5, 0.4, 0.3] as [number, number, number] };
const RUN = { programs: 20, workers: 2, concurrency: 2, cpus: 2, machine: MACHINE };
const pool = (isolation: PoolFigures["isolation"], perSec: number, failures = 0): PoolFigures => ({
  isolation,
  perSec,
  p50Ms: 2,
  p95Ms: 5,
  memoryPerWorkerMb: 12,
  memoryPerWorkerPssMb: null,
  failures,
  perSecByRound: { min: perSec, median: perSec, max: perSec, all: [perSec] },
});

describe("sandbox benchmark figures", () => {
  it("a pool: runs per second of busy time, p50 and p95 by rank, memory in MB", () => {
    // 20 runs of 1..20 ms (out of order) in 40 ms busy: 500 runs/s; p50 = the 11th fastest, p95 = the 20th.
    const latenciesMs = Array.from({ length: 20 }, (_, i) => ((i * 7) % 20) + 1);
    const figures = poolFigures({ isolation: "bubblewrap", latenciesMs, busyMs: 40, failures: 1, memoryBytes: { rss: 10 * MIB, pss: 2.5 * MIB }, perSecByRound: [520, 480, 500] });
    expect(figures).toEqual({
      isolation: "bubblewrap",
      perSec: 500,
      p50Ms: 11,
      p95Ms: 20,
      memoryPerWorkerMb: 10,
      memoryPerWorkerPssMb: 2.5,
      failures: 1,
      perSecByRound: { min: 480, median: 500, max: 520, all: [520, 480, 500] },
    });
    expect(poolFigures({ isolation: "unsafe-none", latenciesMs: [3], busyMs: 3, failures: 0, memoryBytes: { rss: MIB, pss: null }, perSecByRound: [1] }).memoryPerWorkerPssMb).toBeNull();
  });

  it("the ratio is isolated / bare runs per second; the targets need ≥ 400 isolated runs/s, ≥ 0.7× bare and no failures", () => {
    const met = benchmarkResult(pool("bubblewrap", 450), pool("unsafe-none", 600), RUN);
    expect(met).toMatchObject({ isolatedPerSec: 450, barePerSec: 600, ratio: 0.75, meetsTargets: true, ...RUN });
    expect(met.isolated.isolation).toBe("bubblewrap");
    expect(met.bare.isolation).toBe("unsafe-none");
    // Exactly at both targets is met; just below either, or with a failed program, is not.
    expect(benchmarkResult(pool("bubblewrap", 400), pool("unsafe-none", 500), RUN)).toMatchObject({ ratio: 0.8, meetsTargets: true });
    expect(benchmarkResult(pool("bubblewrap", 420), pool("unsafe-none", 600), RUN)).toMatchObject({ ratio: 0.7, meetsTargets: true });
    expect(benchmarkResult(pool("bubblewrap", 399.9), pool("unsafe-none", 400), RUN).meetsTargets).toBe(false);
    expect(benchmarkResult(pool("bubblewrap", 450), pool("unsafe-none", 650), RUN)).toMatchObject({ ratio: 0.692, meetsTargets: false });
    expect(benchmarkResult(pool("bubblewrap", 450), pool("unsafe-none", 600, 1), RUN).meetsTargets).toBe(false);

    const text = formatSandboxBenchmark(met);
    expect(text).toContain("ratio isolated/bare: 0.75x");
    expect(text).toContain("targets: >= 400 isolated runs/s (met), >= 0.7x bare (met)");
    expect(formatSandboxBenchmark(benchmarkResult(pool("bubblewrap", 300), pool("unsafe-none", 600, 2), RUN))).toContain(
      "targets: >= 400 isolated runs/s (NOT met), >= 0.7x bare (NOT met); 2 programs did not pass (expected 0)",
    );
  });
});

describe("sandbox benchmark: CPU per run by process", () => {
  const proc = (pid: number, parent: number, command: string, startTime: number, selfMs: number, reapedChildrenMs = 0): ProcessCpu => ({ pid, parent, command, startTime: String(startTime), selfMs, reapedChildrenMs });

  it("splits a worker's tree: the forkserver's own time, its reaped programs', the judge (its oldest child), the rest", () => {
    // bubblewrap (2 processes) -> forkserver -> judge, plus a program still exiting (younger than the judge).
    const isolated = [proc(10, 1, "bwrap", 100, 1), proc(11, 10, "bwrap", 101, 2, 3), proc(12, 11, "python3", 102, 40, 70), proc(14, 12, "python3", 900, 5), proc(13, 12, "python3", 103, 8)];
    expect(workerCpu(isolated)).toEqual({ forkserver: 40, programs: 70, judge: 8, bubblewrap: 11 });
    // Bare: the forkserver is the root; without a judge it counts 0.
    expect(workerCpu([proc(20, 1, "python3", 5, 30, 60), proc(21, 20, "python3", 6, 4)])).toEqual({ forkserver: 30, programs: 60, judge: 4, bubblewrap: 0 });
    expect(workerCpu([proc(20, 1, "python3", 5, 30, 60)])).toEqual({ forkserver: 30, programs: 60, judge: 0, bubblewrap: 0 });
  });

  it("per run: each role's CPU over the runs of each repeat, min / median / max, and their total", () => {
    const used = (ms: number) => ({ forkserver: ms, programs: 2 * ms, judge: 0, bubblewrap: 0, node: ms / 2 });
    const figures = cpuPerRun([used(100), used(300), used(200)], 100);
    expect(figures.forkserver).toEqual({ min: 1, median: 2, max: 3, all: [1, 3, 2] });
    expect(figures.programs.median).toBe(4);
    expect(figures.node.all).toEqual([0.5, 1.5, 1]);
    expect(figures.total).toEqual({ min: 3.5, median: 7, max: 10.5, all: [3.5, 10.5, 7] });
    const text = formatCpuComparison({ runsPerRepeat: 100, loadAtStart: [1.5, 2, 2.5], speedAtStart: [21.04, 22, 23.5], passing: figures, failing: figures, failingReplayed: figures });
    expect(text).toContain("over 3 repeats of 100 runs per case; load at each repeat's start 1.5, 2, 2.5; machine speed probe (ms for a fixed JavaScript workload, lower is faster): 21.0, 22.0, 23.5");
    expect(text).toMatch(/forkserver\s+2\.000 \(1\.000-3\.000\)/);
    expect(text).toMatch(/failing, judge replays/);
  });
});

describe("sandbox benchmark", () => {
  it("measures the isolated pool against a bare forkserver in the same run", { timeout: 60_000 }, async () => {
    const result = await runSandboxBenchmark({ programs: 60, warmup: 10, rounds: 2, cpuRuns: 20, cpuRepeats: 2 });
    expect(result.workers).toBe(os.availableParallelism());
    expect(result.programs).toBe(60);
    expect(result.isolated.failures + result.bare.failures).toBe(0);
    expect(result.isolatedPerSec).toBeGreaterThan(0);
    expect(result.barePerSec).toBeGreaterThan(0);
    expect(result.ratio).toBeGreaterThan(0);
    expect(result.p95Ms).toBeGreaterThanOrEqual(result.p50Ms);
    expect(result.bareP95Ms).toBeGreaterThanOrEqual(result.bareP50Ms);
    // A worker is bubblewrap + a Python forkserver: a few MB to a few tens of MB.
    expect(result.memoryPerWorkerMb).toBeGreaterThan(2);
    expect(result.memoryPerWorkerMb).toBeLessThan(200);
    // Two rounds per pool, each with its own rate; the machine's cores and load at the start.
    expect(result.isolated.perSecByRound.all).toHaveLength(2);
    expect(result.bare.perSecByRound.all).toHaveLength(2);
    expect(result.isolated.perSecByRound.min).toBeGreaterThan(0);
    expect(result.machine.cores).toBe(os.availableParallelism());
    expect(result.machine.loadAtStart).toHaveLength(3);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);

    // The CPU per run of the three cases, two repeats each (figures too coarse at 20 runs to assert on).
    expect(result.cpu?.runsPerRepeat).toBe(20);
    expect(result.cpu?.loadAtStart).toHaveLength(2);
    expect(result.cpu?.speedAtStart).toHaveLength(2);
    for (const figures of [result.cpu!.passing, result.cpu!.failing, result.cpu!.failingReplayed]) {
      expect(figures.total.all).toHaveLength(2);
      expect(figures.total.min).toBeGreaterThan(0);
    }

    const text = formatSandboxBenchmark(result);
    expect(text).toContain("isolated (bubblewrap)");
    expect(text).toContain("bare forkserver");
    expect(text).toMatch(/ratio isolated\/bare: \d+\.\d\dx/);
    expect(text).toMatch(/runs\/s by round: isolated [\d.]+/);
    expect(text).toMatch(/load average at start [\d.]+ \/ [\d.]+ \/ [\d.]+/);
    expect(text).toContain("CPU per run, isolated pool");
  });
});
