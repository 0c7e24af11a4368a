// Robustness of the worker pool: dead and hung workers are replaced, slow programs do not stall the others,
// close() drains and leaves no process behind.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { startSandbox, type PooledSandbox } from "../../server/sandbox/create-sandbox.ts";
import { RunDroppedError, SandboxClosedError } from "../../server/sandbox/worker-pool.ts";
import { descendantsOf, identify, isRunning as isRunningProcess } from "../../server/sandbox/descendant-processes.ts";
import type { RunPriority, RunRequest, RunResult } from "../../server/sandbox/types.ts";
import { eventually, expectServes, FAST_LIMITS } from "./use-sandbox.ts";

const sleeper = (seconds: number): RunRequest => ({ code: "import time\n", tests: [{ kind: "assert", input: `time.sleep(${seconds})` }] });

/** The forkserver (python3) inside a worker's process tree. */
function forkserverOf(workerPid: number): number {
  const pid = descendantsOf(workerPid).find((candidate) => {
    try {
      return readComm(candidate) === "python3";
    } catch {
      return false;
    }
  });
  if (pid === undefined) throw new Error(`no forkserver under ${workerPid}`);
  return pid;
}

/** Exists and is not a zombie (bubblewrap's sandbox init is reparented to the host's init, which reaps it lazily). */
function isRunning(pid: number): boolean {
  const identity = identify(pid);
  return identity !== null && isRunningProcess(identity);
}

/** Starts `request` on a one-worker sandbox and resolves (to the run) once its program's process exists: the worker is
 * taken, and runs started from then on queue behind it (a wait, not a guessed delay). The run comes wrapped: an
 * async function would otherwise wait for it. */
async function holdOnlyWorker(sandbox: PooledSandbox, request: RunRequest): Promise<{ run: Promise<RunResult> }> {
  const [worker] = sandbox.workerPids();
  const idle = descendantsOf(worker!).length;
  const run = sandbox.run(request);
  expect(await eventually(() => descendantsOf(worker!).length > idle, 10_000)).toBe(true);
  return { run };
}

function readComm(pid: number): string {
  return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
}

describe("worker pool", () => {
  it("replaces a worker killed from outside while idle, and keeps serving", async () => {
    const sandbox = await startSandbox("bubblewrap", { workers: 2, limits: FAST_LIMITS });
    try {
      const [victim] = sandbox.workerPids();
      process.kill(-victim!, "SIGKILL");
      expect(await eventually(() => sandbox.restarts === 1, 5000)).toBe(true);
      expect(sandbox.workerPids()).not.toContain(victim);
      expect(sandbox.workerPids()).toHaveLength(2);
      for (let i = 0; i < 6; i++) await expectServes(sandbox);
    } finally {
      await sandbox.close();
    }
  });

  it("fails only the run whose worker died mid-job", async () => {
    const sandbox = await startSandbox("bubblewrap", { workers: 1, limits: FAST_LIMITS });
    try {
      const [worker] = sandbox.workerPids();
      // Kill once the program's process exists (the forkserver forked it).
      const { run: running } = await holdOnlyWorker(sandbox, sleeper(1.2));
      process.kill(-worker!, "SIGKILL");
      const result = await running;
      expect(result.tests[0]).toMatchObject({ status: "crash", errorMessage: expect.stringContaining("worker exited") });
      await expectServes(sandbox);
      expect(sandbox.restarts).toBe(1);
    } finally {
      await sandbox.close();
    }
  });

  it("kills and replaces a worker that stops answering", async () => {
    const sandbox = await startSandbox("bubblewrap", { workers: 1, limits: { testTimeoutMs: 500, programTimeoutMs: 500 }, watchdogGraceMs: 700 });
    try {
      const [worker] = sandbox.workerPids();
      process.kill(forkserverOf(worker!), "SIGSTOP");
      const started = Date.now();
      const result = await sandbox.run({ code: "x = 1\n", tests: [{ kind: "assert", input: "assert x == 1" }] });
      expect(result.tests[0]).toMatchObject({ status: "crash", errorMessage: expect.stringContaining("did not answer") });
      expect(Date.now() - started).toBeLessThan(5000);
      expect(await eventually(() => !isRunning(worker!), 2000)).toBe(true);
      await expectServes(sandbox);
    } finally {
      await sandbox.close();
    }
  });

  it("keeps serving quick programs while a slow one runs", async () => {
    const sandbox = await startSandbox("bubblewrap", { workers: 2, limits: FAST_LIMITS });
    try {
      const idle = sandbox.workerPids().map((pid) => descendantsOf(pid).length);
      const slow = sandbox.run(sleeper(1.5)).then(() => Date.now());
      // The quick programs start once the slow one is running in one worker.
      expect(await eventually(() => sandbox.workerPids().some((pid, i) => descendantsOf(pid).length > idle[i]!), 10_000)).toBe(true);
      const quick = await Promise.all(Array.from({ length: 20 }, () => sandbox.run({ code: "", tests: [{ kind: "assert", input: "assert 1 + 1 == 2" }] })));
      const quickDone = Date.now();
      expect(quick.every((result) => result.passed === 1)).toBe(true);
      expect(quickDone).toBeLessThan(await slow);
    } finally {
      await sandbox.close();
    }
  });

  it("gives a worker to a background run only when no other run's job waits, or once it stops being background", async () => {
    const sandbox = await startSandbox("bubblewrap", { workers: 1, limits: FAST_LIMITS });
    try {
      const finished: string[] = [];
      const track = (name: string, run: Promise<unknown>) => run.then(() => finished.push(name));
      const busy = track("busy", (await holdOnlyWorker(sandbox, sleeper(0.5))).run);
      const needed = { background: true };
      const queued = [
        track("background", sandbox.run({ ...sleeper(0), priority: { background: true } })),
        track("background, then needed", sandbox.run({ ...sleeper(0), priority: needed })),
        track("search 1", sandbox.run(sleeper(0))),
        track("search 2", sandbox.run(sleeper(0))),
      ];
      needed.background = false; // while queued: it takes its place in line again, ahead of the later runs
      await Promise.all([busy, ...queued]);
      expect(finished).toEqual(["busy", "background, then needed", "search 1", "search 2", "background"]);
    } finally {
      await sandbox.close();
    }
  });

  it("does not run the queued jobs of a run whose priority was dropped", async () => {
    const sandbox = await startSandbox("bubblewrap", { workers: 1, limits: FAST_LIMITS });
    try {
      const { run: busy } = await holdOnlyWorker(sandbox, sleeper(0.4));
      const waiting: RunPriority = { background: true };
      const dropped = sandbox.run({ ...sleeper(0), priority: waiting });
      waiting.dropped = true;
      const after = sandbox.run(sleeper(0));
      await expect(dropped).rejects.toBeInstanceOf(RunDroppedError);
      expect((await busy).tests[0]!.status).toBe("pass");
      expect((await after).tests[0]!.status).toBe("pass");
    } finally {
      await sandbox.close();
    }
  });

  it("counts a run's time limit from when a worker takes its jobs, not while they wait behind other runs", async () => {
    const sandbox = await startSandbox("bubblewrap", { workers: 1, limits: { ...FAST_LIMITS, testTimeoutMs: 1000, programTimeoutMs: 1000 } });
    try {
      // Each run needs ~0.6 s of its 1 s; the last waits ~1.2 s for the worker, and a background one longer still.
      const runs = [sleeper(0.6), sleeper(0.6), sleeper(0.6), { ...sleeper(0.6), priority: { background: true } }].map((request) => sandbox.run(request));
      const results = await Promise.all(runs);
      expect(results.map((result) => result.tests.map((test) => test.status))).toEqual([["pass"], ["pass"], ["pass"], ["pass"]]);
    } finally {
      await sandbox.close();
    }
  });

  it("close() lets queued and running programs finish, then stops every process and refuses new runs", async () => {
    const sandbox = await startSandbox("bubblewrap", { workers: 2, limits: FAST_LIMITS });
    const trees = sandbox.workerPids().flatMap((pid) => descendantsOf(pid));
    expect(trees.length).toBe(8); // 4 per worker: bubblewrap's processes, the forkserver and the judge
    // The last run needs three jobs (a killed test, then the rest in a fresh process, then a stdio test).
    const multiJob: RunRequest = {
      code: "import os, time\n",
      tests: [
        { kind: "assert", input: "time.sleep(0.3)\nos._exit(0)" },
        { kind: "assert", input: "time.sleep(0.2)" },
        { kind: "stdio", input: "", expected: "" },
      ],
    };
    const inFlight = [sandbox.run(sleeper(0.3)), sandbox.run(sleeper(0.3)), sandbox.run(multiJob)];
    await sandbox.close();
    const results = await Promise.all(inFlight);
    expect(results.map((result) => result.tests.map((test) => test.status))).toEqual([["pass"], ["pass"], ["crash", "pass", "pass"]]);
    await expect(sandbox.run(sleeper(0))).rejects.toBeInstanceOf(SandboxClosedError);
    expect(trees.filter(isRunning)).toEqual([]);
  });

  it("keeps the forkserver's own memory small, since every program's clone copies its page tables", async () => {
    const sandbox = await startSandbox("bubblewrap", { workers: 1 });
    try {
      await expectServes(sandbox);
      const forkserver = forkserverOf(sandbox.workerPids()[0]!);
      const anonymousKb = Number(/^RssAnon:\s+(\d+) kB/m.exec(readFileSync(`/proc/${forkserver}/status`, "utf8"))![1]);
      // ~7.7 MB: the preloaded modules and the script's code. With the syntax tree of the script kept alive by `-c`
      // and the C heap's free pages left resident it was 11.6 MB.
      expect(anonymousKb).toBeGreaterThan(4 * 1024);
      expect(anonymousKb).toBeLessThan(9.5 * 1024);
    } finally {
      await sandbox.close();
    }
  });
});
