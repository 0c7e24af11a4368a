import { describe, expect, it } from "vitest";
import { DEFAULT_NODE_SIZE, LiveTreeLayout, layoutTree, selectReachableNodes, type TreeLayout } from "../../components/tree/layout.ts";
import type { TreeNodeView, TreeView } from "../../components/tree/types.ts";
import { syntheticTree, treeFrom } from "./tree-fixtures.ts";

const NONE = new Set<string>();
const [DX, DY] = DEFAULT_NODE_SIZE;

//        r
//     /  |  \
//    a   b   c
//   / \      |
//  a1 a2     c1
//  |
// a1x
const SAMPLE = ["r", "a:r", "b:r", "c:r", "a1:a", "a2:a", "c1:c", "a1x:a1"];

function positions(layout: TreeLayout): Map<string, { x: number; y: number }> {
  return new Map(layout.nodes.map((n) => [n.id, { x: n.x, y: n.y }]));
}

function ids(layout: TreeLayout): string[] {
  return layout.nodes.map((n) => n.id).sort();
}

describe("layoutTree", () => {
  it("puts the root at the origin, depth along y, and orders siblings by seq along x", () => {
    const layout = layoutTree(treeFrom(SAMPLE), { collapsed: NONE });
    const at = positions(layout);
    expect(at.get("r")).toEqual({ x: 0, y: 0 });
    expect(at.get("a")!.y).toBe(DY);
    expect(at.get("a1x")!.y).toBe(3 * DY);
    expect(at.get("a")!.x).toBeLessThan(at.get("b")!.x);
    expect(at.get("b")!.x).toBeLessThan(at.get("c")!.x);
    expect(at.get("a1")!.x).toBeLessThan(at.get("a2")!.x);
    expect(layout.nodes).toHaveLength(SAMPLE.length);
    expect(layout.links).toHaveLength(SAMPLE.length - 1);
  });

  it("orders children by seq, not by their position in the input", () => {
    const tree = treeFrom(SAMPLE);
    const reversed: TreeView = { ...tree, nodes: [...tree.nodes].reverse() };
    expect(positions(layoutTree(reversed, { collapsed: NONE }))).toEqual(positions(layoutTree(tree, { collapsed: NONE })));
  });

  it("depends only on the tree, not on the input's order or object identity", () => {
    const tree = syntheticTree(500);
    // A deep copy with the nodes in another order: a layout that read the input order (or kept state between calls)
    // would place them differently.
    const copy: TreeView = structuredClone({ ...tree, nodes: [...tree.nodes].sort((a, b) => b.id.localeCompare(a.id)) });
    const layout = layoutTree(tree, { collapsed: new Set(["n4"]) });
    expect(layout.nodes.length).toBeGreaterThan(100);
    expect(positions(layoutTree(copy, { collapsed: new Set(["n4"]) }))).toEqual(positions(layout));
  });

  it("draws links from parent to child with the child's visits", () => {
    const tree = treeFrom(SAMPLE);
    tree.nodes[4] = { ...tree.nodes[4]!, visits: 7 }; // a1
    const layout = layoutTree(tree, { collapsed: NONE });
    const at = positions(layout);
    const link = layout.links.find((l) => l.target === "a1")!;
    expect(link.source).toBe("a");
    expect(link.visits).toBe(7);
    expect([link.x1, link.y1, link.x2, link.y2]).toEqual([at.get("a")!.x, at.get("a")!.y, at.get("a1")!.x, at.get("a1")!.y]);
  });

  it("counts children in the full tree, folded or not", () => {
    const layout = layoutTree(treeFrom(SAMPLE), { collapsed: new Set(["a"]) });
    const byId = new Map(layout.nodes.map((n) => [n.id, n]));
    expect(byId.get("r")!.childCount).toBe(3);
    expect(byId.get("a")!.childCount).toBe(2);
    expect(byId.get("b")!.childCount).toBe(0);
  });

  it("respects a custom node size", () => {
    const layout = layoutTree(treeFrom(["r", "a:r", "b:r"]), { collapsed: NONE, nodeSize: [10, 50] });
    const at = positions(layout);
    expect(at.get("a")!.y).toBe(50);
    expect(at.get("b")!.x - at.get("a")!.x).toBe(10);
  });
});

describe("layoutTree: collapsing", () => {
  it("hides a collapsed node's descendants and their links, but keeps the node", () => {
    const layout = layoutTree(treeFrom(SAMPLE), { collapsed: new Set(["a"]) });
    expect(ids(layout)).toEqual(["b", "c", "c1", "r", "a"].sort());
    expect(layout.links.map((l) => l.target).sort()).toEqual(["a", "b", "c", "c1"]);
    const a = layout.nodes.find((n) => n.id === "a")!;
    expect(a.hasHiddenChildren).toBe(true);
    expect(a.hiddenDescendants).toBe(3); // a1, a2, a1x
  });

  it("marks only folded nodes with children as having hidden children", () => {
    const layout = layoutTree(treeFrom(SAMPLE), { collapsed: new Set(["b", "c"]) });
    const byId = new Map(layout.nodes.map((n) => [n.id, n]));
    expect(byId.get("b")!.hasHiddenChildren).toBe(false); // a leaf: nothing to hide
    expect(byId.get("c")!.hasHiddenChildren).toBe(true);
    expect(byId.get("c")!.hiddenDescendants).toBe(1);
    expect(byId.get("a")!.hasHiddenChildren).toBe(false);
    expect(byId.has("c1")).toBe(false);
  });

  it("ignores collapsed ids inside an already folded subtree and unknown ids", () => {
    const layout = layoutTree(treeFrom(SAMPLE), { collapsed: new Set(["a", "a1", "nope"]) });
    expect(ids(layout)).toEqual(["a", "b", "c", "c1", "r"]);
  });

  it("collapsing the root leaves only the root", () => {
    const layout = layoutTree(treeFrom(SAMPLE), { collapsed: new Set(["r"]) });
    expect(ids(layout)).toEqual(["r"]);
    expect(layout.links).toEqual([]);
    expect(layout.nodes[0]!.hiddenDescendants).toBe(SAMPLE.length - 1);
  });
});

describe("layoutTree: final answer path", () => {
  it("flags the final node and its ancestors, and the links between them", () => {
    const layout = layoutTree(treeFrom(SAMPLE, "a1x"), { collapsed: NONE });
    const onPath = layout.nodes.filter((n) => n.onFinalPath).map((n) => n.id).sort();
    expect(onPath).toEqual(["a", "a1", "a1x", "r"]);
    expect(layout.links.filter((l) => l.onFinalPath).map((l) => l.target).sort()).toEqual(["a", "a1", "a1x"]);
  });

  it("flags nothing without a final answer, or with an unknown one", () => {
    for (const finalId of [null, "missing"]) {
      const layout = layoutTree(treeFrom(SAMPLE, finalId), { collapsed: NONE });
      expect(layout.nodes.some((n) => n.onFinalPath)).toBe(false);
      expect(layout.links.some((l) => l.onFinalPath)).toBe(false);
    }
  });

  it("still flags the visible part of the path when the final node is folded away", () => {
    const layout = layoutTree(treeFrom(SAMPLE, "a1x"), { collapsed: new Set(["a"]) });
    expect(layout.nodes.filter((n) => n.onFinalPath).map((n) => n.id).sort()).toEqual(["a", "r"]);
  });
});

describe("layoutTree: bounds", () => {
  it("spans exactly the laid-out nodes", () => {
    const layout = layoutTree(treeFrom(SAMPLE), { collapsed: NONE });
    const xs = layout.nodes.map((n) => n.x);
    const ys = layout.nodes.map((n) => n.y);
    expect(layout.bounds).toEqual({ minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) });
    expect(layout.bounds.minY).toBe(0);
    expect(layout.bounds.maxY).toBe(3 * DY);
    expect(layout.bounds.minX).toBeLessThan(0);
    expect(layout.bounds.maxX).toBeGreaterThan(0);
  });

  it("shrinks when a subtree is collapsed", () => {
    const full = layoutTree(treeFrom(SAMPLE), { collapsed: NONE });
    const folded = layoutTree(treeFrom(SAMPLE), { collapsed: new Set(["a"]) });
    expect(folded.bounds.maxY).toBe(2 * DY);
    expect(folded.bounds.maxX - folded.bounds.minX).toBeLessThan(full.bounds.maxX - full.bounds.minX);
  });

  it("is all zeros for an empty tree", () => {
    const layout = layoutTree({ treeId: "t", finalNodeId: null, nodes: [] }, { collapsed: NONE });
    expect(layout).toEqual({ nodes: [], links: [], bounds: { minX: 0, minY: 0, maxX: 0, maxY: 0 }, unreachable: 0, byId: new Map() });
  });

  it("is a point for a lone root", () => {
    const layout = layoutTree(treeFrom(["r"]), { collapsed: NONE });
    expect(layout.bounds).toEqual({ minX: 0, minY: 0, maxX: 0, maxY: 0 });
    expect(layout.nodes).toHaveLength(1);
  });
});

describe("layoutTree: large trees", () => {
  it("lays out 10,000 nodes without overlaps", () => {
    const tree = syntheticTree(10_000);
    const layout = layoutTree(tree, { collapsed: NONE });
    expect(layout.nodes).toHaveLength(10_000);
    expect(layout.links).toHaveLength(9_999);
    const rows = new Map<number, number[]>();
    for (const n of layout.nodes) {
      const row = rows.get(n.y);
      if (row) row.push(n.x);
      else rows.set(n.y, [n.x]);
    }
    for (const xs of rows.values()) {
      xs.sort((a, b) => a - b);
      for (let i = 1; i < xs.length; i++) expect(xs[i]! - xs[i - 1]!).toBeGreaterThanOrEqual(DX - 1e-6);
    }
  });
});

describe("layoutTree: live growth", () => {
  const full = syntheticTree(600, 3, 8, 7);

  /** Left-to-right order of node ids on each depth row. */
  function rowOrders(layout: TreeLayout): Map<number, string[]> {
    const rows = new Map<number, { id: string; x: number }[]>();
    for (const n of layout.nodes) {
      const row = rows.get(n.y);
      if (row) row.push({ id: n.id, x: n.x });
      else rows.set(n.y, [{ id: n.id, x: n.x }]);
    }
    return new Map([...rows].map(([y, row]) => [y, row.sort((a, b) => a.x - b.x).map((n) => n.id)]));
  }

  it("keeps every existing node's left-to-right place as nodes are appended", () => {
    let previous: Map<number, string[]> | null = null;
    for (let count = 1; count <= full.nodes.length; count += 37) {
      const prefix: TreeView = { ...full, nodes: full.nodes.slice(0, count) };
      const orders = rowOrders(layoutTree(prefix, { collapsed: NONE }));
      if (previous) {
        for (const [y, before] of previous) {
          const known = new Set(before);
          expect((orders.get(y) ?? []).filter((id) => known.has(id))).toEqual(before);
        }
      }
      previous = orders;
    }
  });

  it("does not move nodes when only statistics change", () => {
    const before = layoutTree(full, { collapsed: NONE });
    const updated: TreeView = { ...full, nodes: full.nodes.map((n, i) => (i % 5 === 0 ? { ...n, visits: n.visits + 3, valueSum: n.valueSum + 1 } : n)) };
    const after = layoutTree(updated, { collapsed: NONE });
    expect(positions(after)).toEqual(positions(before));
    expect(after.links.find((l) => l.target === "n5")!.visits).toBe(updated.nodes[5]!.visits);
  });

  it("leaves out nodes whose parent has not arrived, and counts them", () => {
    const tree = treeFrom(SAMPLE);
    const withOrphan: TreeView = { ...tree, nodes: [...tree.nodes, { ...tree.nodes[1]!, id: "orphan", seq: 99, parentId: "later" }] };
    const layout = layoutTree(withOrphan, { collapsed: NONE });
    expect(layout.nodes.map((n) => n.id)).not.toContain("orphan");
    expect(layout.unreachable).toBe(1);
    expect(layout.nodes).toHaveLength(SAMPLE.length);
  });
});

describe("selectReachableNodes", () => {
  it("keeps the first of duplicate ids and the lowest-seq root; drops a cycle off the root", () => {
    const tree = treeFrom(["r", "a:r", "b:a"]);
    const duplicate = { ...tree.nodes[1]!, actionKind: "duplicate" };
    const secondRoot = { ...tree.nodes[0]!, id: "r2", seq: 5 };
    const cycleA = { ...tree.nodes[1]!, id: "x", seq: 6, parentId: "y" };
    const cycleB = { ...tree.nodes[1]!, id: "y", seq: 7, parentId: "x" };
    const reachable = selectReachableNodes([...tree.nodes, duplicate, secondRoot, cycleA, cycleB]);
    expect(reachable.map((n) => n.id)).toEqual(["r", "a", "b"]);
    expect(reachable[1]!.actionKind).toBe("structure");
  });

  it("returns nothing without a root", () => {
    expect(selectReachableNodes(treeFrom(["r", "a:r"]).nodes.slice(1))).toEqual([]);
  });
});

describe("LiveTreeLayout: incremental growth equals a full layout", () => {
  /** Everything a renderer reads, with each node's view by identity (a live update must hand on the new copies). */
  function snapshot(layout: TreeLayout) {
    return {
      nodes: layout.nodes.map(({ node, ...rest }) => ({ ...rest, view: node })),
      links: layout.links.map((l) => ({ ...l })),
      bounds: layout.bounds,
      unreachable: layout.unreachable,
      byId: [...layout.byId.keys()].sort(),
    };
  }

  function random(seed: number) {
    let state = seed >>> 0;
    return () => {
      state = (state * 1664525 + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
  }

  /**
   * A few thousand nodes arriving in batches, as live progress events bring them: a search-like tree whose seqs are
   * shuffled (so a new node often sorts before siblings that arrived earlier), some subtrees folded (also ids that
   * have not arrived yet), a final answer, and statistics of earlier nodes replaced by copies along the way.
   */
  function growth(seed: number) {
    const next = random(seed);
    const base = syntheticTree(3_000, 2 + Math.floor(next() * 3), 14, seed);
    const seqs = base.nodes.map((_, i) => i).sort(() => next() - 0.5);
    seqs[seqs.indexOf(0)] = seqs[0]!;
    seqs[0] = 0; // the root keeps the lowest seq
    const nodes: TreeNodeView[] = base.nodes.map((n, i) => ({ ...n, seq: seqs[i]! }));
    const collapsed = new Set(nodes.filter(() => next() < 0.01).map((n) => n.id));
    return { nodes, collapsed, finalNodeId: nodes[300]!.id, next }; // already there when the live view opens
  }

  for (const seed of [1, 2, 3, 4]) {
    it(`matches layoutTree after every append batch (seed ${seed})`, () => {
      const { nodes, collapsed, finalNodeId, next } = growth(seed);
      const live = new LiveTreeLayout({ maxIncrementalAppends: 400 });
      let count = 500;
      let current: TreeNodeView[] = nodes.slice(0, count);
      live.update({ treeId: "t", finalNodeId, nodes: current }, collapsed);
      expect(live.lastUpdate).toBe("full");
      let batches = 0;
      while (count < nodes.length) {
        const size = Math.min(nodes.length - count, 1 + Math.floor(next() * (batches % 3 === 0 ? 300 : 20)));
        // Statistics of some existing nodes change (new objects, same id, parent and seq).
        current = current.map((n) => (next() < 0.02 ? { ...n, visits: n.visits + 1, valueSum: n.valueSum + 0.5 } : n));
        current = [...current, ...nodes.slice(count, count + size)];
        count += size;
        const tree: TreeView = { treeId: "t", finalNodeId, nodes: current };
        const incremental = live.update(tree, collapsed);
        expect(live.lastUpdate).toBe("incremental");
        expect(snapshot(incremental)).toEqual(snapshot(layoutTree(tree, { collapsed })));
        batches++;
      }
      expect(batches).toBeGreaterThan(10);
      expect(live.update({ treeId: "t", finalNodeId, nodes: current }, collapsed).nodes.length).toBeGreaterThan(2_000);
    });
  }

  it("hands out new arrays each update and returns the same layout for the same input", () => {
    const tree = syntheticTree(300);
    const live = new LiveTreeLayout();
    const first = live.update({ ...tree, nodes: tree.nodes.slice(0, 200) }, NONE);
    const grown = { ...tree, nodes: tree.nodes.slice(0, 210) };
    const second = live.update(grown, NONE);
    expect(live.lastUpdate).toBe("incremental");
    expect(second).not.toBe(first);
    expect(second.nodes).not.toBe(first.nodes);
    expect(first.nodes).toHaveLength(200);
    expect(live.update(grown, NONE)).toBe(second);
    expect(live.lastUpdate).toBe("unchanged");
  });

  it("lays out from scratch when the growth is not a plain append, and still matches", () => {
    const tree = syntheticTree(400);
    const cases: Array<{ name: string; nodes: (start: TreeNodeView[]) => TreeNodeView[]; collapsed?: ReadonlySet<string> }> = [
      { name: "orphan", nodes: (start) => [...start, { ...start[5]!, id: "orphan", seq: 999, parentId: "later" }] },
      { name: "duplicate", nodes: (start) => [...start, { ...start[5]!, visits: 99 }] },
      { name: "second root", nodes: (start) => [...start, { ...start[0]!, id: "r2", seq: 1000 }] },
      { name: "reordered", nodes: (start) => [start[0]!, ...start.slice(1).reverse()] },
      { name: "new fold", nodes: (start) => start, collapsed: new Set(["n1"]) },
      { name: "many appends", nodes: () => tree.nodes },
    ];
    for (const { name, nodes, collapsed = NONE } of cases) {
      const live = new LiveTreeLayout();
      const start = tree.nodes.slice(0, 300);
      live.update({ ...tree, nodes: start }, NONE);
      const next: TreeView = { ...tree, nodes: nodes(start) };
      const layout = live.update(next, collapsed);
      expect(live.lastUpdate, name).toBe("full");
      expect(snapshot(layout), name).toEqual(snapshot(layoutTree(next, { collapsed })));
    }
  });
});
