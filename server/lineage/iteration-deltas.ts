// Deltas between self-play iterations, as a pure function of the rows (LINEAGE_DEFINITIONS.delta): each experiment is
// compared with the previous iteration's experiment on the same dataset in the same reasoning mode, so a vanilla /
// pseudocode pair in every iteration compares like with like.

export interface ComparableRow {
  experimentId: string;
  iteration: number;
  datasetId: string;
  mode: string;
  createdAt: Date;
  pass1: number | null;
  aspr: number | null;
  tokensPerProblem: number | null;
  tcgValidity: number | null;
}

export interface IterationDelta {
  /** The experiment compared with; null for the first iteration of its dataset and mode. */
  previous: { experimentId: string; iteration: number } | null;
  /** null where either side lacks the number (e.g. a running experiment has no metrics yet). */
  pass1: number | null;
  aspr: number | null;
  tokensPerProblem: number | null;
  tcgValidity: number | null;
}

export function computeIterationDeltas(rows: readonly ComparableRow[]): Map<string, IterationDelta> {
  const deltas = new Map<string, IterationDelta>();
  for (const row of rows) {
    const previous = findPrevious(rows, row);
    deltas.set(row.experimentId, {
      previous: previous ? { experimentId: previous.experimentId, iteration: previous.iteration } : null,
      pass1: difference(previous?.pass1, row.pass1),
      aspr: difference(previous?.aspr, row.aspr),
      tokensPerProblem: difference(previous?.tokensPerProblem, row.tokensPerProblem),
      tcgValidity: difference(previous?.tcgValidity, row.tcgValidity),
    });
  }
  return deltas;
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
