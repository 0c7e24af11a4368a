// The judging benchmark's plumbing on the first MBPP problems (its timings on a busy CI machine mean little, so only
// that every path judged every program, and judged it the same, is asserted).
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatJudgingBenchmark, runJudgingBenchmark } from "../../server/bench/judging.ts";
import { testDatabaseUrl } from "../helpers/db.ts";

const MBPP = path.resolve("..", "shared", "datasets", "mbpp.jsonl");

describe("judging benchmark", () => {
  it.skipIf(!existsSync(MBPP))("judges reference solutions through the engine path, the isolated judge and a bare forkserver", { timeout: 120_000 }, async () => {
    process.env.DATABASE_URL ??= testDatabaseUrl();
    const result = await runJudgingBenchmark({ file: MBPP, runs: 2, limit: 12 });
    if ("skipped" in result) throw new Error(result.skipped);
    expect(result.programs).toBe(12);
    // MBPP's first twelve reference solutions pass their own tests, on every path.
    for (const figures of [result.engine, result.isolatedJudgeOnly, result.bareForkserver]) {
      expect(figures.passed).toBe(12);
      expect(figures.msPerProgram.all).toHaveLength(2);
      expect(figures.msPerProgram.min).toBeGreaterThan(0);
      expect(figures.msPerProgram.min).toBeLessThanOrEqual(figures.msPerProgram.max);
    }
    expect(result.loadAtRunStart).toHaveLength(2);
    expect(result.speedAtRunStart).toHaveLength(2);
    expect(result.machine.cores).toBeGreaterThan(0);
    const text = formatJudgingBenchmark(result);
    expect(text).toContain("engine path (load, isolated judge, store)");
    expect(text).toContain("bare forkserver (no isolation)");
    expect(text).toMatch(/load average \(1 min\) at the start of each run: [\d.]+, [\d.]+/);
    expect(text).toMatch(/machine speed probe \(ms for a fixed JavaScript workload, lower is faster\): [\d.]+, [\d.]+, at the start of each run/);
  });

  it("says it is skipped when the MBPP file is missing", async () => {
    const result = await runJudgingBenchmark({ file: "/nonexistent/mbpp.jsonl" });
    expect(result).toEqual({ skipped: expect.stringContaining("no MBPP file at /nonexistent/mbpp.jsonl") });
    expect(formatJudgingBenchmark(result)).toMatch(/^Judging benchmark skipped: no MBPP file/);
  });
});
