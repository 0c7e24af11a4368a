// Each export format on a hand-built tree whose labels, values and judgements are known: TRL's field names and types
// (trl-formats.ts cites the docs), the exact texts, hand-computed hard/soft labels, DPO from human judgements without
// ties and both-bad, DPO from search values above the margin, ϕ, and provenance on every record.
import { beforeAll, describe, expect, it } from "vitest";
import { parseExportOptions, QUERY_NAMING } from "../../server/exports/export-options.ts";
import { streamExport } from "../../server/exports/stream-export.ts";
import { getNodeDetail } from "../../server/experiments/tree-view.ts";
import { buildTcgPrompt, renderAssertCase } from "../../server/tcg/tcg-prompt.ts";
import { useTestPrisma } from "../helpers/db.ts";
import { createHandExperiment, HAND_TREE, judge, type HandExperiment } from "./hand-built-experiment.ts";
import { expectPreference, expectPromptCompletion, expectStepwise, expectUniformProvenance } from "./trl-formats.ts";

type Rec = Record<string, unknown> & { provenance: Record<string, unknown> };

const text = (seq: number) => HAND_TREE.find((n) => n.seq === seq)!.text;
const framed = (k: number, seq: number) => `<Step_Begin>\n### Step ${k}:${text(seq)}<Step_End>\n\n`;

describe("exports of a hand-built experiment", () => {
  const prisma = useTestPrisma();
  let hand: HandExperiment;
  let userPrompt: string;

  async function exportAll(params: Record<string, unknown>): Promise<Rec[]> {
    const records: Rec[] = [];
    for await (const record of streamExport(prisma, parseExportOptions({ experiment: hand.experimentId, ...params }))) records.push(record as unknown as Rec);
    expectUniformProvenance(records);
    return records;
  }

  beforeAll(async () => {
    hand = await createHandExperiment(prisma);
    const n = (seq: number) => hand.node(0, seq);
    await judge(prisma, hand.experimentId, n(3), n(4), "PREFER", "ann-a", "cleaner");
    await judge(prisma, hand.experimentId, n(4), n(3), "PREFER", "ann-b");
    await judge(prisma, hand.experimentId, n(3), n(4), "PREFER", "ann-d");
    await judge(prisma, hand.experimentId, n(5), n(6), "TIE", "ann-a");
    await judge(prisma, hand.experimentId, n(1), n(7), "BOTH_BAD", "ann-a");
    const [sft] = await exportAll({ format: "sft" });
    userPrompt = (sft!.prompt as string).replace(/\n\n$/, "");
  });

  describe("SFT", () => {
    it("gives each path whose code passes the visible tests, as prompt/completion with the whole path", async () => {
      const records = await exportAll({ format: "sft" });
      expect(records.map((r) => r.provenance.terminalNodeId)).toEqual([hand.node(0, 3), hand.node(0, 6)]);
      for (const r of records) expectPromptCompletion(r, "standard");
      expect(records[0]!.completion).toBe(framed(1, 1) + framed(2, 3));
      expect(records[1]!.completion).toBe(framed(1, 2) + framed(2, 6));
      expect(records[0]!.prompt).toContain("Problem 1: write add(a, b)");
      expect(records[0]!.prompt).toContain("assert add(1, 2) == 3");
      expect(records[0]!.prompt).not.toContain("assert add(-1, 1) == 0"); // the hidden test
      expect(records[0]!.provenance).toMatchObject({
        kind: "sft",
        experimentId: hand.experimentId,
        problemId: hand.problemIds[0],
        problemExternalId: "add-1",
        treeId: hand.treeIds[0],
        model: "hand-model",
        mode: "pseudocode",
        templateId: "pseudocode@1",
        iteration: null,
        nodeIds: [hand.node(0, 0), hand.node(0, 1), hand.node(0, 3)],
        reward: 1,
        hiddenPasses: true,
        isFinalAnswer: true,
      });
      expect(records[1]!.provenance).toMatchObject({ hiddenPasses: false, isFinalAnswer: false });
    });

    it("with --success hidden keeps only paths whose code passes the hidden tests", async () => {
      const records = await exportAll({ format: "sft", success: "hidden" });
      expect(records.map((r) => r.provenance.terminalNodeId)).toEqual([hand.node(0, 3)]);
    });

    it("conversational: the prompt is the user message, the completion one assistant message", async () => {
      const [record] = await exportAll({ format: "sft", style: "conversational" });
      expectPromptCompletion(record!, "conversational");
      expect(record!.prompt).toEqual([{ role: "user", content: userPrompt }]);
      expect(record!.completion).toEqual([{ role: "assistant", content: framed(1, 1) + framed(2, 3) }]);
    });

    it("carries ϕ: at t = 0 the reference α is 1 and ϕ = R; with a constant α it mixes in the discounted step values", async () => {
      const [plain] = await exportAll({ format: "sft" });
      expect(plain!.provenance).toMatchObject({ phi: 1, phiAlpha: 1, phiT: 0 });
      expect(plain!.provenance.stepRewards).toEqual([2.5 / 3, 1]);
      const [mixed] = await exportAll({ format: "sft", "phi-alpha": "0.25", "phi-gamma": "0.5" });
      // R = 1; r = (2.5/3, 1); (1/m)·Σ γ^j r^j = (0.5·2.5/3 + 0.25·1) / 2
      expect(mixed!.provenance.phi).toBeCloseTo(0.25 + 0.75 * ((0.5 * (2.5 / 3) + 0.25) / 2), 12);
    });
  });

  describe("PRM", () => {
    it("labels each distinct step once, hard labels as booleans: a prefix already labelled moves into the prompt", async () => {
      const records = await exportAll({ format: "prm" });
      for (const r of records) expectStepwise(r, "hard");
      expect(records.map((r) => r.provenance.terminalNodeId)).toEqual([3, 4, 5, 6].map((s) => hand.node(0, s)));
      // Steps 1 and 2 lie on two paths each; each is labelled in the first record that reaches it, and only there.
      expect(records.map((r) => r.completions)).toEqual([
        [framed(1, 1), framed(2, 3)],
        [framed(2, 4)],
        [framed(1, 2), framed(2, 5)],
        [framed(2, 6)],
      ]);
      expect(records.map((r) => r.labels)).toEqual([[true, true], [false], [true, false], [true]]);
      expect(records[1]!.prompt).toBe((records[0]!.prompt as string) + framed(1, 1));
      expect(records[0]!.provenance).toMatchObject({ kind: "prm", completionsBelow: [3, 2], passingBelow: [2, 2], labelKind: "hard", contextSteps: 0 });
      expect(records[1]!.provenance).toMatchObject({ completionsBelow: [1], passingBelow: [0], contextSteps: 1 });
    });

    it("identical sibling copies are one step: labelled once, with the completions of both copies", async () => {
      const copies = await createHandExperiment(prisma, {
        nodes: [
          { seq: 0, parent: null, visits: 3, valueSum: 1, text: "" },
          { seq: 1, parent: 0, visits: 2, valueSum: 1, text: " Action 1: add.\n" },
          { seq: 2, parent: 0, visits: 1, valueSum: 0, text: " Action 1: add.\n" },
          { seq: 3, parent: 1, visits: 2, valueSum: 2, terminal: true, reward: 1, text: HAND_TREE[3]!.text },
          { seq: 4, parent: 2, visits: 1, valueSum: 0, terminal: true, reward: 0, text: HAND_TREE[5]!.text },
        ],
      });
      const records: Rec[] = [];
      for await (const r of streamExport(prisma, parseExportOptions({ experiment: copies.experimentId, format: "prm", labels: "visit-weighted" }))) records.push(r as unknown as Rec);
      expect(records.map((r) => (r.completions as string[]).length)).toEqual([2, 1]);
      expect(records.map((r) => r.labels)).toEqual([[2 / 3, 1], [0]]);
      expect(records[0]!.provenance).toMatchObject({ completionsBelow: [3, 2], passingBelow: [2, 2] });
    });

    it("sampled labels: the Math-Shepherd shares the search stored, only for an experiment run with them", async () => {
      const sampledTree = HAND_TREE.map((n) => (n.parent === null ? n : { ...n, prmScore: (n.seq % 4) / 4 }));
      const sampled = await createHandExperiment(prisma, { nodes: sampledTree, prm: { mode: "rollout", labels: "sampled", samplesPerStep: 4 } });
      const records: Rec[] = [];
      for await (const r of streamExport(prisma, parseExportOptions({ experiment: sampled.experimentId, format: "prm", labels: "sampled" }))) records.push(r as unknown as Rec);
      expect(records.map((r) => r.labels)).toEqual([[0.25, 0.75], [0], [0.5, 0.25], [0.5]]);
      await expect(streamExport(prisma, parseExportOptions({ experiment: hand.experimentId, format: "prm", labels: "sampled" })).next()).rejects.toThrow(/no sampled labels/);
    });

    it("visit-weighted labels are the visit-weighted share of passing completions below each step", async () => {
      const records = await exportAll({ format: "prm", labels: "visit-weighted" });
      for (const r of records) expectStepwise(r, "soft");
      expect(records.map((r) => r.labels)).toEqual([[2 / 3, 1], [0], [1 / 3, 0], [1]]);
      expect(records[0]!.provenance.labelKind).toBe("visit-weighted");
    });

    it("labels by hidden tests when asked", async () => {
      const records = await exportAll({ format: "prm", labels: "visit-weighted", success: "hidden" });
      expect(records.map((r) => r.labels)).toEqual([[2 / 3, 1], [0], [0, 0], [0]]);
    });

    it("pairwise: sibling steps with different labels as preference pairs, better label chosen", async () => {
      const hard = await exportAll({ format: "prm", pairwise: true });
      for (const r of hard) expectPreference(r, "standard");
      // Hard labels: 3 (pass) vs 4 (fail), 6 (pass) vs 5 (fail); 1 and 2 both reach a pass, 7 has no label.
      expect(hard.map((r) => [r.provenance.chosenNodeId, r.provenance.rejectedNodeId])).toEqual([
        [hand.node(0, 3), hand.node(0, 4)],
        [hand.node(0, 6), hand.node(0, 5)],
      ]);
      const soft = await exportAll({ format: "prm", pairwise: true, labels: "visit-weighted", margin: "0.5" });
      // Soft: 1 (2/3) vs 2 (1/3) is under the 0.5 margin; 3 vs 4 and 6 vs 5 differ by 1.
      expect(soft).toHaveLength(2);
      const conversational = await exportAll({ format: "prm", pairwise: true, style: "conversational" });
      for (const r of conversational) expectPreference(r, "conversational");
    });
  });

  describe("DPO", () => {
    it("from humans: one record per PREFER judgement; ties and both-bad give none", async () => {
      const records = await exportAll({ format: "dpo", source: "human" });
      for (const r of records) expectPreference(r, "standard");
      expect(records.map((r) => [r.provenance.annotators, r.provenance.chosenNodeId])).toEqual([
        [["ann-a"], hand.node(0, 3)],
        [["ann-b"], hand.node(0, 4)],
        [["ann-d"], hand.node(0, 3)],
      ]);
      expect(records[0]!.provenance).toMatchObject({ source: "human", notes: ["cleaner"], parentNodeId: hand.node(0, 1), chosenValue: 1, rejectedValue: 0.5 });
      // The prompt is the request that produced both siblings: the path to their parent and the opener of step 2.
      expect(records[0]!.prompt).toBe(`${userPrompt}\n\n${framed(1, 1)}<Step_Begin>\n### Step 2:`);
      expect(records[0]!.chosen).toBe(`${text(3)}<Step_End>`);
      expect(records[0]!.rejected).toBe(`${text(4)}<Step_End>`);
    });

    it("from humans by majority: a pair counts when one direction has more than half of its judgements", async () => {
      const records = await exportAll({ format: "dpo", source: "human", combine: "majority" });
      expect(records).toHaveLength(1);
      expect(records[0]!.provenance).toMatchObject({ chosenNodeId: hand.node(0, 3), rejectedNodeId: hand.node(0, 4), annotators: ["ann-a", "ann-d"] });
    });

    it("from search values: sibling pairs whose value gap reaches the margin, higher value chosen", async () => {
      const pairsAt = async (margin: string) =>
        (await exportAll({ format: "dpo", source: "search", margin })).map((r) => [r.provenance.chosenNodeId, r.provenance.rejectedNodeId]);
      // Values: 1 → 2.5/3, 2 → 0, 7 → none; 3 → 1, 4 → 0.5; 5 → 0, 6 → 1 (unvisited terminal: its reward).
      expect(await pairsAt("0.2")).toEqual([
        [hand.node(0, 1), hand.node(0, 2)],
        [hand.node(0, 3), hand.node(0, 4)],
        [hand.node(0, 6), hand.node(0, 5)],
      ]);
      expect(await pairsAt("0.6")).toEqual([
        [hand.node(0, 1), hand.node(0, 2)],
        [hand.node(0, 6), hand.node(0, 5)],
      ]);
    });

    it("both: human records plus the search pairs no human judged (a tie set aside by a human stays out)", async () => {
      const records = await exportAll({ format: "dpo" });
      expect(records.map((r) => r.provenance.source)).toEqual(["human", "human", "human", "search"]);
      expect(records[3]!.provenance).toMatchObject({ chosenNodeId: hand.node(0, 1), rejectedNodeId: hand.node(0, 2), annotators: [] });
    });

    it("never pairs two steps whose texts are identical, whatever their values or a human said", async () => {
      const copies = await createHandExperiment(prisma, {
        nodes: [
          { seq: 0, parent: null, visits: 3, valueSum: 1, text: "" },
          { seq: 1, parent: 0, visits: 2, valueSum: 2, text: " Action 1: add.\n" },
          { seq: 2, parent: 0, visits: 1, valueSum: 0, text: " Action 1: add.\n" },
          { seq: 3, parent: 1, visits: 2, valueSum: 2, terminal: true, reward: 1, text: HAND_TREE[3]!.text },
          { seq: 4, parent: 2, visits: 1, valueSum: 0, terminal: true, reward: 0, text: HAND_TREE[5]!.text },
        ],
      });
      await judge(prisma, copies.experimentId, copies.node(0, 1), copies.node(0, 2), "PREFER", "ann-a");
      const records: Rec[] = [];
      for await (const r of streamExport(prisma, parseExportOptions({ experiment: copies.experimentId, format: "dpo", margin: "0" }))) records.push(r as unknown as Rec);
      expect(records).toEqual([]);
    });

    it("whole-path pairs: every passing complete path against every failing one, from the root prompt", async () => {
      const records = await exportAll({ format: "dpo", pairs: "path" });
      for (const r of records) expectPreference(r, "standard");
      // Passing (reward 1): terminals 3 and 6; failing: 4 and 5.
      expect(records.map((r) => [r.provenance.chosenNodeId, r.provenance.rejectedNodeId])).toEqual([
        [hand.node(0, 3), hand.node(0, 4)],
        [hand.node(0, 3), hand.node(0, 5)],
        [hand.node(0, 6), hand.node(0, 4)],
        [hand.node(0, 6), hand.node(0, 5)],
      ]);
      expect(records[0]!.prompt).toBe(`${userPrompt}\n\n`);
      expect(records[0]!.chosen).toBe(framed(1, 1) + framed(2, 3));
      expect(records[0]!.rejected).toBe(framed(1, 1) + framed(2, 4));
      expect(records[0]!.provenance).toMatchObject({ kind: "dpo", pairs: "path", source: "search", chosenValue: 1, rejectedValue: 0.5 });
      expect(() => parseExportOptions({ experiment: "e", format: "dpo", pairs: "path", source: "human" })).toThrow(/--source: .*path pairs/);
    });

    it("conversational: prompt messages, then the assistant text so far plus each step", async () => {
      const [record] = await exportAll({ format: "dpo", source: "human", style: "conversational" });
      expectPreference(record!, "conversational");
      expect(record!.prompt).toEqual([{ role: "user", content: userPrompt }]);
      const prefix = `${framed(1, 1)}<Step_Begin>\n### Step 2:`;
      expect(record!.chosen).toEqual([{ role: "assistant", content: `${prefix}${text(3)}<Step_End>` }]);
      expect(record!.rejected).toEqual([{ role: "assistant", content: `${prefix}${text(4)}<Step_End>` }]);
    });
  });

  it("a lineage iteration is the default t of ϕ, and the provenance names it", async () => {
    const iterated = await createHandExperiment(prisma, { iteration: 50 });
    const records: Rec[] = [];
    for await (const r of streamExport(prisma, parseExportOptions({ experiment: iterated.experimentId, format: "sft" }))) records.push(r as unknown as Rec);
    // α(50) = max(0.1, 1 − 0.5) = 0.5; ϕ = 0.5·1 + 0.5·(0.9·(2.5/3) + 0.81·1)/2
    expect(records[0]!.provenance).toMatchObject({ iteration: 50, phiT: 50, phiAlpha: 0.5 });
    expect(records[0]!.provenance.phi).toBeCloseTo(0.5 + 0.5 * ((0.9 * (2.5 / 3) + 0.81) / 2), 12);
  });

  it("an explicit t in the experiment's config wins over its lineage iteration; --phi-t wins over both", async () => {
    const pinned = await createHandExperiment(prisma, { iteration: 50, prm: { combinedReward: { t: 0 } } });
    const sft = async (params: Record<string, unknown> = {}) => {
      const records: Rec[] = [];
      for await (const r of streamExport(prisma, parseExportOptions({ experiment: pinned.experimentId, format: "sft", ...params }))) records.push(r as unknown as Rec);
      return records[0]!.provenance;
    };
    expect(await sft()).toMatchObject({ iteration: 50, phiT: 0, phiTSource: "config", phiAlpha: 1, phi: 1 });
    expect(await sft({ "phi-t": "10" })).toMatchObject({ phiT: 10, phiTSource: "option", phiAlpha: 0.9 });
  });

  it("the node inspector and the exports compute the same ϕ from the same step scores", async () => {
    const mixed = await createHandExperiment(prisma, { prm: { combinedReward: { schedule: { kind: "constant", alpha: 0.25 }, gamma: 0.5 } } });
    for (const seq of [3, 4, 5, 6]) {
      const detail = await getNodeDetail(prisma, mixed.node(0, seq));
      const records: Rec[] = [];
      for await (const r of streamExport(prisma, parseExportOptions({ experiment: mixed.experimentId, format: "prm" }))) records.push(r as unknown as Rec);
      const exported = records.find((r) => r.provenance.terminalNodeId === mixed.node(0, seq))!.provenance;
      expect(detail.prm.combined?.stepRewards, `terminal ${seq}`).toEqual(exported.stepRewards);
      expect(detail.prm.combined?.phi, `terminal ${seq}`).toBe(exported.phi);
      expect(detail.prm.combined?.stepSources).toEqual(exported.stepSources);
    }
  });

  it("an unknown experiment is a NotFoundError before any record", async () => {
    const stream = streamExport(prisma, parseExportOptions({ experiment: "no-such-experiment", format: "sft" }));
    await expect(stream.next()).rejects.toThrow("no experiment no-such-experiment");
  });
});

describe("export options", () => {
  it("name the parameter in every error", () => {
    expect(() => parseExportOptions({ experiment: "e", format: "csv" })).toThrow(/^--format: must be one of sft, dpo, prm, tcg-dpo/);
    expect(() => parseExportOptions({ experiment: "e", format: "dpo", margin: "2" })).toThrow("--margin: must be ≤ 1");
    expect(() => parseExportOptions({ experiment: "e", format: "dpo", margin: "wide" })).toThrow("--margin: expected a number");
    expect(() => parseExportOptions({ experiment: "e", format: "sft", labels: "visit-weighted" })).toThrow("--labels: applies to prm exports, not sft");
    // "soft" promised Math-Shepherd's labels; what the tree gives is visit-weighted, and the name says so.
    expect(() => parseExportOptions({ experiment: "e", format: "prm", labels: "soft" })).toThrow(/--labels: .*visit-weighted/);
    expect(() => parseExportOptions({ experiment: "e", format: "prm", style: "conversational" })).toThrow(/--style: TRL's stepwise-supervision/);
    expect(() => parseExportOptions({ format: "sft" })).toThrow("--experiment: is required");
    expect(() => parseExportOptions({ experiment: "e", format: "sft", "phi-schedule": "linear", "phi-alpha": "0.3" })).toThrow("--phi-alpha");
    expect(() => parseExportOptions({ experiment: "e", format: "dpo", colour: "red" }, QUERY_NAMING)).toThrow("query parameter colour: unknown option");
  });

  it("has the documented defaults", () => {
    expect(parseExportOptions({ experiment: "e", format: "dpo" })).toMatchObject({ style: "standard", source: "both", combine: "each", margin: 0.2 });
    expect(parseExportOptions({ experiment: "e", format: "prm", pairwise: "true" })).toMatchObject({ pairwise: true, labels: "hard", success: "visible", margin: 0 });
    expect(parseExportOptions({ experiment: "e", format: "sft" }).phi).toEqual({ t: null, schedule: null, gamma: null });
  });
});

describe("lineage exports (D ∪ D′)", () => {
  const prisma = useTestPrisma();

  it("merge the records of every iteration of a lineage, iteration in the provenance, repeated records once", async () => {
    const first = await createHandExperiment(prisma, { iteration: 0 });
    const experiment = await prisma.experiment.findUniqueOrThrow({ where: { id: first.experimentId }, select: { lineageId: true } });
    const lineage = await prisma.lineage.findUniqueOrThrow({ where: { id: experiment.lineageId! } });
    // Iteration 1 wrote different steps; iteration 2 the very same paths as iteration 0 (same prompts, same texts).
    const second = await createHandExperiment(prisma, { iteration: 1, stepPadding: 3 });
    const third = await createHandExperiment(prisma, { iteration: 2 });
    for (const later of [second, third]) await prisma.experiment.update({ where: { id: later.experimentId }, data: { lineageId: lineage.id } });
    const records: Rec[] = [];
    for await (const r of streamExport(prisma, parseExportOptions({ lineage: lineage.name, format: "sft" }))) records.push(r as unknown as Rec);
    expectUniformProvenance(records);
    // Two passing paths per tree; iteration 2's records repeat iteration 0's and are written once.
    expect(records.map((r) => [r.provenance.iteration, r.provenance.experimentId])).toEqual([
      [0, first.experimentId],
      [0, first.experimentId],
      [1, second.experimentId],
      [1, second.experimentId],
    ]);
    expect(records.every((r) => r.provenance.lineageId === lineage.id)).toBe(true);
    expect(() => parseExportOptions({ lineage: "x", experiment: "e", format: "sft" })).toThrow(/--lineage: .*not both/);
    await expect(streamExport(prisma, parseExportOptions({ lineage: "no-such-lineage", format: "sft" })).next()).rejects.toThrow(/no lineage named 'no-such-lineage'/);
  });
});

describe("TCG-SFT export", () => {
  const prisma = useTestPrisma();

  it("gives each problem's TCG prompt (the paper's Fig. 3 template) and its ground-truth tests as the cases to write", async () => {
    const hand = await createHandExperiment(prisma, { problems: 2 });
    const run = async (params: Record<string, unknown>) => {
      const records: Rec[] = [];
      for await (const r of streamExport(prisma, parseExportOptions({ experiment: hand.experimentId, format: "tcg-sft", ...params }))) records.push(r as unknown as Rec);
      return records;
    };
    const records = await run({});
    expect(records).toHaveLength(2);
    for (const r of records) expectPromptCompletion(r, "standard");
    const problem = { kind: "FUNCTION" as const, statement: "Problem 1: write add(a, b) returning the sum.", entryPoint: "add", signature: null, referenceSolution: null };
    expect(records[0]!.prompt).toBe(buildTcgPrompt(problem, 2));
    expect(records[0]!.completion).toBe([renderAssertCase("assert add(1, 2) == 3"), renderAssertCase("assert add(0, 0) == 0")].join("\n"));
    expect(records[0]!.provenance).toMatchObject({ kind: "tcg-sft", problemId: hand.problemIds[0], tests: "visible", cases: 2, experimentId: hand.experimentId });
    // Hidden tests only when asked: they are for evaluating the policy, not for training the generator.
    const all = await run({ tests: "all" });
    expect(all[0]!.prompt).toBe(buildTcgPrompt(problem, 3));
    expect(all[0]!.completion).toContain(renderAssertCase("assert add(-1, 1) == 0"));
    expect(() => parseExportOptions({ experiment: "e", format: "sft", tests: "all" })).toThrow("--tests: applies to tcg-sft exports, not sft");
  });
});

describe("TCG-DPO export", () => {
  const prisma = useTestPrisma();

  it("gives the TCG builder's records as preference pairs with provenance, by run or by experiment", async () => {
    const hand = await createHandExperiment(prisma);
    const problem = await prisma.problem.findUniqueOrThrow({ where: { id: hand.problemIds[0]! } });
    const run = await prisma.tcgRun.create({ data: { datasetId: problem.datasetId, status: "COMPLETED", model: "tcg-model", llmBaseUrl: "http://127.0.0.1:9/v1", config: {} } });
    await prisma.tcgProblem.create({ data: { runId: run.id, problemId: problem.id, prompt: "Write tests for add(a, b).", completion: "..." } });
    await prisma.testCase.createMany({
      data: ["assert add(1, 2) == 3", "assert add(2, 2) == 4", "assert add(0, 5) == 5"].map((input, ordinal) => ({
        problemId: problem.id,
        ordinal,
        origin: "GENERATED" as const,
        kind: "ASSERT" as const,
        input,
        validation: "VALID" as const,
        tcgRunId: run.id,
      })),
    });
    const collect = async (params: Record<string, unknown>) => {
      const out: Rec[] = [];
      for await (const r of streamExport(prisma, parseExportOptions({ format: "tcg-dpo", ...params }))) out.push(r as unknown as Rec);
      return out;
    };
    const byRun = await collect({ "tcg-run": run.id });
    expect(byRun).toHaveLength(1);
    expectPreference(byRun[0]!, "standard");
    expect(byRun[0]!.prompt).toBe("Write tests for add(a, b).");
    expect(byRun[0]!.provenance).toMatchObject({ kind: "tcg-dpo", runId: run.id, problemId: problem.id, experimentId: null, cases: 3 });
    const byExperiment = await collect({ experiment: hand.experimentId, style: "conversational" });
    expect(byExperiment).toHaveLength(1);
    expectPreference(byExperiment[0]!, "conversational");
    expect(byExperiment[0]!.provenance).toMatchObject({ runId: run.id, experimentId: hand.experimentId });
    await expect(collect({ "tcg-run": "no-such-run" })).rejects.toThrow("no TCG run no-such-run");
  });

  it("an experiment's export uses its pinned run, else its dataset's latest completed run, and only its own problems", async () => {
    const hand = await createHandExperiment(prisma, { problems: 2 });
    const unrelated = await createHandExperiment(prisma);
    const datasetOf = async (problemId: string) => (await prisma.problem.findUniqueOrThrow({ where: { id: problemId } })).datasetId;
    const datasetId = await datasetOf(hand.problemIds[0]!);
    // The second problem's tree belongs to another experiment on the same dataset.
    const row = await prisma.experiment.findUniqueOrThrow({ where: { id: hand.experimentId } });
    const other = await prisma.experiment.create({
      data: { name: `${row.name} (other)`, datasetId, status: "COMPLETED", config: row.config as object, mode: row.mode, model: row.model, llmBaseUrl: row.llmBaseUrl, seed: 0 },
    });
    await prisma.searchTree.update({ where: { id: hand.treeIds[1]! }, data: { experimentId: other.id } });
    const T0 = Date.parse("2025-03-01T00:00:00Z");
    const makeRun = async (dataset: string, problemIds: string[], status: "COMPLETED" | "FAILED", minutes: number) => {
      const run = await prisma.tcgRun.create({ data: { datasetId: dataset, status, model: "tcg-model", llmBaseUrl: "http://127.0.0.1:9/v1", config: {}, createdAt: new Date(T0 + minutes * 60_000) } });
      for (const problemId of problemIds) {
        await prisma.tcgProblem.create({ data: { runId: run.id, problemId, prompt: `Write tests (${run.id}).`, completion: "..." } });
        await prisma.testCase.createMany({
          data: ["assert add(1, 2) == 3", "assert add(2, 2) == 4", "assert add(0, 5) == 5"].map((input, ordinal) => ({
            problemId, ordinal: ordinal + 10 * minutes, origin: "GENERATED" as const, kind: "ASSERT" as const, input, validation: "VALID" as const, tcgRunId: run.id,
          })),
        });
      }
      return run.id;
    };
    // Created oldest first, so an unordered query would find the older run.
    const older = await makeRun(datasetId, hand.problemIds, "COMPLETED", 1);
    const latest = await makeRun(datasetId, hand.problemIds, "COMPLETED", 2);
    await makeRun(datasetId, hand.problemIds, "FAILED", 3);
    await makeRun(await datasetOf(unrelated.problemIds[0]!), unrelated.problemIds, "COMPLETED", 4);
    const collect = async (params: Record<string, unknown>) => {
      const out: Rec[] = [];
      for await (const r of streamExport(prisma, parseExportOptions({ format: "tcg-dpo", ...params }))) out.push(r as unknown as Rec);
      return out.map((r) => [r.provenance.runId, r.provenance.problemId, r.provenance.experimentId, r.prompt]);
    };
    expect(await collect({ experiment: hand.experimentId })).toEqual([[latest, hand.problemIds[0], hand.experimentId, `Write tests (${latest}).`]]);
    expect((await collect({ "tcg-run": latest })).map((r) => r[1])).toEqual(hand.problemIds);

    // Pinned at creation to the older run: that run's records, whatever ran later.
    await prisma.experiment.update({ where: { id: hand.experimentId }, data: { config: { ...(row.config as object), testSource: "both", tcgRun: older } } });
    expect(await collect({ experiment: hand.experimentId })).toEqual([[older, hand.problemIds[0], hand.experimentId, `Write tests (${older}).`]]);

    const bare = await createHandExperiment(prisma);
    await expect(collect({ experiment: bare.experimentId })).rejects.toThrow(/^no completed TCG run on dataset 'export-ds/);
  });
});

