// Terminal reward r = α·compile + (1−α)·pass_rate over the search-visible tests (reference α = 0: pass rate only).
import type { Evaluation } from "./evaluator.ts";

export function computeReward(evaluation: Pick<Evaluation, "compiles" | "passRate">, alpha: number): number {
  const passRate = Math.min(1, Math.max(0, evaluation.passRate));
  return alpha * (evaluation.compiles ? 1 : 0) + (1 - alpha) * passRate;
}

/** A terminal without code (the depth limit reached mid-reasoning) neither compiles nor passes anything. */
export const NO_CODE_EVALUATION = { compiles: false, passRate: 0 } as const;
