// One rollout: descend from the root to a terminal, expanding leaves on the way, and backpropagate its reward.
// Follows the reference MCTS (rStar's do_rollout), whose selection stops at the first unexplored child and whose
// simulation then expands each leaf it meets and descends through a random fresh child. Both phases pick children
// with the same rule (selectChild: an unexplored child first, else the best UCT), so they are one loop here: the same
// draws from the rollout's stream, the same expansions, the same path.
import { backpropagate } from "./backpropagate.ts";
import { expandNode, type ExpansionContext } from "./expand-node.ts";
import { selectChild } from "./select-child.ts";
import type { SearchNode } from "./search-node.ts";

function isLeafTerminal(node: SearchNode, maxDepth: number): boolean {
  return node.isTerminal || node.depth >= maxDepth;
}

/**
 * Root first, a terminal (or a node at the depth limit) last. `shouldStop` is polled before each expansion, the only
 * step that waits on the policy (run-search polls it between rollouts).
 */
async function descendToTerminal<D>(c: number, context: ExpansionContext<D>, shouldStop: () => boolean): Promise<SearchNode[]> {
  let node = context.tree.root;
  const path = [node];
  while (!isLeafTerminal(node, context.config.maxDepth)) {
    let children = context.tree.childrenOf(node.id);
    if (children.length === 0) {
      if (shouldStop()) throw new RolloutStopped();
      children = await expandNode(node, context);
    }
    node = selectChild(children, node.visits, c, context.random, context.config.guide);
    path.push(node);
  }
  return path;
}

export class RolloutStopped extends Error {
  constructor() {
    super("rollout stopped on request");
  }
}

export async function runRollout<D>(
  c: number,
  context: ExpansionContext<D>,
  shouldStop: () => boolean,
): Promise<{ path: SearchNode[]; reward: number }> {
  const path = await descendToTerminal(c, context, shouldStop);
  const leaf = path[path.length - 1] as SearchNode;
  const reward = leaf.reward ?? 0;
  backpropagate(path, reward);
  return { path, reward };
}
