// The SFT and DPO record rules on an in-memory tree, each case built so that exactly one rule decides it (issue 18:
// the duplicate-path filter, `--success hidden` with unjudged terminals, the DPO margin's "at least" and majority
// ties all survived mutation). formats.test.ts covers the same generators end to end through the database.
import { describe, expect, it } from "vitest";
import { parseExperimentConfig } from "../../server/contracts/index.ts";
import { dpoRecords, type Judgement } from "../../server/exports/dpo.ts";
import { parseExportOptions } from "../../server/exports/export-options.ts";
import type { ExportExperiment, ExportNode, ExportTree } from "../../server/exports/export-tree.ts";
import { sftRecords } from "../../server/exports/sft.ts";
import { prmRecords, type PrmPairRecord, type PrmRecord } from "../../server/exports/prm.ts";
import { pairKeyOf } from "../../server/annotation/index.ts";
import { getReasoningMode } from "../../server/reasoning/index.ts";

const config = parseExperimentConfig({ dataset: "toy", mode: "vanilla", llm: { baseUrl: "http://127.0.0.1:1/v1", model: "m" } });
const EXPERIMENT: ExportExperiment = { id: "exp", name: "rules", datasetName: "toy", model: "m", mode: "vanilla", lineageId: null, iteration: null, config };

type NodeSpec = Partial<ExportNode> & Pick<ExportNode, "id" | "parentId">;

function node(spec: NodeSpec): ExportNode {
  return { depth: 1, seq: Number(spec.id.replace(/\D/g, "")) || 0, actionKind: "step", stepText: `step ${spec.id}`, code: null, visits: 0, valueSum: 0, prmScore: null, isTerminal: false, reward: null, ...spec };
}

function tree(nodes: ExportNode[], hiddenPasses: Record<string, boolean> = {}): ExportTree {
  const mode = getReasoningMode("vanilla");
  const children = new Map<string, ExportNode[]>();
  for (const n of nodes) if (n.parentId !== null) children.set(n.parentId, [...(children.get(n.parentId) ?? []), n]);
  return {
    id: "tree",
    problem: { id: "p", externalId: "1", ordinal: 1 },
    finalNodeId: null,
    nodes,
    byId: new Map(nodes.map((n) => [n.id, n])),
    children,
    mode,
    rootPrompt: mode.buildRootPrompt({ statement: "Add two numbers.", entryPoint: "add", signature: null, visibleTests: ["assert add(1, 2) == 3"] }),
    hiddenPasses: new Map(Object.entries(hiddenPasses)),
  };
}

const ROOT = node({ id: "r0", parentId: null, depth: 0, seq: 0, actionKind: "root", stepText: "" });
const terminal = (id: string, stepText: string, reward: number | null, code: string | null = "def add(a, b):\n    return a + b\n") =>
  node({ id, parentId: "r0", stepText, code, isTerminal: true, reward, visits: 1, valueSum: reward ?? 0 });

describe("SFT", () => {
  const sft = (t: ExportTree, success?: "visible" | "hidden") => [...sftRecords(EXPERIMENT, t, parseExportOptions({ experiment: "exp", format: "sft", ...(success ? { success } : {}) }))];

  it("two terminals with the same path text give one record (the first)", () => {
    const records = sft(tree([ROOT, terminal("t1", "same", 1), terminal("t2", "same", 1), terminal("t3", "other", 1)]));
    expect(records.map((r) => r.provenance.terminalNodeId)).toEqual(["t1", "t3"]);
  });

  it("visible success needs reward 1 and code", () => {
    const records = sft(tree([ROOT, terminal("t1", "a", 1), terminal("t2", "b", 0.99), terminal("t3", "c", 1, null), terminal("t4", "d", null)]));
    expect(records.map((r) => r.provenance.terminalNodeId)).toEqual(["t1"]);
  });

  it("`--success hidden` takes only terminals judged passing: unjudged and failing ones give no record", () => {
    const nodes = [ROOT, terminal("t1", "a", 0), terminal("t2", "b", 1), terminal("t3", "c", 1), terminal("t4", "d", 1, null)];
    const records = sft(tree(nodes, { t1: true, t3: false, t4: true }), "hidden");
    expect(records.map((r) => [r.provenance.terminalNodeId, r.provenance.success, r.provenance.hiddenPasses, r.provenance.reward])).toEqual([["t1", "hidden", true, 0]]);
  });

  it("states hiddenPasses null for an unjudged terminal under visible success", () => {
    const [record] = sft(tree([ROOT, terminal("t1", "a", 1)]));
    expect(record!.provenance).toMatchObject({ terminalNodeId: "t1", hiddenPasses: null, success: "visible", nodeIds: ["r0", "t1"], isFinalAnswer: false });
  });

  it("marks the tree's final answer, and the completion is the path's assistant text", () => {
    const t = { ...tree([ROOT, terminal("t1", "a", 1), terminal("t2", "b", 1)], { t2: false }), finalNodeId: "t2" };
    const records = sft(t);
    expect(records.map((r) => [r.provenance.terminalNodeId, r.provenance.isFinalAnswer, r.provenance.hiddenPasses])).toEqual([["t1", false, null], ["t2", true, false]]);
    expect(records.map((r) => r.completion)).toEqual([expect.stringContaining("a"), expect.stringContaining("b")]);
    expect(records[0]!.completion).not.toEqual(records[1]!.completion);
  });
});

describe("DPO", () => {
  const options = (params: Record<string, unknown>) => parseExportOptions({ experiment: "exp", format: "dpo", ...params });
  const valued = (id: string, value: number) => node({ id, parentId: "r0", visits: 2, valueSum: 2 * value });
  const pairs = (t: ExportTree, judgements: Judgement[], params: Record<string, unknown>) =>
    [...dpoRecords(EXPERIMENT, t, judgements, options(params))].map((r) => [r.provenance.source, r.provenance.chosenNodeId, r.provenance.rejectedNodeId]);

  it("a search pair needs a value gap of at least the margin (a gap equal to it counts)", () => {
    // Values chosen so the gaps are exact in binary: 0.75 − 0.5 = 0.25.
    const t = tree([ROOT, valued("a1", 0.75), valued("b2", 0.5), valued("c3", 0.625)]);
    expect(pairs(t, [], { source: "search", margin: 0.25 })).toEqual([["search", "a1", "b2"]]);
    expect(pairs(t, [], { source: "search", margin: 0.125 })).toEqual([["search", "a1", "b2"], ["search", "a1", "c3"], ["search", "c3", "b2"]]);
    expect(pairs(t, [], { source: "search", margin: 0.5 })).toEqual([]);
  });

  it("equal values never make a pair, even at margin 0; an unvisited non-terminal has no value", () => {
    const t = tree([ROOT, valued("a1", 0.5), valued("b2", 0.5), node({ id: "c3", parentId: "r0" }), node({ id: "d4", parentId: "r0", isTerminal: true, reward: 0.25 })]);
    expect(pairs(t, [], { source: "search", margin: 0 })).toEqual([["search", "a1", "d4"], ["search", "b2", "d4"]]);
  });

  const judgement = (id: string, chosen: string, rejected: string, annotator: string, verdict: Judgement["verdict"] = "PREFER"): Judgement => ({
    id, chosenNodeId: chosen, rejectedNodeId: rejected, verdict, pairKey: pairKeyOf(chosen, rejected), annotator, note: null,
  });
  const humanTree = tree([ROOT, valued("a1", 0.5), valued("b2", 0.5)]);

  it("majority: a 1–1 split gives no record; 2–1 gives the majority's record with its annotators", () => {
    expect(pairs(humanTree, [judgement("j1", "a1", "b2", "x"), judgement("j2", "b2", "a1", "y")], { source: "human", combine: "majority" })).toEqual([]);
    const records = [...dpoRecords(EXPERIMENT, humanTree, [judgement("j1", "a1", "b2", "x"), judgement("j2", "b2", "a1", "y"), judgement("j3", "a1", "b2", "z")], options({ source: "human", combine: "majority" }))];
    expect(records.map((r) => [r.provenance.chosenNodeId, r.provenance.annotators, r.provenance.judgementIds])).toEqual([["a1", ["x", "z"], ["j1", "j3"]]]);
  });

  it("majority counts ties and both-bad verdicts among the judgements: 1 prefer of 2 is not more than half", () => {
    expect(pairs(humanTree, [judgement("j1", "a1", "b2", "x"), judgement("j2", "a1", "b2", "y", "TIE")], { source: "human", combine: "majority" })).toEqual([]);
    expect(pairs(humanTree, [judgement("j1", "a1", "b2", "x"), judgement("j2", "a1", "b2", "y"), judgement("j3", "a1", "b2", "z", "BOTH_BAD")], { source: "human", combine: "majority" })).toEqual([["human", "a1", "b2"]]);
  });

  it("each: one record per PREFER judgement in either direction; ties and both-bad give none", () => {
    const judgements = [judgement("j1", "a1", "b2", "x"), judgement("j2", "b2", "a1", "y"), judgement("j3", "a1", "b2", "z", "TIE"), judgement("j4", "a1", "b2", "w", "BOTH_BAD")];
    expect(pairs(humanTree, judgements, { source: "human", combine: "each" })).toEqual([["human", "a1", "b2"], ["human", "b2", "a1"]]);
  });

  it("a judgement of two steps that are not siblings gives no record", () => {
    const t = tree([ROOT, valued("a1", 0.5), node({ id: "b2", parentId: "a1", depth: 2, visits: 1, valueSum: 0 })]);
    expect(pairs(t, [judgement("j1", "a1", "b2", "x")], { source: "human", combine: "each" })).toEqual([]);
    expect(pairs(t, [judgement("j1", "a1", "b2", "x"), judgement("j2", "a1", "b2", "y")], { source: "human", combine: "majority" })).toEqual([]);
    // Nor does one naming a node this tree does not hold.
    expect(pairs(t, [judgement("j1", "a1", "zz", "x")], { source: "human", combine: "each" })).toEqual([]);
  });

  it("source search ignores the human judgements it is given", () => {
    expect(pairs(humanTree, [judgement("j1", "a1", "b2", "x")], { source: "search", margin: 0 })).toEqual([]);
  });

  it("carries the pair's provenance: parent, annotators, judgement ids, notes and both values", () => {
    const t = tree([ROOT, valued("a1", 0.75), node({ id: "b2", parentId: "r0", isTerminal: true, reward: 0.25 })]);
    const judgements = [{ ...judgement("j1", "a1", "b2", "x"), note: "clearer" }, judgement("j2", "a1", "b2", "y")];
    const [human] = [...dpoRecords(EXPERIMENT, t, judgements, options({ source: "human", combine: "majority" }))];
    expect(human!.provenance).toMatchObject({
      kind: "dpo", source: "human", parentNodeId: "r0", chosenNodeId: "a1", rejectedNodeId: "b2",
      annotators: ["x", "y"], judgementIds: ["j1", "j2"], notes: ["clearer"], chosenValue: 0.75, rejectedValue: 0.25,
      experimentId: "exp", treeId: "tree", problemId: "p",
    });
    const [search] = [...dpoRecords(EXPERIMENT, t, [], options({ source: "search" }))];
    expect(search!.provenance).toMatchObject({ source: "search", annotators: [], judgementIds: [], notes: [], chosenValue: 0.75, rejectedValue: 0.25 });
    // Chosen and rejected are the two steps' generated texts after the same request prompt.
    expect([search!.chosen, search!.rejected]).toEqual([`step a1${t.mode.stepFormat.stop[0] ?? ""}`, `step b2${t.mode.stepFormat.stop[0] ?? ""}`]);
  });

  it("both: a pair a human judged (whatever the verdict) is not also a search pair", () => {
    const t = tree([ROOT, valued("a1", 1), valued("b2", 0), valued("c3", 0.5)]);
    expect(pairs(t, [judgement("j1", "a1", "b2", "x", "TIE")], { source: "both", margin: 0.5 })).toEqual([["search", "a1", "c3"], ["search", "c3", "b2"]]);
  });

  it("a search pair whose second sibling wins carries no human provenance either", () => {
    const t = tree([ROOT, valued("a1", 0.25), valued("b2", 0.75)]);
    const records = [...dpoRecords(EXPERIMENT, t, [], options({ source: "search" }))];
    expect(records.map((r) => r.provenance)).toEqual([expect.objectContaining({ chosenNodeId: "b2", rejectedNodeId: "a1", annotators: [], judgementIds: [], notes: [] })]);
  });

  it("a step pair's prompt is the request that produced the siblings: every step above them, however deep", () => {
    const t = tree([
      ROOT,
      node({ id: "s1", parentId: "r0", stepText: "first step" }),
      node({ id: "s2", parentId: "s1", depth: 2, stepText: "second step" }),
      node({ id: "x3", parentId: "s2", depth: 3, visits: 1, valueSum: 1 }),
      node({ id: "y4", parentId: "s2", depth: 3, visits: 1, valueSum: 0 }),
    ]);
    const [record] = [...dpoRecords(EXPERIMENT, t, [], options({ source: "search" }))];
    expect(record!.provenance).toMatchObject({ parentNodeId: "s2", chosenNodeId: "x3", rejectedNodeId: "y4" });
    expect(record!.prompt).toEqual(expect.stringContaining("first step"));
    expect(record!.prompt).toEqual(expect.stringContaining("second step"));
    expect(record!.prompt).not.toEqual(expect.stringContaining("step x3"));
  });

  it("path pairs: distinct passing paths (reward 1 and code) against distinct failing ones, from the root, whatever the node order", () => {
    // The root is not the first node; t3 repeats t2's path text; t4 has reward 1 but no code, so it fails.
    const nodes = [terminal("t1", "pass", 1), ROOT, terminal("t2", "fail", 0), terminal("t3", "fail", 0), terminal("t4", "no code", 1, null)];
    const records = [...dpoRecords(EXPERIMENT, tree(nodes), [], options({ pairs: "path" }))];
    expect(records.map((r) => r.provenance)).toEqual([
      expect.objectContaining({ pairs: "path", source: "search", parentNodeId: "r0", chosenNodeId: "t1", rejectedNodeId: "t2", annotators: [], judgementIds: [], notes: [], chosenValue: 1, rejectedValue: 0 }),
      expect.objectContaining({ pairs: "path", source: "search", parentNodeId: "r0", chosenNodeId: "t1", rejectedNodeId: "t4", annotators: [], judgementIds: [], notes: [], chosenValue: 1, rejectedValue: 1 }),
    ]);
  });

  it("path pairs of a tree with no nodes yet: no record", () => {
    expect([...dpoRecords(EXPERIMENT, tree([]), [], options({ pairs: "path" }))]).toEqual([]);
  });
});

describe("PRM", () => {
  const prm = (t: ExportTree, params: Record<string, unknown> = {}) => [...prmRecords(EXPERIMENT, t, parseExportOptions({ experiment: "exp", format: "prm", ...params }))];
  const pairsOf = (t: ExportTree, params: Record<string, unknown>) =>
    (prm(t, { pairwise: true, ...params }) as PrmPairRecord[]).map((r) => [r.provenance.chosenNodeId, r.provenance.rejectedNodeId, r.provenance.chosenLabel, r.provenance.rejectedLabel]);

  it("a path that repeats one already exported (identical sibling copies) gives no second record", () => {
    const records = prm(tree([ROOT, terminal("t1", "same", 1), terminal("t2", "same", 1)])) as PrmRecord[];
    expect(records.map((r) => [r.provenance.terminalNodeId, r.provenance.nodeIds, r.labels, r.provenance.completionsBelow])).toEqual([["t1", ["r0", "t1"], [true], [2]]]);
  });

  // a1 has a passing and a failing completion below it (visit-weighted 0.5); b2 fails; c3 was never expanded (no label)
  // and comes first, so it is the first of its pairs.
  const labelled = () =>
    tree([
      ROOT,
      node({ id: "c3", parentId: "r0" }),
      node({ id: "a1", parentId: "r0", visits: 2, valueSum: 1, prmScore: 0.25 }),
      node({ id: "b2", parentId: "r0", isTerminal: true, reward: 0, visits: 1, valueSum: 0, prmScore: 0.75 }),
      node({ id: "p4", parentId: "a1", depth: 2, stepText: "p", code: "x", isTerminal: true, reward: 1, visits: 1, valueSum: 1 }),
      node({ id: "f5", parentId: "a1", depth: 2, stepText: "f", code: "x", isTerminal: true, reward: 0, visits: 1, valueSum: 0 }),
    ]);

  it("pairwise visit-weighted: the labels are the shares, a gap equal to the margin counts, an unlabelled sibling pairs with none", () => {
    expect(pairsOf(labelled(), { labels: "visit-weighted", margin: 0.5 })).toEqual([["a1", "b2", 0.5, 0], ["p4", "f5", 1, 0]]);
    expect(pairsOf(labelled(), { labels: "visit-weighted", margin: 0.75 })).toEqual([["p4", "f5", 1, 0]]);
  });

  it("pairwise hard: 1 and 0; the unexpanded sibling has no label, so it is in no pair", () => {
    expect(pairsOf(labelled(), { labels: "hard" })).toEqual([["a1", "b2", 1, 0], ["p4", "f5", 1, 0]]);
  });

  it("pairwise sampled: the stored PRM scores decide, not the rollouts", () => {
    expect(pairsOf(labelled(), { labels: "sampled", margin: 0 })).toEqual([["b2", "a1", 0.75, 0.25]]);
  });
});

