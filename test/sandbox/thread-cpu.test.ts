import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { otherThreadsCpuMs } from "../../server/sandbox/index.ts";

const spin = (ms: number) => {
  for (const until = performance.now() + ms; performance.now() < until; );
};

describe.runIf(process.platform === "linux")("a process's CPU outside its main thread", () => {
  it("counts a worker thread spinning, and not the main thread spinning", async () => {
    const before = otherThreadsCpuMs(process.pid)!;
    // An exited thread's time leaves /proc/<pid>/task with it: read while the worker still spins.
    const spinning = new Worker("const until = performance.now() + 600; while (performance.now() < until);", { eval: true });
    const exited = new Promise((resolve, reject) => spinning.once("exit", resolve).once("error", reject));
    await new Promise((resolve) => setTimeout(resolve, 450));
    const whileWorkerSpins = otherThreadsCpuMs(process.pid)!;
    await exited;
    expect(whileWorkerSpins - before).toBeGreaterThanOrEqual(300);

    const beforeMain = otherThreadsCpuMs(process.pid)!;
    spin(400);
    expect(otherThreadsCpuMs(process.pid)! - beforeMain).toBeLessThan(150);
    expect(otherThreadsCpuMs(2 ** 22 + 12345)).toBeNull(); // no such process
  });
});
