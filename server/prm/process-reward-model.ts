// One interface for every PRM mode that scores during the search (served, judge). Rollout labels need no model: they
// are computed from the finished tree (rollout-labels.ts, rollout-scores.ts).

export interface PrmRequest {
  /** The problem statement as the policy saw it. */
  problem: string;
  /** Step texts from depth 1 (root excluded) to the step being scored, which is the last. */
  steps: readonly string[];
}

/** A score in [0, 1] for the request's last step, or why there is none. One failing request never fails the others. */
export type PrmResult = { score: number; error: null } | { score: null; error: string };

export interface ProcessRewardModel {
  readonly mode: "served" | "judge";
  /** One result per request, in order. Rejects only when `signal` aborts. */
  scoreSteps(requests: readonly PrmRequest[], signal?: AbortSignal): Promise<PrmResult[]>;
  /** Tokens its requests spent so far (judge: its LLM calls; served: the pooling prompt tokens the server reports); an experiment counts them apart from the policy's. */
  usage?(): PrmUsage;
}

export interface PrmUsage {
  promptTokens: number;
  completionTokens: number;
  requests: number;
}

export function scored(score: number): PrmResult {
  return { score, error: null };
}

export function failed(error: unknown): PrmResult {
  return { score: null, error: error instanceof Error ? error.message : String(error) };
}
