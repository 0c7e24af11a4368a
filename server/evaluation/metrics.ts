// Experiment metrics as pure functions of judged trees. Hidden tests enter here only as verdicts on finished code
// (computed after the search), never as rewards.
import { ValidationError } from "../errors.ts";
import { selectFinalAnswer, type SearchNode } from "../search/index.ts";
import { experimentBudgetCurve, treeBudgetCurve, type BudgetPoint, type CurvePoint } from "./budget-curve.ts";

export interface ProblemOutcome {
  problemId: string;
  /** Whether the tree's final answer passes all hidden tests; null when the tree has no final answer (a failure). */
  finalAnswerPasses: boolean | null;
  /** One verdict per sampled terminal node: passes all hidden tests. */
  terminalPasses: readonly boolean[];
  promptTokens: number;
  completionTokens: number;
  llmCalls: number;
  /** Whether the first sampled terminal (lowest creation order, no selection) passes; null without terminals. Absent
   * on trees judged before it was recorded. */
  firstTerminalPasses?: boolean | null;
  /** Accuracy against tokens after each request (budget-curve.ts); absent on trees judged before it was recorded. */
  budgetCurve?: BudgetPoint[];
  /** Tokens of the PRM's LLM requests (judge PRM), apart from the policy's promptTokens/completionTokens. */
  prmPromptTokens?: number;
  prmCompletionTokens?: number;
  /** The final answer on MBPP's challenge asserts; null/absent when the problem has none. */
  challengePasses?: boolean | null;
  /** The final answer on the base and EvalPlus plus tests; null/absent when the problem has no plus tests. */
  plusPasses?: boolean | null;
}

/** A named extra verdict over the problems that have its tests. */
export interface SuiteSummary {
  problems: number;
  pass1: number;
}

export interface MetricsSummary {
  problems: number;
  /** Pass@1 of the final answer (best terminal by Q/N, selected on the search-visible tests); null without problems. */
  pass1: number | null;
  /** Pass@1 of the first sampled terminal (no selection); null when no tree recorded it (judged before it existed). */
  pass1FirstTerminal: number | null;
  /** Pass@1 against a per-problem budget of policy tokens (budget-curve.ts); empty when no tree recorded its curve. */
  tokenCurve: CurvePoint[];
  aspr: number | null;
  /** Keyed by k. */
  passAtK: Record<number, number | null>;
  promptTokens: number;
  completionTokens: number;
  /** Policy tokens (prompt + completion) per problem. */
  tokensPerProblem: number | null;
  /** PRM (judge) request tokens, counted apart from the policy's. */
  prmPromptTokens: number;
  prmCompletionTokens: number;
  prmTokensPerProblem: number | null;
  /** Everything the experiment's LLM calls spent per problem: policy + PRM. */
  totalTokensPerProblem: number | null;
  llmCallsPerProblem: number | null;
  /** Pass@1 on MBPP's challenge asserts, over the problems that have them; null when none has. */
  challenge: SuiteSummary | null;
  /** Pass@1 on base + EvalPlus plus tests, over the problems that have plus tests; null when none has. */
  plus: SuiteSummary | null;
}

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

export function computePass1(outcomes: readonly ProblemOutcome[]): number | null {
  return mean(outcomes.map((o) => (o.finalAnswerPasses === true ? 1 : 0)));
}

/** Outcomes without the field (trees judged before it was recorded) make the figure unknown rather than wrong. */
export function computePass1FirstTerminal(outcomes: readonly ProblemOutcome[]): number | null {
  if (outcomes.some((o) => o.firstTerminalPasses === undefined && o.finalAnswerPasses !== null)) return null;
  return mean(outcomes.map((o) => (o.firstTerminalPasses === true ? 1 : 0)));
}

/** Failed searches (no curve, no final answer) count as unsolved at every budget. */
export function computeTokenCurve(outcomes: readonly ProblemOutcome[]): CurvePoint[] {
  if (outcomes.some((o) => o.budgetCurve === undefined && o.finalAnswerPasses !== null)) return [];
  return experimentBudgetCurve(outcomes.map((o) => o.budgetCurve ?? []));
}

/** A problem whose search reached no terminal contributes 0: it never reached a correct last step. */
export function computeAspr(outcomes: readonly ProblemOutcome[]): number | null {
  return mean(outcomes.map((o) => (o.terminalPasses.length === 0 ? 0 : countTrue(o.terminalPasses) / o.terminalPasses.length)));
}

function countTrue(values: readonly boolean[]): number {
  return values.filter(Boolean).length;
}

/**
 * Unbiased pass@k (Chen et al., 2021) from n samples of which c pass: 1 − C(n−c, k)/C(n, k), computed as the product
 * 1 − Π_{i=n−c+1..n} (1 − k/i), which never forms the huge binomials. With n < k the estimator is undefined; we use
 * pass@n instead (1 if any sample passes), as stated in METRIC_DEFINITIONS.
 */
export function estimatePassAtK(n: number, c: number, k: number): number {
  // n ≥ 0 follows from c ≥ 0 and c ≤ n.
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k) || c < 0 || c > n || k < 1) {
    throw new ValidationError(`needs integers n ≥ c ≥ 0 and k ≥ 1, got n=${n}, c=${c}, k=${k}`, "pass@k");
  }
  if (c === 0) return 0;
  if (n - c < k) return 1;
  let allFail = 1;
  for (let i = n - c + 1; i <= n; i += 1) allFail *= 1 - k / i;
  return 1 - allFail;
}

export function computePassAtK(outcomes: readonly ProblemOutcome[], k: number): number | null {
  return mean(outcomes.map((o) => estimatePassAtK(o.terminalPasses.length, countTrue(o.terminalPasses), k)));
}

function prmTokens(o: ProblemOutcome): number {
  return (o.prmPromptTokens ?? 0) + (o.prmCompletionTokens ?? 0);
}

function summarizeSuite(verdicts: ReadonlyArray<boolean | null | undefined>): SuiteSummary | null {
  const known = verdicts.filter((v): v is boolean => typeof v === "boolean");
  return known.length === 0 ? null : { problems: known.length, pass1: countTrue(known) / known.length };
}

export function summarizeMetrics(outcomes: readonly ProblemOutcome[], ks: readonly number[] = [1, 3, 5]): MetricsSummary {
  const promptTokens = outcomes.reduce((sum, o) => sum + o.promptTokens, 0);
  const completionTokens = outcomes.reduce((sum, o) => sum + o.completionTokens, 0);
  return {
    problems: outcomes.length,
    pass1: computePass1(outcomes),
    pass1FirstTerminal: computePass1FirstTerminal(outcomes),
    tokenCurve: computeTokenCurve(outcomes),
    aspr: computeAspr(outcomes),
    passAtK: Object.fromEntries(ks.map((k) => [k, computePassAtK(outcomes, k)])),
    promptTokens,
    completionTokens,
    tokensPerProblem: mean(outcomes.map((o) => o.promptTokens + o.completionTokens)),
    prmPromptTokens: outcomes.reduce((sum, o) => sum + (o.prmPromptTokens ?? 0), 0),
    prmCompletionTokens: outcomes.reduce((sum, o) => sum + (o.prmCompletionTokens ?? 0), 0),
    prmTokensPerProblem: mean(outcomes.map(prmTokens)),
    totalTokensPerProblem: mean(outcomes.map((o) => o.promptTokens + o.completionTokens + prmTokens(o))),
    llmCallsPerProblem: mean(outcomes.map((o) => o.llmCalls)),
    challenge: summarizeSuite(outcomes.map((o) => o.challengePasses)),
    plus: summarizeSuite(outcomes.map((o) => o.plusPasses)),
  };
}

/** Every node with children was expanded by exactly one LLM request. */
export function countLlmCalls(nodes: readonly SearchNode[]): number {
  return new Set(nodes.filter((n) => n.parentId !== null).map((n) => n.parentId)).size;
}

/** The terminals ASPR and pass@k sample from: all terminal nodes of the tree, in creation order. */
export function sampledTerminals(nodes: readonly SearchNode[]): SearchNode[] {
  return nodes.filter((n) => n.isTerminal).sort((a, b) => a.seq - b.seq);
}

/**
 * A tree's outcome from its nodes and the hidden-test verdict of each terminal's code (keyed by node id).
 * Terminals without code fail without a verdict; a terminal with code but no verdict is a caller bug and throws.
 */
export function outcomeFromTree(problemId: string, nodes: readonly SearchNode[], hiddenVerdicts: ReadonlyMap<string, boolean>): ProblemOutcome {
  const verdict = (node: SearchNode): boolean => {
    if (node.code === null) return false;
    const passes = hiddenVerdicts.get(node.id);
    if (passes === undefined) throw new ValidationError(`terminal node ${node.id} has code but no hidden-test verdict`, problemId);
    return passes;
  };
  const finalAnswer = selectFinalAnswer(nodes);
  const terminals = sampledTerminals(nodes);
  return {
    problemId,
    finalAnswerPasses: finalAnswer ? verdict(finalAnswer) : null,
    firstTerminalPasses: terminals[0] ? verdict(terminals[0]) : null,
    budgetCurve: treeBudgetCurve(nodes, verdict),
    // A node holding several identical samples (SearchNode.copies) stands for that many sampled terminals.
    terminalPasses: terminals.flatMap((node) => Array<boolean>(node.copies ?? 1).fill(verdict(node))),
    promptTokens: nodes.reduce((sum, n) => sum + n.promptTokens, 0),
    completionTokens: nodes.reduce((sum, n) => sum + n.completionTokens, 0),
    llmCalls: countLlmCalls(nodes),
  };
}
