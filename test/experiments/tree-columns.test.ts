// The explorer's columnar tree payload, built by PostgreSQL: decoded, it gives exactly the nodes as stored (seq order,
// parents, kinds, nulls), for an empty tree too. Pass counts are checked on a real run in test/api/experiments-router.
import { expect, it } from "vitest";
import { decodeTreeColumns } from "../../server/contracts/index.ts";
import { getTreeView } from "../../server/experiments/index.ts";
import { uniqueName, useTestPrisma } from "../helpers/db.ts";

const prisma = useTestPrisma();

async function createTree() {
  const dataset = await prisma.dataset.create({ data: { name: uniqueName("cols"), format: "jsonl" } });
  const experiment = await prisma.experiment.create({
    data: { name: uniqueName("cols-exp"), datasetId: dataset.id, config: { dataset: dataset.name, mode: "pseudocode", llm: { baseUrl: "http://x/v1", model: "m" } }, mode: "pseudocode", model: "m", llmBaseUrl: "http://x", seed: 1, status: "COMPLETED" },
  });
  const problem = await prisma.problem.create({ data: { datasetId: dataset.id, externalId: "p1", ordinal: 1, statement: "s", contentHash: uniqueName("h") } });
  return prisma.searchTree.create({ data: { experimentId: experiment.id, problemId: problem.id, status: "DONE" } });
}

it("round-trips every explorer field of every node, in seq order", async () => {
  const tree = await createTree();
  const spec = [
    { seq: 0, parent: null, kind: "root", visits: 9, valueSum: 4.25, terminal: false, reward: null, prm: null },
    { seq: 2, parent: 0, kind: "refine", visits: 3, valueSum: 0, terminal: false, reward: null, prm: 0.125 },
    { seq: 1, parent: 0, kind: "structure", visits: 5, valueSum: 3.5, terminal: false, reward: null, prm: 0.75 },
    { seq: 3, parent: 1, kind: "code", visits: 1, valueSum: 1, terminal: true, reward: 1, prm: -2.5 },
    { seq: 4, parent: 3, kind: "code", visits: 0, valueSum: 0, terminal: true, reward: 0, prm: null },
  ];
  const id = (seq: number) => `${tree.id}:${seq}`;
  for (const n of spec) {
    await prisma.treeNode.create({
      data: { id: id(n.seq), treeId: tree.id, parentId: n.parent === null ? null : id(n.parent), seq: n.seq, depth: n.parent === null ? 0 : 1, stepIndex: 0, actionKind: n.kind, stepText: `step ${n.seq}`, visits: n.visits, valueSum: n.valueSum, isTerminal: n.terminal, reward: n.reward, prmScore: n.prm },
    });
  }
  const view = await getTreeView(prisma, tree.id);
  const nodes = decodeTreeColumns(view.columns);
  const stored = await prisma.treeNode.findMany({ where: { treeId: tree.id }, orderBy: { seq: "asc" } });
  expect(nodes).toEqual(
    stored.map((n) => ({ id: n.id, parentId: n.parentId, seq: n.seq, depth: n.depth, actionKind: n.actionKind, visits: n.visits, valueSum: n.valueSum, isTerminal: n.isTerminal, reward: n.reward, prmScore: n.prmScore, visible: null, hidden: null })),
  );
  expect(nodes.map((n) => n.seq)).toEqual([0, 1, 2, 3, 4]);
  const payload = JSON.parse(view.columns);
  expect(payload.idPrefix).toBe(`${tree.id}:`);
  // Engine-style ids ("<treeId>:<seq>") and seq equal to the index are rebuilt, columns without a value are one null.
  expect([payload.id, payload.seq, payload.visiblePassed, payload.hiddenTotal, payload.count]).toEqual([null, null, null, null, 5]);
  expect(payload.prm).toEqual([null, 0.75, 0.125, -2.5, null]);

  // One id without the tree's prefix: every id then travels in full.
  await prisma.treeNode.create({
    data: { id: `other-${tree.id}`, treeId: tree.id, parentId: id(2), seq: 5, depth: 2, stepIndex: 0, actionKind: "refine", stepText: "s", visits: 0, valueSum: 0, isTerminal: false },
  });
  const mixed = await getTreeView(prisma, tree.id);
  expect(JSON.parse(mixed.columns).idPrefix).toBe("");
  expect(decodeTreeColumns(mixed.columns).map((n) => [n.id, n.parentId])).toEqual([...nodes.map((n) => [n.id, n.parentId]), [`other-${tree.id}`, id(2)]]);

  // A gap in seq: seq then travels as a column.
  await prisma.treeNode.create({
    data: { id: id(7), treeId: tree.id, parentId: `other-${tree.id}`, seq: 7, depth: 3, stepIndex: 0, actionKind: "code", stepText: "s", visits: 1, valueSum: 0.1, isTerminal: true, reward: 0.5 },
  });
  const gapped = await getTreeView(prisma, tree.id);
  expect(JSON.parse(gapped.columns).seq).toEqual([0, 1, 2, 3, 4, 5, 7]);
  expect(decodeTreeColumns(gapped.columns).slice(5).map((n) => [n.id, n.parentId, n.seq, n.valueSum, n.reward])).toEqual([
    [`other-${tree.id}`, id(2), 5, 0, null],
    [id(7), `other-${tree.id}`, 7, 0.1, 0.5],
  ]);
});

it("is empty for a tree without nodes, and names a damaged column", async () => {
  const tree = await createTree();
  expect(decodeTreeColumns((await getTreeView(prisma, tree.id)).columns)).toEqual([]);
  expect(() => decodeTreeColumns(JSON.stringify({ id: ["a"], parent: [-1] }))).toThrow('"count"');
  expect(() => decodeTreeColumns(JSON.stringify({ count: 1, id: ["a"], parent: [-1] }))).toThrow('column "depth"');
  const columns = (seq: number[], extra = {}) => ({ count: 2, idPrefix: "", id: ["a", "b"], parent: [-1, 0], seq, depth: [0, 1], kind: [0, 0], kinds: ["root"], visits: [1, 1], valueSum: [0, 0], terminal: [0, 0], reward: [null, null], prm: null, visiblePassed: null, visibleTotal: null, hiddenPassed: null, hiddenTotal: null, ...extra });
  expect(decodeTreeColumns(JSON.stringify(columns([0, 1])))).toHaveLength(2);
  expect(() => decodeTreeColumns(JSON.stringify(columns([1, 0])))).toThrow("out of seq order");
  expect(() => decodeTreeColumns(JSON.stringify(columns([0, 1], { prm: [0.5] })))).toThrow('column "prm" is neither null nor 2 long');
  expect(() => decodeTreeColumns(JSON.stringify(columns([0, 1], { reward: undefined })))).toThrow('column "reward"');
});
