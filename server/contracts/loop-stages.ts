// The loop's stage machine as pure functions. Iteration k runs, in order:
//   train (k ≥ 1: policy k from the data of iterations < k) → publish (k ≥ 1) → eval (held-out split, policy k)
//   → search (train split, k < K) → export (k < K)
// so iteration 0 is the base policy and the last iteration only trains, publishes and evaluates. The current
// (iteration, stage) is stored after every finished stage: a restarted loop continues there.

export const STAGES = ["train", "publish", "eval", "search", "export"] as const;
export type Stage = (typeof STAGES)[number] | "done";

export interface Position {
  iteration: number;
  stage: Stage;
}

export function stageApplies(stage: (typeof STAGES)[number], iteration: number, iterations: number): boolean {
  if (stage === "train" || stage === "publish") return iteration >= 1;
  if (stage === "search" || stage === "export") return iteration < iterations;
  return true;
}

export function firstPosition(iterations: number): Position {
  return advance({ iteration: 0, stage: "train" }, iterations, true);
}

/** The position after `from` (or `from` itself when `inclusive` and it applies). */
export function advance(from: Position, iterations: number, inclusive = false): Position {
  if (from.stage === "done") return from;
  let iteration = from.iteration;
  let index = STAGES.indexOf(from.stage) + (inclusive ? 0 : 1);
  for (;;) {
    if (index >= STAGES.length) {
      iteration += 1;
      index = 0;
    }
    if (iteration > iterations) return { iteration: iterations, stage: "done" };
    if (stageApplies(STAGES[index]!, iteration, iterations)) return { iteration, stage: STAGES[index]! };
    index += 1;
  }
}

/** What is recorded per iteration as its stages finish. */
export interface IterationState {
  iteration: number;
  /** The policy searched and evaluated in this iteration (served name and server). */
  model: string | null;
  baseUrl: string | null;
  /** The adapter published as this iteration's policy (k ≥ 1, vllm-lora). */
  adapterPath?: string | null;
  evalExperimentId?: string;
  searchExperimentId?: string;
  tcgRunId?: string;
  /** Export files of this iteration's search, by file name. */
  exports?: Record<string, { path: string; sha256: string; records: number }>;
  /** The training jobs that produced this iteration's policy (k ≥ 1), in recipe order. */
  trainingJobIds?: string[];
}

export function iterationState(states: readonly IterationState[], iteration: number): IterationState {
  return states.find((s) => s.iteration === iteration) ?? { iteration, model: null, baseUrl: null };
}

export function withIteration(states: readonly IterationState[], next: IterationState): IterationState[] {
  return [...states.filter((s) => s.iteration !== next.iteration), next].sort((a, b) => a.iteration - b.iteration);
}
