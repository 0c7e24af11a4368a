// Shared by the sandbox suites: one real bubblewrap sandbox per test file, and host-side checks.
import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, expect } from "vitest";
import { createSandbox, type SandboxOptions } from "../../server/sandbox/create-sandbox.ts";
import type { RunLimits, RunRequest, Sandbox } from "../../server/sandbox/types.ts";

/** Short limits so attacks that run to a limit cost a second, not ten. */
export const FAST_LIMITS: Partial<RunLimits> = { testTimeoutMs: 1500, programTimeoutMs: 6000 };

/** A sandbox for this file, isolated with bubblewrap whatever O1C_SANDBOX says in the environment. */
export function useSandbox(options: SandboxOptions = {}): () => Sandbox {
  let sandbox: Sandbox | undefined;
  beforeAll(async () => {
    sandbox = await createSandbox({ workers: 2, env: { PATH: process.env.PATH }, ...options });
  }, 60_000);
  afterAll(async () => {
    await sandbox?.close();
  });
  return () => {
    if (!sandbox) throw new Error("the sandbox did not start");
    return sandbox;
  };
}

export const GOOD_PROGRAM: RunRequest = {
  code: "def square(x):\n    return x * x\n",
  tests: [
    { kind: "assert", input: "assert square(3) == 9" },
    { kind: "assert", input: "assert square(-2) == 4" },
  ],
};

/** The pool still runs a normal program correctly (after whatever the previous program did). */
export async function expectServes(sandbox: Sandbox): Promise<void> {
  const result = await sandbox.run(GOOD_PROGRAM);
  expect(result.tests.map((test) => test.status)).toEqual(["pass", "pass"]);
}

/** Host pids whose command line contains `marker` (this test process excluded). */
export function hostProcessesWith(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(marker)) found.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

/** Polls `condition` until it holds or `timeoutMs` passes; returns whether it held. */
export async function eventually(condition: () => boolean, timeoutMs: number, everyMs = 25): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (condition()) return true;
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
