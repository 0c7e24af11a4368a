// Pure layout of a search tree: (tree, collapsed) → positioned nodes and links. No DOM, no React, so it is unit-tested
// and the renderer (SVG or canvas) only draws what this returns.
import { hierarchy, stratify, tree as d3Tree, type HierarchyNode } from "d3";
import type { TreeNodeView, TreeView } from "./types";

/** [breadth, depth] spacing between neighbouring nodes, in layout units (pixels at zoom 1). */
export const DEFAULT_NODE_SIZE: readonly [number, number] = [26, 84];

export interface LayoutOptions {
  /** Ids whose subtrees are folded away: the node stays, its descendants are not laid out. */
  collapsed: ReadonlySet<string>;
  nodeSize?: readonly [number, number];
}

export interface LayoutNode {
  id: string;
  /** Breadth position (siblings spread along x); the root sits at x = 0. */
  x: number;
  /** Depth position: depth × nodeSize[1]. */
  y: number;
  node: TreeNodeView;
  /** Children in the full tree, folded or not: whether the node gets a collapse toggle. */
  childCount: number;
  /** True when the node has children that are folded away because it is collapsed. */
  hasHiddenChildren: boolean;
  /** How many descendants the fold hides (0 unless hasHiddenChildren). */
  hiddenDescendants: number;
  /** True when this node is the final answer or one of its ancestors. */
  onFinalPath: boolean;
}

export interface LayoutLink {
  source: string;
  target: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** The child's N: how many rollouts went through this edge. */
  visits: number;
  onFinalPath: boolean;
}

export interface LayoutBounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export interface TreeLayout {
  nodes: LayoutNode[];
  links: LayoutLink[];
  bounds: LayoutBounds;
  /** Nodes in the tree that are not reachable from the root (parent not arrived yet, or a second root). */
  unreachable: number;
}

const EMPTY_BOUNDS: LayoutBounds = { minX: 0, minY: 0, maxX: 0, maxY: 0 };

export function layoutTree(tree: TreeView, options: LayoutOptions): TreeLayout {
  const reachable = selectReachableNodes(tree.nodes);
  if (reachable.length === 0) return { nodes: [], links: [], bounds: EMPTY_BOUNDS, unreachable: tree.nodes.length };

  const full = stratifyBySeq(reachable);
  const descendantCounts = countDescendants(full);
  // Collapsing is the children accessor returning null: d3 then treats the node as a leaf.
  const visible = hierarchy(full, (n) => (options.collapsed.has(n.data.id) ? null : n.children));
  const [dx, dy] = options.nodeSize ?? DEFAULT_NODE_SIZE;
  // Siblings one slot apart, cousins a little further, so sibling groups read as groups without wasting width.
  const positioned = d3Tree<HierarchyNode<TreeNodeView>>()
    .nodeSize([dx, dy])
    .separation((a, b) => (a.parent === b.parent ? 1 : 1.4))(visible);

  const finalPath = collectFinalPath(tree.finalNodeId, full);
  const nodes: LayoutNode[] = [];
  const links: LayoutLink[] = [];
  for (const p of positioned.descendants()) {
    const view = p.data.data;
    const childCount = p.data.children?.length ?? 0;
    const folded = childCount > 0 && options.collapsed.has(view.id);
    nodes.push({
      id: view.id,
      x: p.x,
      y: p.y,
      node: view,
      childCount,
      hasHiddenChildren: folded,
      hiddenDescendants: folded ? (descendantCounts.get(view.id) ?? 0) : 0,
      onFinalPath: finalPath.has(view.id),
    });
    if (p.parent) {
      links.push({
        source: p.parent.data.data.id,
        target: view.id,
        x1: p.parent.x,
        y1: p.parent.y,
        x2: p.x,
        y2: p.y,
        visits: view.visits,
        onFinalPath: finalPath.has(view.id),
      });
    }
  }
  return { nodes, links, bounds: computeBounds(nodes), unreachable: tree.nodes.length - reachable.length };
}

/**
 * The nodes connected to the root, in breadth-first order. Live data can briefly hold a child whose parent has not
 * arrived, and `stratify` throws on a missing parent, a second root or a cycle; such nodes are left out instead.
 * The root is the parentless node with the lowest seq; duplicate ids keep their first occurrence.
 */
export function selectReachableNodes(nodes: readonly TreeNodeView[]): TreeNodeView[] {
  const byId = new Map<string, TreeNodeView>();
  const childrenOf = new Map<string, TreeNodeView[]>();
  let root: TreeNodeView | null = null;
  for (const node of nodes) {
    if (byId.has(node.id)) continue;
    byId.set(node.id, node);
    if (node.parentId === null) {
      if (root === null || node.seq < root.seq) root = node;
    } else {
      const siblings = childrenOf.get(node.parentId);
      if (siblings) siblings.push(node);
      else childrenOf.set(node.parentId, [node]);
    }
  }
  if (root === null) return [];
  const out: TreeNodeView[] = [root];
  const seen = new Set<string>([root.id]);
  for (let i = 0; i < out.length; i++) {
    for (const child of childrenOf.get(out[i]!.id) ?? []) {
      if (seen.has(child.id)) continue;
      seen.add(child.id);
      out.push(child);
    }
  }
  return out;
}

/** The full hierarchy with children ordered by seq (then id), so a node keeps its slot as the tree grows. */
function stratifyBySeq(nodes: readonly TreeNodeView[]): HierarchyNode<TreeNodeView> {
  return stratify<TreeNodeView>()
    .id((n) => n.id)
    .parentId((n) => n.parentId)(nodes as TreeNodeView[])
    .sort((a, b) => a.data.seq - b.data.seq || compareIds(a.data.id, b.data.id));
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Descendants per node (itself excluded), in one bottom-up pass. */
function countDescendants(root: HierarchyNode<TreeNodeView>): Map<string, number> {
  const counts = new Map<string, number>();
  root.eachAfter((n) => {
    let total = 0;
    for (const child of n.children ?? []) total += 1 + (counts.get(child.data.id) ?? 0);
    counts.set(n.data.id, total);
  });
  return counts;
}

/** The final answer and its ancestors; empty when there is no final answer or it is not in the tree. */
function collectFinalPath(finalNodeId: string | null, root: HierarchyNode<TreeNodeView>): Set<string> {
  const path = new Set<string>();
  if (finalNodeId === null) return path;
  const final = root.find((n) => n.data.id === finalNodeId);
  for (let n = final; n; n = n.parent ?? undefined) path.add(n.data.id);
  return path;
}

function computeBounds(nodes: readonly LayoutNode[]): LayoutBounds {
  if (nodes.length === 0) return EMPTY_BOUNDS;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const { x, y } of nodes) {
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return { minX, minY, maxX, maxY };
}
