// One rollout: select down the tree, expand and simulate to a terminal, backpropagate its reward.
// Follows the reference MCTS (rStar's do_rollout): selection stops at the first unexplored child; simulation expands
// each leaf it meets and descends through a random fresh child until a terminal.
import { backpropagate } from "./backpropagate.ts";
import { expandNode, type ExpansionContext } from "./expand-node.ts";
import { selectChild } from "./select-child.ts";
import type { SearchNode } from "./search-node.ts";
import type { SearchTree } from "./search-tree.ts";

function isLeafTerminal(node: SearchNode, maxDepth: number): boolean {
  return node.isTerminal || node.depth >= maxDepth;
}

/** Root first. Ends at a terminal, at a node without children, or at the first unexplored child chosen. */
export function selectPath(tree: SearchTree, c: number, context: Pick<ExpansionContext, "random" | "config">): SearchNode[] {
  const path = [tree.root];
  let node = tree.root;
  while (!isLeafTerminal(node, context.config.maxDepth)) {
    const children = tree.childrenOf(node.id);
    if (children.length === 0) break;
    const child = selectChild(children, node.visits, c, context.random, context.config.guide);
    path.push(child);
    if (child.visits === 0) break;
    node = child;
  }
  return path;
}

/** Extends `path` in place to a terminal, expanding leaves on the way. */
export async function simulateToTerminal<D>(
  path: SearchNode[],
  c: number,
  context: ExpansionContext<D>,
  shouldStop: () => boolean,
): Promise<void> {
  let node = path[path.length - 1] as SearchNode;
  while (!isLeafTerminal(node, context.config.maxDepth)) {
    if (shouldStop()) throw new RolloutStopped();
    const existing = context.tree.childrenOf(node.id);
    const children = existing.length > 0 ? existing : await expandNode(node, context);
    node = selectChild(children, node.visits, c, context.random, context.config.guide);
    path.push(node);
  }
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
  const path = selectPath(context.tree, c, context);
  await simulateToTerminal(path, c, context, shouldStop);
  const reward = path[path.length - 1]?.reward ?? 0;
  backpropagate(path, reward);
  return { path, reward };
}
