// Explorer-shaped trees for tests of the pure UI functions.
import type { TreeNodeView, TreeView } from "../../components/tree/types.ts";

export function viewNode(fields: Partial<TreeNodeView> & Pick<TreeNodeView, "id" | "seq">): TreeNodeView {
  return {
    parentId: null,
    depth: 0,
    actionKind: fields.parentId ? "structure" : "root",
    visits: 0,
    valueSum: 0,
    isTerminal: false,
    reward: null,
    prmScore: null,
    visible: null,
    hidden: null,
    ...fields,
  };
}

/** A tree from "child:parent" pairs in creation order; the first entry is the root ("r"). */
export function treeFrom(edges: string[], finalNodeId: string | null = null): TreeView {
  const depth = new Map<string, number>();
  const nodes = edges.map((edge, seq) => {
    const [id, parentId] = edge.split(":") as [string, string | undefined];
    const d = parentId === undefined ? 0 : (depth.get(parentId) ?? 0) + 1;
    depth.set(id, d);
    return viewNode({ id, seq, parentId: parentId ?? null, depth: d, visits: 1, valueSum: 0.5 });
  });
  return { treeId: "t", finalNodeId, nodes };
}

/**
 * A search-like tree of `count` nodes, grown the way MCTS grows one: each expansion picks a pseudo-random existing
 * leaf above `maxDepth` and gives it `branching` children. Deterministic for a seed.
 */
export function syntheticTree(count: number, branching = 3, maxDepth = 12, seed = 1): TreeView {
  let state = seed >>> 0;
  const random = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const nodes: TreeNodeView[] = [viewNode({ id: "n0", seq: 0, visits: count, valueSum: count / 2 })];
  const expandable: TreeNodeView[] = [nodes[0]!];
  while (nodes.length < count && expandable.length > 0) {
    const index = Math.floor(random() * expandable.length);
    const parent = expandable[index]!;
    expandable.splice(index, 1);
    for (let b = 0; b < branching && nodes.length < count; b++) {
      const seq = nodes.length;
      const terminal = parent.depth + 1 >= maxDepth;
      const child = viewNode({
        id: `n${seq}`,
        seq,
        parentId: parent.id,
        depth: parent.depth + 1,
        visits: Math.floor(random() * 5),
        valueSum: random(),
        isTerminal: terminal,
      });
      nodes.push(child);
      if (!terminal) expandable.push(child);
    }
  }
  return { treeId: `synthetic-${count}`, finalNodeId: null, nodes };
}
