// Accuracy against tokens spent (issue 13 point 2), from a finished tree's stored nodes in creation order.
//
// Per problem, after each LLM request of the search (in the order the search made them): x = the policy tokens spent
// so far, y = whether the final answer the search would give if it stopped there passes the judging tests. That answer
// is the best terminal with code created so far by value; a terminal's Q/N equals its reward at every visit count (it
// only ever backpropagates its own reward), so this is the final-answer rule of search/final-answer.ts at that moment,
// except that ties go to the earliest created terminal instead of the most visited.
// Over problems: at a per-problem token budget B, Pass@1(B) = the share of problems whose curve has y = true at the
// last point with x ≤ B (a problem that has not yet produced an answer within B counts as unsolved). The last point
// of every problem is its full run, so the curve ends at Pass@1 (up to the visit tie-break above).
import { terminalValue, type SearchNode } from "../search/index.ts";

/** [cumulative policy tokens, passes] after each request, in search order. */
export type BudgetPoint = readonly [tokens: number, passes: boolean];

export interface CurvePoint {
  /** Per-problem budget of policy tokens (prompt + completion). */
  tokensPerProblem: number;
  /** Pass@1 if every problem's search had stopped at that budget. */
  pass1: number;
}

/** Most points an experiment's curve keeps (spread over the budgets where some problem's answer changed). */
const MAX_CURVE_POINTS = 64;

export function treeBudgetCurve(nodes: readonly SearchNode[], passes: (node: SearchNode) => boolean): BudgetPoint[] {
  const ordered = [...nodes].filter((n) => n.parentId !== null).sort((a, b) => a.seq - b.seq);
  const points: BudgetPoint[] = [];
  let tokens = 0;
  let best: SearchNode | null = null;
  ordered.forEach((node, i) => {
    tokens += node.promptTokens + node.completionTokens;
    if (node.isTerminal && node.code !== null && (best === null || terminalValue(node) > terminalValue(best))) best = node;
    // Siblings of one request are consecutive in seq; the point is taken once the whole request is in.
    if (ordered[i + 1]?.parentId !== node.parentId) points.push([tokens, best !== null && passes(best)]);
  });
  return points;
}

function passesAt(curve: readonly BudgetPoint[], budget: number): boolean {
  let passes = false;
  for (const [tokens, ok] of curve) {
    if (tokens > budget) break;
    passes = ok;
  }
  return passes;
}

/** Pass@1 against the per-problem token budget; one curve per problem (an empty one for a failed search). */
export function experimentBudgetCurve(curves: ReadonlyArray<readonly BudgetPoint[]>): CurvePoint[] {
  if (curves.length === 0) return [];
  const budgets = [...new Set(curves.flatMap((c) => c.map(([tokens]) => tokens)))].sort((a, b) => a - b);
  const step = Math.max(1, Math.ceil(budgets.length / MAX_CURVE_POINTS));
  const kept = budgets.filter((_, i) => i % step === 0 || i === budgets.length - 1);
  return kept.map((budget) => ({
    tokensPerProblem: budget,
    pass1: curves.filter((curve) => passesAt(curve, budget)).length / curves.length,
  }));
}
