// Step labels from a finished search tree, with no PRM at all: a step is good when completions below it reach a
// passing terminal. The tree already holds those completions: every terminal below a step was sampled from that
// step's prefix, and its visits N say how many rollouts ended there. They are NOT Math-Shepherd's labels: there, k
// completions are sampled independently from each step; here UCT chose where rollouts went, so the share is
// weighted by visits (close to the step's normalised Q/N) and favours the branches the search liked.

/** The fields of a stored or in-memory node the labels need. */
export interface LabelNode {
  id: string;
  parentId: string | null;
  isTerminal: boolean;
  /** N: rollouts that ended at this node (for a terminal) or passed through it. */
  visits: number;
}

export interface StepLabel {
  /** Completions below the step (each terminal weighted by its rollouts; an unvisited sampled terminal counts once). */
  completions: number;
  /** Of those, the ones ending at a passing terminal. */
  passing: number;
  /** Hard label: some completion below the step passes. null when no terminal lies below the step. */
  hard: boolean | null;
  /** Visit-weighted label: the visit-weighted share of completions that pass, in [0, 1]. null when no terminal lies below. */
  visitWeighted: number | null;
}

/**
 * Labels for every node, root included, keyed by node id. `passes(terminal)` decides what "passing" means: all
 * search-visible tests (reward 1) for training data, or hidden-test verdicts for analysis.
 */
export function computeRolloutLabels<N extends LabelNode>(nodes: readonly N[], passes: (terminal: N) => boolean): Map<string, StepLabel> {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const totals = new Map<string, { completions: number; passing: number }>(nodes.map((node) => [node.id, { completions: 0, passing: 0 }]));
  for (const terminal of nodes) {
    if (!terminal.isTerminal) continue;
    const weight = Math.max(terminal.visits, 1);
    const passed = passes(terminal) ? weight : 0;
    for (let node: N | undefined = terminal; node; node = node.parentId === null ? undefined : byId.get(node.parentId)) {
      const total = totals.get(node.id)!;
      total.completions += weight;
      total.passing += passed;
    }
  }
  const labels = new Map<string, StepLabel>();
  for (const [id, { completions, passing }] of totals) {
    labels.set(id, {
      completions,
      passing,
      hard: completions === 0 ? null : passing > 0,
      visitWeighted: completions === 0 ? null : passing / completions,
    });
  }
  return labels;
}

/** Terminal passes all search-visible tests: the training-data notion of success (hidden tests stay for evaluation). */
export function passesVisibleTests(terminal: { reward: number | null }): boolean {
  return terminal.reward !== null && terminal.reward >= 1 - 1e-9;
}
