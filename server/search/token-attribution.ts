// One request produces n sibling nodes but one usage record. Nodes carry tokens so a persisted tree alone yields the
// tokens spent on it: the prompt (processed once for all siblings) is billed to the first sibling, and completion
// tokens are split so that the siblings' sum equals the request's usage exactly.
import type { ProposedStep } from "./step-policy.ts";

export interface NodeTokens {
  promptTokens: number;
  completionTokens: number;
}

/** Integer shares of `total` proportional to `weights` (largest remainder; ties to the earlier index). */
export function splitProportionally(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const effective = sum > 0 ? weights : weights.map(() => 1);
  const effectiveSum = sum > 0 ? sum : weights.length;
  const exact = effective.map((w) => (total * w) / effectiveSum);
  const shares = exact.map(Math.floor);
  let left = total - shares.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    shares[i] = (shares[i] ?? 0) + 1;
    left -= 1;
  }
  return shares;
}

/** Per-step counts when the policy knows them all; otherwise the request's total split by text length. */
export function attributeUsage(steps: readonly ProposedStep[], usage: NodeTokens): NodeTokens[] {
  const known = steps.map((s) => s.completionTokens);
  const completion = known.every((t): t is number => t !== undefined)
    ? known
    : splitProportionally(usage.completionTokens, steps.map((s) => s.text.length));
  return steps.map((_, i) => ({ promptTokens: i === 0 ? usage.promptTokens : 0, completionTokens: completion[i] ?? 0 }));
}
