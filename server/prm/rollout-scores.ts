// Rollout mode: no model scores steps during the search; afterwards every node's prmScore becomes its visit-weighted
// label (rollout-labels.ts), the share of the search's completions below it that pass all search-visible tests (or,
// with prm.labels sampled, its Math-Shepherd label: sampled-labels.ts). A node with no terminal below it keeps null.
// The engine's tree store writes them (writePrmScores).
import type { SearchNode } from "../search/index.ts";
import { computeRolloutLabels, passesVisibleTests } from "./rollout-labels.ts";

/** Visit-weighted labels keyed by the search's node id (computeRolloutLabels labels every node, in the given order). */
export function rolloutPrmScores(nodes: readonly SearchNode[]): Map<string, number | null> {
  return new Map([...computeRolloutLabels(nodes, passesVisibleTests)].map(([id, label]) => [id, label.visitWeighted]));
}
