// Pure layout of a search tree: (tree, collapsed) → positioned nodes and links. No DOM, no React, so it is unit-tested
// and the renderer (SVG or canvas) only draws what this returns.
//
// The layout is leaf-ordered: a depth-first walk (children by seq) gives each shown leaf the next slot along x, one
// node width from a sibling and 1.4 from a cousin, and puts each parent midway over its first and last child. A node
// appended under any parent only pushes the leaves after it rightwards, so every node keeps its left-to-right place as
// the tree grows, and that is also what makes live growth cheap: `LiveTreeLayout` keeps the tree as typed arrays and,
// for nodes appended to a laid-out tree, places each new leaf between its neighbours in the leaf order, shifts what
// lies right of it by one constant and re-centres its ancestors, instead of laying out all 100,000 nodes again.
// Positions are kept in integer slot units (5 from a sibling, 7 from a cousin), so parents sit on halves, quarters…
// and the incremental result equals the full layout's exactly.
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
  /** Where the parent is in `TreeLayout.nodes`; -1 for the root. */
  parentIndex: number;
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
  /** The root first, then the other laid-out nodes in the order they arrived (seq order for server data). */
  nodes: LayoutNode[];
  /** One per laid-out node but the root, in the nodes' order: links[k] ends at nodes[k + 1]. */
  links: LayoutLink[];
  bounds: LayoutBounds;
  /** Nodes in the tree that are not reachable from the root (parent not arrived yet, or a second root). */
  unreachable: number;
  /** The laid-out nodes by id. */
  byId: ReadonlyMap<string, LayoutNode>;
}

/** The whole layout of one tree, from scratch. */
export function layoutTree(tree: TreeView, options: LayoutOptions): TreeLayout {
  return new LiveTreeLayout({ nodeSize: options.nodeSize }).update(tree, options.collapsed);
}

/** Sibling leaves one slot apart, cousins a little further (×1.4), so sibling groups read as groups without wasting width. */
const SIBLING_SLOTS = 5;
const COUSIN_SLOTS = 7;

/** Past this many new nodes in one update, one full layout is cheaper than shifting the tree once per node. */
const MAX_INCREMENTAL_APPENDS = 64;

export type LayoutUpdateKind = "full" | "incremental" | "unchanged";

/**
 * The layout of a growing tree. `update` takes each new version of the tree (a new `TreeView` whose `nodes` extend
 * the previous array: appended nodes, and existing nodes replaced by copies with new statistics, as live progress
 * events make them) and returns its layout. When the tree grew only by appends to laid-out parents, with the same
 * `treeId`, collapsed set (by identity) and final answer, it updates the previous layout in place of redoing it;
 * anything else (a node waiting for its parent, a repeated id, a new root, a changed fold) lays out from scratch.
 *
 * The returned layout's `LayoutNode` and `LayoutLink` objects are reused by the next update (positions rewritten),
 * so only the latest layout is current; each update returns new `nodes`/`links` arrays and a new `TreeLayout`.
 */
export class LiveTreeLayout {
  private readonly dx: number;
  private readonly dy: number;
  private readonly maxIncrementalAppends: number;
  private state: LayoutState | null = null;
  private last: { tree: TreeView; collapsed: ReadonlySet<string>; layout: TreeLayout } | null = null;
  /** What the last update did (tests check that the incremental path really ran). */
  lastUpdate: LayoutUpdateKind = "full";

  constructor(options: { nodeSize?: readonly [number, number]; maxIncrementalAppends?: number } = {}) {
    [this.dx, this.dy] = options.nodeSize ?? DEFAULT_NODE_SIZE;
    this.maxIncrementalAppends = options.maxIncrementalAppends ?? MAX_INCREMENTAL_APPENDS;
  }

  update(tree: TreeView, collapsed: ReadonlySet<string>): TreeLayout {
    const last = this.last;
    if (last && last.tree === tree && last.collapsed === collapsed) {
      this.lastUpdate = "unchanged";
      return last.layout;
    }
    let layout: TreeLayout | null = null;
    if (last && this.state && last.collapsed === collapsed && last.tree.treeId === tree.treeId && last.tree.finalNodeId === tree.finalNodeId) {
      layout = this.state.extend(tree.nodes, this.maxIncrementalAppends);
    }
    if (layout) this.lastUpdate = "incremental";
    else {
      this.state = LayoutState.build(tree, collapsed, this.dx, this.dy);
      layout = this.state.output();
      this.lastUpdate = "full";
    }
    this.last = { tree, collapsed, layout };
    return layout;
  }
}

/**
 * The tree as growable typed arrays over node indexes (first occurrence of each id, in input order), the leaf order
 * as a linked list, x in slot units, and the output objects per laid-out node.
 */
class LayoutState {
  /** The input array this state describes, and how many distinct nodes it holds. */
  private input: readonly TreeNodeView[] = [];
  private n = 0;
  private capacity = 0;
  private readonly views: TreeNodeView[] = [];
  private readonly position = new Map<string, number>();
  private root = -1;
  /** Input entries the root does not reach (duplicates included), as the layout reports them. */
  private unreachable = 0;
  private duplicates = false;
  private finalIndex = -1;
  private parent = new Int32Array(0);
  private firstChild = new Int32Array(0);
  private lastChild = new Int32Array(0);
  private nextSibling = new Int32Array(0);
  private prevSibling = new Int32Array(0);
  private childCount = new Int32Array(0);
  /** Descendants in the full tree (what a fold hides). */
  private size = new Int32Array(0);
  private depth = new Int32Array(0);
  /** 1 when the root reaches the node; 2 when it is also laid out (no folded ancestor). */
  private reach = new Uint8Array(0);
  private collapsedFlag = new Uint8Array(0);
  private x = new Float64Array(0);
  private prevLeaf = new Int32Array(0);
  private nextLeaf = new Int32Array(0);
  /** Ancestors of the node being inserted carry the current stamp. */
  private stamp = new Int32Array(0);
  private stampNow = 0;
  /** Where each laid-out node is in the output's `nodes`. */
  private positionInOutput = new Int32Array(0);
  private readonly outNodes: LayoutNode[] = [];
  private readonly outLinks: LayoutLink[] = [];
  /** Output node per index (undefined when not laid out), and its link (undefined for the root). */
  private readonly nodeOf: (LayoutNode | undefined)[] = [];
  private readonly linkOf: (LayoutLink | undefined)[] = [];
  private readonly byId = new Map<string, LayoutNode>();

  private constructor(
    private readonly tree: TreeView,
    private readonly collapsed: ReadonlySet<string>,
    private readonly dx: number,
    private readonly dy: number,
  ) {}

  static build(tree: TreeView, collapsed: ReadonlySet<string>, dx: number, dy: number): LayoutState {
    const state = new LayoutState(tree, collapsed, dx, dy);
    state.buildFrom(tree.nodes);
    return state;
  }

  // ---- full build ---------------------------------------------------------------------------------------------

  /**
   * Live data can briefly hold a child whose parent has not arrived, a second root, a cycle or a repeated id: the
   * root is the parentless node with the lowest seq, repeated ids keep their first occurrence, and whatever the root
   * does not reach is left out (and counted as unreachable). Every child of a reachable node is reachable (a node
   * has one parent), so the walks below never meet an unreachable child.
   */
  private buildFrom(input: readonly TreeNodeView[]) {
    this.input = input;
    for (const node of input) {
      if (this.position.has(node.id)) {
        this.duplicates = true;
        continue;
      }
      this.position.set(node.id, this.views.length);
      if (node.parentId === null && (this.root === -1 || node.seq < this.views[this.root]!.seq)) this.root = this.views.length;
      this.views.push(node);
    }
    const n = (this.n = this.views.length);
    this.grow(n);
    if (this.root === -1) {
      this.unreachable = input.length;
      return;
    }
    this.linkChildren();
    const reached = this.markReachable();
    this.unreachable = input.length - reached;
    for (const id of this.collapsed) {
      const i = this.position.get(id);
      if (i !== undefined) this.collapsedFlag[i] = 1;
    }
    this.placeAll();
    const finalId = this.tree.finalNodeId;
    const final = finalId === null ? undefined : this.position.get(finalId);
    this.finalIndex = final !== undefined && this.reach[final] ? final : -1;
    this.materialize();
  }

  /** Children lists sorted by seq, then id (a node keeps its slot as the tree grows). */
  private linkChildren() {
    const n = this.n;
    const { views, parent, position } = this;
    const count = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) {
      const parentId = views[i]!.parentId;
      const p = parentId === null ? undefined : position.get(parentId);
      parent[i] = p !== undefined && p !== i ? p : -1;
      if (parent[i]! >= 0) count[parent[i]! + 1]!++;
    }
    for (let i = 0; i < n; i++) count[i + 1]! += count[i]!;
    const fill = count.slice(0, n);
    const children = new Int32Array(count[n]!);
    for (let i = 0; i < n; i++) if (parent[i]! >= 0) children[fill[parent[i]!]!++] = i;
    for (let p = 0; p < n; p++) {
      const from = count[p]!;
      const to = count[p + 1]!;
      if (from === to) continue;
      sortChildren(views, children, from, to);
      this.childCount[p] = to - from;
      this.firstChild[p] = children[from]!;
      this.lastChild[p] = children[to - 1]!;
      for (let c = from; c < to; c++) {
        this.prevSibling[children[c]!] = c > from ? children[c - 1]! : -1;
        this.nextSibling[children[c]!] = c + 1 < to ? children[c + 1]! : -1;
      }
    }
  }

  /** Depth and reachability breadth first from the root; subtree sizes bottom up. Returns how many are reached. */
  private markReachable(): number {
    const order = new Int32Array(this.n);
    let end = 0;
    order[end++] = this.root;
    this.reach[this.root] = 1;
    for (let k = 0; k < end; k++) {
      const i = order[k]!;
      for (let c = this.firstChild[i]!; c >= 0; c = this.nextSibling[c]!) {
        if (this.reach[c]) continue; // a cycle through the root's own subtree cannot happen, but be safe
        this.reach[c] = 1;
        this.depth[c] = this.depth[i]! + 1;
        order[end++] = c;
      }
    }
    for (let k = end - 1; k > 0; k--) {
      const i = order[k]!;
      this.size[this.parent[i]!]! += 1 + this.size[i]!;
    }
    return end;
  }

  private isLayoutLeaf(i: number): boolean {
    return this.firstChild[i]! < 0 || this.collapsedFlag[i] === 1;
  }

  private gap(a: number, b: number): number {
    return this.parent[a] === this.parent[b] ? SIBLING_SLOTS : COUSIN_SLOTS;
  }

  /** x by a depth-first walk over the shown tree (explicit stack: trees can be thousands deep), and the leaf list. */
  private placeAll() {
    const { x, firstChild, lastChild, nextSibling } = this;
    const stack: number[] = [this.root];
    const expanded = new Uint8Array(this.n);
    let previousLeaf = -1;
    this.reach[this.root] = 2;
    while (stack.length > 0) {
      const i = stack[stack.length - 1]!;
      if (this.isLayoutLeaf(i)) {
        stack.pop();
        x[i] = previousLeaf < 0 ? 0 : x[previousLeaf]! + this.gap(previousLeaf, i);
        this.prevLeaf[i] = previousLeaf;
        this.nextLeaf[i] = -1;
        if (previousLeaf >= 0) this.nextLeaf[previousLeaf] = i;
        previousLeaf = i;
        continue;
      }
      if (!expanded[i]) {
        expanded[i] = 1;
        const from = stack.length;
        for (let c = firstChild[i]!; c >= 0; c = nextSibling[c]!) {
          this.reach[c] = 2;
          stack.push(c);
        }
        reverseTail(stack, from);
        continue;
      }
      stack.pop();
      x[i] = (x[firstChild[i]!]! + x[lastChild[i]!]!) / 2;
    }
  }

  // ---- incremental growth ---------------------------------------------------------------------------------------

  /**
   * The layout of `nodes`, which must extend the input this state was built from (same nodes, or copies with the
   * same id, parent and seq, at the same places, then new ones). Null when it does not, or when the growth is not a
   * plain append to laid-out parents: the caller then lays out from scratch.
   */
  extend(nodes: readonly TreeNodeView[], maxAppends: number): TreeLayout | null {
    const previous = this.input;
    const before = previous.length;
    if (this.root < 0 || this.duplicates || this.unreachable > 0 || nodes.length < before || nodes.length - before > maxAppends) return null;
    const changed: number[] = [];
    for (let i = 0; i < before; i++) {
      const next = nodes[i]!;
      const old = previous[i]!;
      if (next === old) continue;
      if (next.id !== old.id || next.parentId !== old.parentId || next.seq !== old.seq) return null;
      changed.push(i);
    }
    // Every new node must hang under a node already reached (or one before it in this batch), and be new itself.
    const seen = new Set<string>();
    for (let j = before; j < nodes.length; j++) {
      const node = nodes[j]!;
      if (node.parentId === null || this.position.has(node.id) || seen.has(node.id)) return null;
      if (!this.position.has(node.parentId) && !seen.has(node.parentId)) return null;
      seen.add(node.id);
    }
    const finalId = this.tree.finalNodeId;
    if (finalId !== null && this.finalIndex < 0 && seen.has(finalId)) return null;
    this.input = nodes;
    for (const i of changed) this.views[i] = nodes[i]!;
    this.grow(nodes.length);
    for (let j = before; j < nodes.length; j++) this.insert(nodes[j]!);
    this.materialize();
    return this.output();
  }

  /** Adds one node under a reached parent: indexes it, and when it is laid out, places it and moves what it pushes. */
  private insert(view: TreeNodeView) {
    const i = this.n++;
    const p = this.position.get(view.parentId!)!;
    this.position.set(view.id, i);
    this.views.push(view);
    this.parent[i] = p;
    this.depth[i] = this.depth[p]! + 1;
    this.reach[i] = this.reach[p] === 2 && !this.collapsedFlag[p] ? 2 : 1;
    this.collapsedFlag[i] = this.collapsed.has(view.id) ? 1 : 0;
    this.firstChild[i] = this.lastChild[i] = -1;
    this.linkSibling(i, p);
    for (let a = p; a >= 0; a = this.parent[a]!) this.size[a]!++;
    if (this.reach[i] === 2) this.place(i, p);
  }

  /** Puts i among p's children by (seq, id), walking back from the last child (new nodes nearly always go last). */
  private linkSibling(i: number, p: number) {
    let before = this.lastChild[p]!;
    while (before >= 0 && compareNodes(this.views[before]!, this.views[i]!) > 0) before = this.prevSibling[before]!;
    const after = before >= 0 ? this.nextSibling[before]! : this.firstChild[p]!;
    this.prevSibling[i] = before;
    this.nextSibling[i] = after;
    if (before >= 0) this.nextSibling[before] = i;
    else this.firstChild[p] = i;
    if (after >= 0) this.prevSibling[after] = i;
    else this.lastChild[p] = i;
    this.childCount[p]!++;
  }

  /**
   * The new leaf i takes its slot between leaves A and B of the leaf order; B and every laid-out node right of it
   * (all with x ≥ B's old x, since a node lies between its first and last leaf) move by one delta, and i's ancestors,
   * the only nodes that span the slot, are re-centred bottom up.
   */
  private place(i: number, p: number) {
    const { x, prevLeaf, nextLeaf } = this;
    let a: number;
    let b: number;
    const before = this.prevSibling[i]!;
    const after = this.nextSibling[i]!;
    if (before >= 0) {
      a = this.lastLeafOf(before);
      b = nextLeaf[a]!;
    } else if (after >= 0) {
      b = this.firstLeafOf(after);
      a = prevLeaf[b]!;
    } else {
      // p was a leaf: i takes its place in the leaf order.
      a = prevLeaf[p]!;
      b = nextLeaf[p]!;
    }
    prevLeaf[i] = a;
    nextLeaf[i] = b;
    if (a >= 0) nextLeaf[a] = i;
    if (b >= 0) prevLeaf[b] = i;
    x[i] = a < 0 ? 0 : x[a]! + this.gap(a, i);
    const stamp = ++this.stampNow;
    for (let q = p; q >= 0; q = this.parent[q]!) this.stamp[q] = stamp;
    if (b >= 0) {
      const threshold = x[b]!;
      const delta = x[i]! + this.gap(i, b) - threshold;
      if (delta !== 0) {
        const { reach } = this;
        const marks = this.stamp;
        for (let j = 0; j < this.n; j++) {
          if (reach[j] === 2 && j !== i && marks[j] !== stamp && x[j]! >= threshold) x[j]! += delta;
        }
      }
    }
    for (let q = p; q >= 0; q = this.parent[q]!) x[q] = (x[this.firstChild[q]!]! + x[this.lastChild[q]!]!) / 2;
  }

  private firstLeafOf(i: number): number {
    while (!this.isLayoutLeaf(i)) i = this.firstChild[i]!;
    return i;
  }

  private lastLeafOf(i: number): number {
    while (!this.isLayoutLeaf(i)) i = this.lastChild[i]!;
    return i;
  }

  // ---- output -------------------------------------------------------------------------------------------------------

  /**
   * Output objects for laid-out nodes that have none yet (the root first, then in index order), and every laid-out
   * node's current position, counts and statistics: one linear pass of plain writes.
   */
  private materialize() {
    const finalPath = this.finalPathStamp();
    if (this.outNodes.length === 0 && this.root >= 0) this.createOutput(this.root, finalPath);
    for (let i = 0; i < this.n; i++) if (this.reach[i] === 2 && this.nodeOf[i] === undefined) this.createOutput(i, finalPath);
    const unit = this.dx / SIBLING_SLOTS;
    const shift = this.root >= 0 ? this.x[this.root]! : 0;
    for (let i = 0; i < this.n; i++) {
      const node = this.nodeOf[i];
      if (node === undefined) continue;
      const view = this.views[i]!;
      const folded = this.collapsedFlag[i] === 1 && this.childCount[i]! > 0;
      node.x = (this.x[i]! - shift) * unit;
      node.node = view;
      node.childCount = this.childCount[i]!;
      node.hasHiddenChildren = folded;
      node.hiddenDescendants = folded ? this.size[i]! : 0;
    }
    // Links once every node's x is final (a parent can come after its child in index order).
    for (let i = 0; i < this.n; i++) {
      const link = this.linkOf[i];
      if (link === undefined) continue;
      const p = this.parent[i]!;
      const node = this.nodeOf[i]!;
      node.parentIndex = this.positionInOutput[p]!;
      link.x1 = this.nodeOf[p]!.x;
      link.x2 = node.x;
      link.visits = node.node.visits;
    }
  }

  private createOutput(i: number, finalPath: Uint8Array) {
    const view = this.views[i]!;
    const y = this.depth[i]! * this.dy;
    const onFinalPath = finalPath[i] === 1;
    const node: LayoutNode = { id: view.id, x: 0, y, node: view, parentIndex: -1, childCount: 0, hasHiddenChildren: false, hiddenDescendants: 0, onFinalPath };
    this.nodeOf[i] = node;
    this.byId.set(view.id, node);
    this.positionInOutput[i] = this.outNodes.length;
    this.outNodes.push(node);
    if (i === this.root) return;
    const p = this.parent[i]!;
    const link: LayoutLink = { source: this.views[p]!.id, target: view.id, x1: 0, y1: y - this.dy, x2: 0, y2: y, visits: view.visits, onFinalPath };
    this.linkOf[i] = link;
    this.outLinks.push(link);
  }

  /** 1 for the final answer and its ancestors. */
  private finalPathStamp(): Uint8Array {
    const path = new Uint8Array(this.n);
    for (let i = this.finalIndex; i >= 0; i = this.parent[i]!) path[i] = 1;
    return path;
  }

  output(): TreeLayout {
    const nodes = this.outNodes.slice();
    return { nodes, links: this.outLinks.slice(), bounds: computeBounds(nodes), unreachable: this.unreachable, byId: this.byId };
  }

  /** Room for `count` nodes in every array (doubling, so appends cost amortised O(1)). */
  private grow(count: number) {
    if (count <= this.capacity) return;
    const capacity = Math.max(count, this.capacity * 2, 1024);
    const ints = (old: Int32Array, fill: number) => {
      const next = new Int32Array(capacity).fill(fill);
      next.set(old);
      return next;
    };
    this.parent = ints(this.parent, -1);
    this.firstChild = ints(this.firstChild, -1);
    this.lastChild = ints(this.lastChild, -1);
    this.nextSibling = ints(this.nextSibling, -1);
    this.prevSibling = ints(this.prevSibling, -1);
    this.childCount = ints(this.childCount, 0);
    this.size = ints(this.size, 0);
    this.depth = ints(this.depth, 0);
    this.prevLeaf = ints(this.prevLeaf, -1);
    this.nextLeaf = ints(this.nextLeaf, -1);
    this.stamp = ints(this.stamp, 0);
    this.positionInOutput = ints(this.positionInOutput, -1);
    const bytes = (old: Uint8Array) => {
      const next = new Uint8Array(capacity);
      next.set(old);
      return next;
    };
    this.reach = bytes(this.reach);
    this.collapsedFlag = bytes(this.collapsedFlag);
    const x = new Float64Array(capacity);
    x.set(this.x);
    this.x = x;
    this.capacity = capacity;
  }
}

/** Reverses stack[from..] in place: children are pushed first to last, and the walk must pop the first child first. */
function reverseTail(stack: number[], from: number) {
  for (let l = from, r = stack.length - 1; l < r; l++, r--) {
    const t = stack[l]!;
    stack[l] = stack[r]!;
    stack[r] = t;
  }
}

/** Children by seq, then id, so a node keeps its slot as the tree grows. Input from the server is already in seq order. */
function sortChildren(nodes: readonly TreeNodeView[], children: Int32Array, from: number, to: number) {
  let sorted = true;
  for (let c = from + 1; c < to && sorted; c++) sorted = compareNodes(nodes[children[c - 1]!]!, nodes[children[c]!]!) <= 0;
  if (sorted) return;
  const part = Array.from(children.subarray(from, to)).sort((a, b) => compareNodes(nodes[a]!, nodes[b]!));
  children.set(part, from);
}

function compareNodes(a: TreeNodeView, b: TreeNodeView): number {
  return a.seq - b.seq || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The nodes connected to the root, in breadth-first order (see LayoutState for what is left out).
 */
export function selectReachableNodes(nodes: readonly TreeNodeView[]): TreeNodeView[] {
  const layout = layoutTree({ treeId: "", finalNodeId: null, nodes: [...nodes] }, { collapsed: new Set() });
  const order: TreeNodeView[] = [];
  if (layout.nodes.length === 0) return order;
  const children = new Map<number, number[]>();
  layout.nodes.forEach((n, k) => {
    if (n.parentIndex < 0) return;
    const list = children.get(n.parentIndex);
    if (list) list.push(k);
    else children.set(n.parentIndex, [k]);
  });
  const queue = [0];
  for (let q = 0; q < queue.length; q++) {
    order.push(layout.nodes[queue[q]!]!.node);
    for (const c of (children.get(queue[q]!) ?? []).sort((a, b) => compareNodes(layout.nodes[a]!.node, layout.nodes[b]!.node))) queue.push(c);
  }
  return order;
}

const EMPTY_BOUNDS: LayoutBounds = { minX: 0, minY: 0, maxX: 0, maxY: 0 };

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
