// The tree's final answer: its best terminal by value.
import type { SearchNode } from "./search-node.ts";

/**
 * The value of a terminal node. Visited: Q/N. Unvisited: its reward, which is the Q/N it would have after any number
 * of visits, because a terminal only ever backpropagates its own reward. So siblings sampled in the last rollout
 * still compete.
 */
export function terminalValue(node: SearchNode): number {
  return node.visits > 0 ? node.valueSum / node.visits : (node.reward ?? 0);
}

/**
 * Order of candidates, best first: higher value; on a tie, more visits (the search trusted it more); then earlier
 * creation (lower seq), which is deterministic and favours the answer found with less compute.
 */
export function compareFinalCandidates(a: SearchNode, b: SearchNode): number {
  return terminalValue(b) - terminalValue(a) || b.visits - a.visits || a.seq - b.seq;
}

/** Among terminal nodes that carry code; null when no path reached code. */
export function selectFinalAnswer(nodes: readonly SearchNode[]): SearchNode | null {
  const candidates = nodes.filter((node) => node.isTerminal && node.code !== null);
  return [...candidates].sort(compareFinalCandidates)[0] ?? null;
}
