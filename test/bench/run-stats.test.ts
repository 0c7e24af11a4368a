import { describe, expect, it } from "vitest";
import os from "node:os";
import { Worker } from "node:worker_threads";
import { formatSpread, parseMachineCpuTicks, spread, startMachineBusyMeter, probeMachineSpeedMs, speedProbeWorkload } from "../../server/bench/run-stats.ts";

describe("spread of repeated runs", () => {
  it("reports min, the measured median and max, keeping the runs in order", () => {
    expect(spread([3, 1, 2])).toEqual({ min: 1, median: 2, max: 3, all: [3, 1, 2] });
    // An even count takes the lower middle: always a value some run measured.
    expect(spread([4, 1, 3, 2]).median).toBe(2);
    expect(() => spread([])).toThrow(/no runs/);
  });

  it("prints the median with its range, or one value when the runs agree", () => {
    expect(formatSpread(spread([1.234, 1.5, 1.1]), 2)).toBe("1.23 (min 1.10, max 1.50)");
    expect(formatSpread(spread([7, 7]))).toBe("7");
  });
});

describe("/proc/stat's machine line", () => {
  it("sums user to steal as the total, idle and iowait as idle, and leaves guest time (already in user) out", () => {
    const stat = "cpu  100 5 20 300 10 1 2 3 7 0\ncpu0 50 2 10 150 5 0 1 1 3 0\nintr 12345\n";
    expect(parseMachineCpuTicks(stat)).toEqual({ total: 441, idle: 310 });
  });

  it("is null when the line is missing or short", () => {
    expect(parseMachineCpuTicks("intr 1\n")).toBeNull();
    expect(parseMachineCpuTicks("cpu  1 2 3\n")).toBeNull();
  });
});

describe.runIf(process.platform === "linux")("the machine's busy share", () => {
  it("is near 1 while every core spins, and never above 1", async () => {
    const meter = startMachineBusyMeter();
    // One spinning thread per core, for long enough that /proc/stat's 10 ms ticks round little.
    const spin = "const until = performance.now() + 400; while (performance.now() < until);";
    await Promise.all(
      Array.from({ length: os.availableParallelism() }, () => new Promise((resolve, reject) => new Worker(spin, { eval: true }).once("exit", resolve).once("error", reject))),
    );
    const busy = meter.stop();
    expect(busy).not.toBeNull();
    expect(busy!).toBeGreaterThanOrEqual(0.85);
    expect(busy!).toBeLessThanOrEqual(1);
  });
});

describe("the machine speed probe", () => {
  it("does the same work every time (figures stay comparable between benches): its checksum is fixed", () => {
    expect(speedProbeWorkload()).toBe(19321);
  });

  it("reports the fastest of its repeats in ms, a positive time", () => {
    const ms = probeMachineSpeedMs(2);
    expect(ms).toBeGreaterThan(0);
    expect(Number.isFinite(ms)).toBe(true);
  });
});
