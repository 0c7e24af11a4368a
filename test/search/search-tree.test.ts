import { describe, expect, it } from "vitest";
import { SearchTree } from "../../server/search/search-tree.ts";
import { makeNode } from "../fixtures/search-nodes.ts";

/** root ─┬─ 1 ── 3
 *        └─ 2                (given out of order, as a database may return them) */
const NODES = [
  makeNode({ seq: 3, parentId: "1", depth: 2, stepText: "1.a", stepIndex: 0 }),
  makeNode({ seq: 0 }),
  makeNode({ seq: 2, stepText: "b", stepIndex: 1 }),
  makeNode({ seq: 1, stepText: "a", stepIndex: 0 }),
];

const step = { actionKind: "code", stepText: "new", code: null, prior: null, prmScore: null, isTerminal: false, reward: null, promptTokens: 0, completionTokens: 0 };

describe("SearchTree.fromNodes", () => {
  it("rebuilds the tree from persisted nodes in any order and continues numbering after the last seq", () => {
    const tree = SearchTree.fromNodes(NODES);
    expect(tree.nodes().map((n) => n.seq)).toEqual([0, 1, 2, 3]);
    expect(tree.childrenOf("0").map((n) => n.id)).toEqual(["1", "2"]);
    expect(tree.childrenOf("1").map((n) => n.id)).toEqual(["3"]);
    expect(tree.childrenOf("3")).toEqual([]);
    expect(tree.pathTo("3").map((n) => n.id)).toEqual(["0", "1", "3"]);
    const added = tree.addChild(tree.get("1"), step);
    expect(added).toMatchObject({ id: "4", seq: 4, parentId: "1", depth: 2, stepIndex: 1, copies: 1, visits: 0, valueSum: 0 });
    expect(tree.childrenOf("1").map((n) => n.id)).toEqual(["3", "4"]);
    expect(tree.nodes().map((n) => n.seq)).toEqual([0, 1, 2, 3, 4]);
  });

  it("builds every node with its fields in one order (one hidden class in V8), whatever order its source had", () => {
    const reordered = NODES.map((n) => Object.fromEntries(Object.entries(n).reverse()) as typeof n);
    const tree = SearchTree.fromNodes(reordered);
    tree.addChild(tree.get("2"), step);
    const rootOrder = Object.keys(SearchTree.create().root);
    for (const node of [...tree.nodes(), ...tree.snapshot()]) expect(Object.keys(node)).toEqual(rootOrder);
  });

  it("holds copies: the caller's nodes are not changed by the search", () => {
    const nodes = NODES.map((n) => ({ ...n }));
    SearchTree.fromNodes(nodes).get("1").visits = 5;
    expect(nodes.find((n) => n.id === "1")?.visits).toBe(0);
  });

  const rejects = (nodes: ReturnType<typeof makeNode>[], message: string) => expect(() => SearchTree.fromNodes(nodes)).toThrow(message);
  const root = makeNode({ seq: 0 });

  it("needs a root with parentId null, seq 0 and depth 0 first", () => {
    const message = "search state nodes: needs a root (parentId null, seq 0, depth 0) as its first node";
    rejects([], message);
    rejects([{ ...root, parentId: "9" }], message);
    rejects([{ ...root, seq: 1, id: "1" }], message);
    rejects([{ ...root, depth: 1 }], message);
    expect(SearchTree.fromNodes([root]).nodes()).toEqual([root]);
  });

  it("rejects a duplicate seq, a duplicate id and a second root, naming the node", () => {
    rejects([root, makeNode({ seq: 1 }), makeNode({ seq: 1, id: "1b" })], "search state node seq 1: duplicate seq");
    rejects([root, makeNode({ seq: 1 }), makeNode({ seq: 2, id: "1" })], 'search state node seq 2: duplicate id "1"');
    rejects([root, makeNode({ seq: 1, id: "0" })], 'search state node seq 1: duplicate id "0"');
    rejects([root, makeNode({ seq: 1, parentId: null, depth: 0 })], "search state node seq 1: a second root");
  });

  it("rejects a parent that is missing or created after its child, and a depth that does not follow the parent's", () => {
    rejects([root, makeNode({ seq: 1, parentId: "2", depth: 2 }), makeNode({ seq: 2 })], 'search state node seq 1: parent "2" is missing or created later');
    rejects([root, makeNode({ seq: 1, depth: 2 })], "search state node seq 1: depth 2 under a parent at 0");
    rejects([root, makeNode({ seq: 1, depth: 0 })], "search state node seq 1: depth 0 under a parent at 0");
  });
});

describe("SearchTree lookups", () => {
  it("names a node it does not hold, and has no children for it", () => {
    const tree = SearchTree.create();
    expect(() => tree.get("7")).toThrow('no node "7" in this tree');
    expect(tree.childrenOf("7")).toEqual([]);
  });

  it("numbers new children in creation order, counting each parent's children for stepIndex", () => {
    const tree = SearchTree.create();
    const a = tree.addChild(tree.root, step);
    const b = tree.addChild(tree.root, { ...step, copies: 3 });
    const a1 = tree.addChild(a, step);
    expect([a, b, a1].map((n) => [n.id, n.depth, n.stepIndex, n.copies])).toEqual([
      ["1", 1, 0, 1],
      ["2", 1, 1, 3],
      ["3", 2, 0, 1],
    ]);
    const snapshot = tree.snapshot();
    snapshot[1]!.visits = 9;
    expect(tree.get("1").visits).toBe(0);
  });
});
