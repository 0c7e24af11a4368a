// What an experiment and each of its trees store as metrics (Experiment.metrics, SearchTree.metrics): the shapes the
// engine writes, the completion aggregates and the views show.
import type { LabelSamplingTally, PrmTally } from "../prm/index.ts";
import type { MetricsSummary, ProblemOutcome } from "./metrics.ts";

export interface ExperimentMetrics extends MetricsSummary {
  /** Problems whose search failed (e.g. the LLM kept erroring); they count as not solved. */
  failedProblems: number;
  /** Problems without a judgeable hidden test: searched, but left out of Pass@1, ASPR and pass@k. */
  unjudgedProblems: number;
  /** LLM requests retried over all trees and attempts (timeouts, 5xx, resets, malformed bodies). */
  llmRetries: number;
  wallMs: number;
}

/** Stored on SearchTree.metrics; enough to recompute the experiment's metrics without reading nodes. */
export interface TreeMetrics extends ProblemOutcome {
  /** False when the problem has no judgeable hidden test: left out of Pass@1 / ASPR / pass@k. */
  judged: boolean;
  finalNodeId: string | null;
  /** v = Q/N of the final answer. */
  bestValue: number | null;
  terminals: number;
  terminalsPassing: number;
  nodes: number;
  wallMs: number;
  /** Served / judge PRM: steps scored and left unscored (their prmScore is null), with the last failure's reason. */
  prm?: PrmTally | null;
  /** Rollout mode with sampled labels: the policy calls and tokens spent sampling them, apart from the search's. */
  labelSampling?: LabelSamplingTally | null;
}


/** A tree as stored, as far as the experiment's metrics read it. */
export interface StoredTreeOutcome {
  status: string;
  metrics: unknown;
  problemId: string;
  promptTokens: number;
  completionTokens: number;
  llmCalls: number;
}

/**
 * The problems an experiment's metrics are computed over, one outcome each: judged finished trees, and failed searches
 * as misses (an attempted problem that was not solved). Unjudged and unfinished trees are left out.
 */
export function scoredOutcomes(trees: readonly StoredTreeOutcome[]): ProblemOutcome[] {
  const outcomes: ProblemOutcome[] = [];
  for (const t of trees) {
    if (t.status === "DONE") {
      const metrics = t.metrics as TreeMetrics;
      if (metrics.judged) outcomes.push(metrics);
    } else if (t.status === "FAILED") {
      outcomes.push({ problemId: t.problemId, finalAnswerPasses: null, terminalPasses: [], promptTokens: t.promptTokens, completionTokens: t.completionTokens, llmCalls: t.llmCalls });
    }
  }
  return outcomes;
}
