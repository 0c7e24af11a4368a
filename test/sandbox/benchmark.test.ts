// The benchmark's plumbing on a short run (its figures on a busy CI machine mean little, so none are asserted
// beyond being measured and consistent).
import os from "node:os";
import { describe, expect, it } from "vitest";
import { formatSandboxBenchmark, runSandboxBenchmark } from "../../server/bench/sandbox.ts";

describe("sandbox benchmark", () => {
  it("measures the isolated pool against a bare forkserver in the same run", { timeout: 60_000 }, async () => {
    const result = await runSandboxBenchmark({ programs: 60, warmup: 10, rounds: 2 });
    expect(result.workers).toBe(os.availableParallelism());
    expect(result.programs).toBe(60);
    expect(result.isolated.failures + result.bare.failures).toBe(0);
    expect(result.isolatedPerSec).toBeGreaterThan(0);
    expect(result.barePerSec).toBeGreaterThan(0);
    expect(result.ratio).toBeCloseTo(result.isolatedPerSec / result.barePerSec, 2);
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

    const text = formatSandboxBenchmark(result);
    expect(text).toContain("isolated (bubblewrap)");
    expect(text).toContain("bare forkserver");
    expect(text).toMatch(/ratio isolated\/bare: \d+\.\d\dx/);
    expect(text).toMatch(/runs\/s by round: isolated [\d.]+/);
    expect(text).toMatch(/load average at start [\d.]+ \/ [\d.]+ \/ [\d.]+/);
  });
});
