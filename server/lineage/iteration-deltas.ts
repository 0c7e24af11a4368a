// Deltas between self-play iterations, as a pure function of the rows (LINEAGE_DEFINITIONS.delta): each experiment is
// compared with the previous iteration's experiment on the same dataset in the same reasoning mode, so a vanilla /
// pseudocode pair in every iteration compares like with like. Pass@1, ASPR and tokens are compared on the problems
// both experiments scored: an iteration run on other problems (a larger range, a new sample) would otherwise show the
// difference between problem sets as progress. With no problem in common the row is not comparable.
import { computeAspr, computePass1, type ProblemOutcome } from "../evaluation/index.ts";

export interface ComparableRow {
  experimentId: string;
  iteration: number;
  datasetId: string;
  mode: string;
  createdAt: Date;
  /** The problems it is compared on (lineage-service's loadComparedOutcomes); null until it has metrics (running, queued). */
  outcomes: readonly ProblemOutcome[] | null;
  tcgValidity: number | null;
}

export interface IterationDelta {
  /** The experiment compared with; null for the first iteration of its dataset and mode. */
  previous: { experimentId: string; iteration: number } | null;
  /**
   * The problems both experiments scored, which Pass@1, ASPR and tokens are compared on; null when there is no previous
   * experiment or either side has no metrics yet. 0: not comparable (the deltas are null).
   */
  commonProblems: number | null;
  /** Whether both experiments scored exactly the same problems (then the Δ is of the experiments' own figures). */
  sameProblems: boolean | null;
  /** null where either side lacks the number (e.g. a running experiment has no metrics yet) or nothing is in common. */
  pass1: number | null;
  aspr: number | null;
  tokensPerProblem: number | null;
  /** TCG validity is of the dataset and model, not of the problems: the plain difference. */
  tcgValidity: number | null;
}

export function computeIterationDeltas(rows: readonly ComparableRow[]): Map<string, IterationDelta> {
  const deltas = new Map<string, IterationDelta>();
  for (const row of rows) {
    const previous = findPrevious(rows, row);
    const common = previous ? onCommonProblems(previous.outcomes, row.outcomes) : null;
    deltas.set(row.experimentId, {
      previous: previous ? { experimentId: previous.experimentId, iteration: previous.iteration } : null,
      commonProblems: common ? common.problems : null,
      sameProblems: common ? common.same : null,
      pass1: common ? difference(computePass1(common.before), computePass1(common.after)) : null,
      aspr: common ? difference(computeAspr(common.before), computeAspr(common.after)) : null,
      tokensPerProblem: common ? difference(meanTokens(common.before), meanTokens(common.after)) : null,
      tcgValidity: difference(previous?.tcgValidity, row.tcgValidity),
    });
  }
  return deltas;
}

/** Both sides' outcomes restricted to the problems both scored, in the same order; null when a side has none yet. */
function onCommonProblems(before: readonly ProblemOutcome[] | null, after: readonly ProblemOutcome[] | null) {
  if (before === null || after === null) return null;
  const earlier = new Map(before.map((o) => [o.problemId, o]));
  const pairs = after.filter((o) => earlier.has(o.problemId)).map((o) => [earlier.get(o.problemId)!, o] as const);
  return {
    problems: pairs.length,
    same: pairs.length === before.length && pairs.length === after.length,
    before: pairs.map(([b]) => b),
    after: pairs.map(([, a]) => a),
  };
}

function meanTokens(outcomes: readonly ProblemOutcome[]): number | null {
  return outcomes.length === 0 ? null : outcomes.reduce((sum, o) => sum + o.promptTokens + o.completionTokens, 0) / outcomes.length;
}

/** The nearest lower iteration with the same dataset and mode; the latest created experiment there. */
function findPrevious(rows: readonly ComparableRow[], row: ComparableRow): ComparableRow | undefined {
  let best: ComparableRow | undefined;
  for (const other of rows) {
    if (other.datasetId !== row.datasetId || other.mode !== row.mode || other.iteration >= row.iteration) continue;
    if (!best || other.iteration > best.iteration || (other.iteration === best.iteration && other.createdAt > best.createdAt)) best = other;
  }
  return best;
}

function difference(before: number | null | undefined, after: number | null): number | null {
  return before === null || before === undefined || after === null ? null : after - before;
}
