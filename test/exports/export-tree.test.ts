// What every export reads from the database (server/exports/export-tree.ts): the experiment's trees in problem order,
// only finished ones when asked, page after page; each tree's nodes in creation order with every field a record uses;
// the root prompt's visible tests in the search's order; and the hidden verdicts. Issue 18: the queries' `where`,
// `orderBy` and `select` survived mutation, because the hand-built experiments stored everything in the expected order.
import { describe, expect, it } from "vitest";
import { loadExportExperiment, loadExportTree, readExportTrees, type ExportTree } from "../../server/exports/export-tree.ts";
import { useTestPrisma } from "../helpers/db.ts";
import { createHandExperiment, HAND_TREE } from "./hand-built-experiment.ts";

describe("reading an experiment for export", () => {
  const prisma = useTestPrisma();

  const readAll = async (experimentId: string, options = { onlyDone: false, hidden: false }) => {
    const experiment = await loadExportExperiment(prisma, experimentId);
    const trees: ExportTree[] = [];
    for await (const tree of readExportTrees(prisma, experiment, options)) trees.push(tree);
    return trees;
  };

  it("gives the trees in problem order, not creation order, and only finished ones when asked", async () => {
    const hand = await createHandExperiment(prisma, { problems: 3 });
    // The first problem created becomes the last in the dataset's order.
    await prisma.problem.update({ where: { id: hand.problemIds[0]! }, data: { ordinal: 9 } });
    expect((await readAll(hand.experimentId)).map((t) => [t.id, t.problem.ordinal])).toEqual([[hand.treeIds[1], 2], [hand.treeIds[2], 3], [hand.treeIds[0], 9]]);
    await prisma.searchTree.update({ where: { id: hand.treeIds[2]! }, data: { status: "RUNNING" } });
    expect((await readAll(hand.experimentId, { onlyDone: true, hidden: false })).map((t) => t.id)).toEqual([hand.treeIds[1], hand.treeIds[0]]);
    expect((await readAll(hand.experimentId)).map((t) => t.id)).toEqual([hand.treeIds[1], hand.treeIds[2], hand.treeIds[0]]);
  });

  it("reads past the first page of trees", async () => {
    const nodes = HAND_TREE.filter((n) => n.seq <= 3);
    const hand = await createHandExperiment(prisma, { problems: 51, nodes });
    expect((await readAll(hand.experimentId)).map((t) => t.id)).toEqual(hand.treeIds);
  });

  it("loads a tree's nodes in creation order with every field, and the visible tests in the search's order", async () => {
    // Nodes stored last-first, so only the query's order gives creation order.
    const hand = await createHandExperiment(prisma, { nodes: [...HAND_TREE].reverse() });
    const problemId = hand.problemIds[0]!;
    await prisma.testCase.create({ data: { problemId, ordinal: -1, origin: "DATASET_VISIBLE", kind: "ASSERT", input: "assert add(5, 5) == 10" } });
    await prisma.treeNode.update({ where: { id: hand.node(0, 4) }, data: { code: null, prmScore: 0.25 } });
    const experiment = await loadExportExperiment(prisma, hand.experimentId);
    const tree = (await loadExportTree(prisma, experiment, hand.treeIds[0]!, false))!;
    expect(tree.nodes.map((n) => n.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(tree.byId.get(hand.node(0, 4))).toEqual({
      id: hand.node(0, 4),
      parentId: hand.node(0, 1),
      depth: 2,
      seq: 4,
      actionKind: "code",
      stepText: HAND_TREE[4]!.text,
      code: null,
      visits: 1,
      valueSum: 0.5,
      prmScore: 0.25,
      isTerminal: true,
      reward: 0.5,
    });
    expect(tree.children.get(hand.node(0, 0))!.map((n) => n.seq)).toEqual([1, 2, 7]);
    const prompt = JSON.stringify(tree.rootPrompt);
    const at = (input: string) => prompt.indexOf(input.replaceAll('"', '\\"'));
    const positions = ["assert add(5, 5) == 10", "assert add(1, 2) == 3", "assert add(0, 0) == 0"].map(at);
    expect(positions.every((i) => i >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(at("assert add(-1, 1) == 0")).toBe(-1);
    expect(tree.problem).toEqual({ id: problemId, externalId: "add-1", ordinal: 1 });
    expect(experiment.datasetName).toMatch(/^export-ds/);
  });

  it("a tree that is not there is null", async () => {
    const hand = await createHandExperiment(prisma);
    expect(await loadExportTree(prisma, await loadExportExperiment(prisma, hand.experimentId), "no-such-tree", true)).toBeNull();
  });

  it("a terminal passes the hidden tests only when it ran at least one and passed every base test", async () => {
    const hand = await createHandExperiment(prisma);
    const visible = await prisma.testCase.findFirstOrThrow({ where: { problemId: hand.problemIds[0]!, origin: "DATASET_VISIBLE" } });
    // Node 6 ran only a visible test, and passed it: no hidden verdict says it passes.
    await prisma.execution.deleteMany({ where: { nodeId: hand.node(0, 6) } });
    await prisma.execution.create({ data: { nodeId: hand.node(0, 6), testCaseId: visible.id, status: "PASS", durationMs: 1 } });
    const tree = (await loadExportTree(prisma, await loadExportExperiment(prisma, hand.experimentId), hand.treeIds[0]!, true))!;
    expect(Object.fromEntries([...tree.hiddenPasses].map(([id, passes]) => [id.split(":")[1], passes]))).toEqual({ "3": true, "4": false, "5": false, "6": false });
  });

  it("a search on dataset and generated tests saw the dataset's visible tests first, then the generated ones", async () => {
    const hand = await createHandExperiment(prisma);
    const problemId = hand.problemIds[0]!;
    const { datasetId } = await prisma.problem.findUniqueOrThrow({ where: { id: problemId } });
    const run = await prisma.tcgRun.create({ data: { datasetId, status: "COMPLETED", model: "tcg-model", llmBaseUrl: "http://127.0.0.1:9/v1", config: {} } });
    // Generated cases with lower ordinals than the dataset's: only the order by origin puts them last.
    await prisma.testCase.createMany({
      data: ["assert add(7, 1) == 8", "assert add(7, 2) == 9"].map((input, i) => ({
        problemId, ordinal: i - 2, origin: "GENERATED" as const, kind: "ASSERT" as const, input, validation: "VALID" as const, tcgRunId: run.id,
      })),
    });
    const row = await prisma.experiment.findUniqueOrThrow({ where: { id: hand.experimentId } });
    await prisma.experiment.update({ where: { id: hand.experimentId }, data: { config: { ...(row.config as object), testSource: "both", tcgRun: run.id } } });
    const experiment = await loadExportExperiment(prisma, hand.experimentId);
    const prompt = JSON.stringify((await loadExportTree(prisma, experiment, hand.treeIds[0]!, false))!.rootPrompt);
    const positions = ["assert add(1, 2) == 3", "assert add(0, 0) == 0", "assert add(7, 1) == 8", "assert add(7, 2) == 9"].map((input) => prompt.indexOf(input));
    expect(positions.every((i) => i >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });
});

