// Counters of one client's traffic, for the run log and the "tokens beside accuracy" rule.
import type { LlmFailureKind } from "./llm-errors.ts";

export interface LlmStats {
  /** `complete()` calls. */
  calls: number;
  /** HTTP requests sent (calls + retries). */
  attempts: number;
  retries: number;
  /** Calls that ended in an error (after any retries). */
  failures: number;
  /** Failed attempts by cause, including the ones a retry later recovered from. */
  errorsByKind: Partial<Record<LlmFailureKind, number>>;
  promptTokens: number;
  completionTokens: number;
  /** Calls whose completion tokens were partly estimated: the server counted only choice 0 (llama-server). */
  estimatedUsage: number;
  /** Requests sent beyond the first of a call because the server served fewer than n choices per request. */
  splitRequests: number;
  /** Choices that came back with the continued prefill in front (stripped). */
  echoedPrefills: number;
}

export function createLlmStats(): LlmStats {
  return {
    calls: 0,
    attempts: 0,
    retries: 0,
    failures: 0,
    errorsByKind: {},
    promptTokens: 0,
    completionTokens: 0,
    estimatedUsage: 0,
    splitRequests: 0,
    echoedPrefills: 0,
  };
}

export function countFailure(stats: LlmStats, kind: LlmFailureKind): void {
  stats.errorsByKind[kind] = (stats.errorsByKind[kind] ?? 0) + 1;
}

export function copyLlmStats(stats: LlmStats): LlmStats {
  return { ...stats, errorsByKind: { ...stats.errorsByKind } };
}
