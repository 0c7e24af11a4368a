// Default limits and their translation into what the forkserver applies to one job.
import { SANDBOX_SEARCH_LIMITS } from "../contracts/index.ts";
import { ValidationError } from "../errors.ts";
import type { ExecLimits } from "./protocol.ts";
import type { RunLimits } from "./types.ts";

const MIB = 1024 * 1024;

/** Sized for a search: a program that hangs costs one testTimeoutMs per run (the tests after it are not run).
 * Reference solutions under load may need more (MBPP task 123 takes ~3-5 s on 2 busy cores): pass limits. */
export const DEFAULT_LIMITS: Readonly<RunLimits> = Object.freeze({
  ...SANDBOX_SEARCH_LIMITS, // the experiment config's defaults (server/contracts), written once

  memoryMb: 512,
  outputLimitBytes: 1 * MIB,
  fileSizeBytes: 16 * MIB,
  tmpfsMb: 32,
  maxProcesses: 16,
  excerptBytes: 4096,
  resultLimitBytes: 16 * MIB,
});

/** The forkserver enforces every deadline itself; this only catches a forkserver that stopped answering. */
export const DEFAULT_WATCHDOG_GRACE_MS = 10_000;

export function resolveLimits(base: RunLimits, override: Partial<RunLimits> | undefined, where = "limits"): RunLimits {
  const limits = { ...base };
  for (const [key, value] of Object.entries(override ?? {})) {
    if (!(key in base)) throw new ValidationError("unknown limit", `${where}.${key}`);
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
      throw new ValidationError("must be a positive number", `${where}.${key}`);
    }
    limits[key as keyof RunLimits] = value;
  }
  return limits;
}

export function execLimits(limits: RunLimits, remainingMs: number): ExecLimits {
  const deadlineMs = Math.max(1, Math.floor(remainingMs));
  return {
    testTimeoutMs: limits.testTimeoutMs,
    deadlineMs,
    // CPU time can only run out after wall time has, unless the program runs several processes in parallel.
    cpuSeconds: Math.ceil(deadlineMs / 1000) + 1,
    memoryBytes: Math.floor(limits.memoryMb * MIB),
    // stdout/stderr are files too; one byte more than the output limit lets us see that it was exceeded.
    fileSizeBytes: Math.max(Math.floor(limits.fileSizeBytes), limits.outputLimitBytes + 1),
    maxProcesses: Math.floor(limits.maxProcesses),
    tmpfsBytes: Math.floor(limits.tmpfsMb * MIB),
    outputLimitBytes: Math.floor(limits.outputLimitBytes),
    resultLimitBytes: Math.floor(limits.resultLimitBytes),
    excerptBytes: Math.floor(limits.excerptBytes),
  };
}

export function watchdogMs(limits: ExecLimits, graceMs = DEFAULT_WATCHDOG_GRACE_MS): number {
  return limits.deadlineMs + graceMs;
}
