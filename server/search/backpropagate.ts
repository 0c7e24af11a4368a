// Backpropagation: every node on the rollout's path, root included, gains Q += r and N += 1.
import type { SearchNode } from "./search-node.ts";

export function backpropagate(path: readonly Pick<SearchNode, "visits" | "valueSum">[], reward: number): void {
  for (const node of path) {
    node.valueSum += reward;
    node.visits += 1;
  }
}
