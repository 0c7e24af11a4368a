import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { otherThreadsCpuMs } from "../../server/sandbox/index.ts";

const spin = (ms: number) => {
  for (const until = performance.now() + ms; performance.now() < until; );
};

/** Reads `read` every 25 ms until it reaches `atLeast` or `timeoutMs` passes; returns the last reading. */
async function readUntil(read: () => number, atLeast: number, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  let value = read();
  while (value < atLeast && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    value = read();
  }
  return value;
}

describe.runIf(process.platform === "linux")("a process's CPU outside its main thread", () => {
  it("counts a worker thread spinning, and not the main thread spinning", async () => {
    const before = otherThreadsCpuMs(process.pid)!;
    // The worker spins until told to stop, not for a fixed wall time: on a loaded CI machine a thread can get well
    // under one core, and an exited thread's time leaves /proc/<pid>/task with it, so it must be read while it spins.
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const spinning = new Worker(
      "const stop = new Int32Array(require('node:worker_threads').workerData); while (Atomics.load(stop, 0) === 0);",
      { eval: true, workerData: stop.buffer },
    );
    const exited = new Promise((resolve, reject) => spinning.once("exit", resolve).once("error", reject));
    const counted = await readUntil(() => otherThreadsCpuMs(process.pid)! - before, 300, 10_000);
    Atomics.store(stop, 0, 1);
    await exited;
    expect(counted).toBeGreaterThanOrEqual(300);
    // It was the worker that was counted: its time left the count with it (the process's other threads stayed).
    expect(counted - (otherThreadsCpuMs(process.pid)! - before)).toBeGreaterThanOrEqual(200);

    const beforeMain = otherThreadsCpuMs(process.pid)!;
    spin(400);
    expect(otherThreadsCpuMs(process.pid)! - beforeMain).toBeLessThan(150);
    expect(otherThreadsCpuMs(2 ** 22 + 12345)).toBeNull(); // no such process
  });
});
