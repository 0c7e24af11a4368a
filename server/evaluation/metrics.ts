// Experiment metrics as pure functions of judged trees. Hidden tests enter here only as verdicts on finished code
// (computed after the search), never as rewards.
import { ValidationError } from "../errors.ts";
import { selectFinalAnswer, type SearchNode } from "../search/index.ts";

export interface ProblemOutcome {
  problemId: string;
  /** Whether the tree's final answer passes all hidden tests; null when the tree has no final answer (a failure). */
  finalAnswerPasses: boolean | null;
  /** One verdict per sampled terminal node: passes all hidden tests. */
  terminalPasses: readonly boolean[];
  promptTokens: number;
  completionTokens: number;
  llmCalls: number;
}

export interface MetricsSummary {
  problems: number;
  /** null when there are no problems. */
  pass1: number | null;
  aspr: number | null;
  /** Keyed by k. */
  passAtK: Record<number, number | null>;
  promptTokens: number;
  completionTokens: number;
  tokensPerProblem: number | null;
  llmCallsPerProblem: number | null;
}

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

export function computePass1(outcomes: readonly ProblemOutcome[]): number | null {
  return mean(outcomes.map((o) => (o.finalAnswerPasses === true ? 1 : 0)));
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
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k) || n < 0 || c < 0 || c > n || k < 1) {
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

export function summarizeMetrics(outcomes: readonly ProblemOutcome[], ks: readonly number[] = [1, 3, 5]): MetricsSummary {
  const promptTokens = outcomes.reduce((sum, o) => sum + o.promptTokens, 0);
  const completionTokens = outcomes.reduce((sum, o) => sum + o.completionTokens, 0);
  return {
    problems: outcomes.length,
    pass1: computePass1(outcomes),
    aspr: computeAspr(outcomes),
    passAtK: Object.fromEntries(ks.map((k) => [k, computePassAtK(outcomes, k)])),
    promptTokens,
    completionTokens,
    tokensPerProblem: mean(outcomes.map((o) => o.promptTokens + o.completionTokens)),
    llmCallsPerProblem: mean(outcomes.map((o) => o.llmCalls)),
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
  return {
    problemId,
    finalAnswerPasses: finalAnswer ? verdict(finalAnswer) : null,
    // A node holding several identical samples (SearchNode.copies) stands for that many sampled terminals.
    terminalPasses: sampledTerminals(nodes).flatMap((node) => Array<boolean>(node.copies ?? 1).fill(verdict(node))),
    promptTokens: nodes.reduce((sum, n) => sum + n.promptTokens, 0),
    completionTokens: nodes.reduce((sum, n) => sum + n.completionTokens, 0),
    llmCalls: countLlmCalls(nodes),
  };
}
