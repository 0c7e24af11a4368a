// Experiments written straight into the database, with hand-chosen trees: the quickest way to know exactly which
// records an export must produce. The hand-checked tree (the one test/prm/rollout-labels.test.ts uses):
//   0 root (N 5)
//   ├─ 1 (N 3, Q 2.5)
//   │  ├─ 3 terminal, reward 1 (N 2)      passes hidden
//   │  └─ 4 terminal, reward 0.5 (N 1)
//   ├─ 2 (N 2, Q 0)
//   │  ├─ 5 terminal, reward 0 (N 2)
//   │  └─ 6 terminal, reward 1, unvisited  fails hidden
//   └─ 7 inner, never expanded (N 0)
import type { Db } from "../../server/db/client.ts";
import type { PreferenceVerdict, Prisma } from "../../server/db/generated/client.ts";
import { parseExperimentConfig } from "../../server/contracts/experiment-config.ts";
import { uniqueName } from "../helpers/db.ts";

export interface HandNode {
  seq: number;
  parent: number | null;
  visits: number;
  valueSum: number;
  terminal?: boolean;
  reward?: number | null;
  text: string;
  /** Hidden-test outcome of a terminal: true = all pass, false = one fails, undefined = not judged. */
  hidden?: boolean;
  prmScore?: number;
}

const codeStep = (body: string) => ` Action 3: code\n\`\`\`python\ndef add(a, b):\n    return ${body}\n\`\`\`\n`;

export const HAND_TREE: HandNode[] = [
  { seq: 0, parent: null, visits: 5, valueSum: 3.5, text: "" },
  { seq: 1, parent: 0, visits: 3, valueSum: 2.5, text: " Action 1: add the two numbers.\n" },
  { seq: 2, parent: 0, visits: 2, valueSum: 0, text: " Action 1: subtract them.\n" },
  { seq: 3, parent: 1, visits: 2, valueSum: 2, terminal: true, reward: 1, text: codeStep("a + b"), hidden: true },
  { seq: 4, parent: 1, visits: 1, valueSum: 0.5, terminal: true, reward: 0.5, text: codeStep("a + b if a else 0"), hidden: false },
  { seq: 5, parent: 2, visits: 2, valueSum: 0, terminal: true, reward: 0, text: codeStep("a - b"), hidden: false },
  { seq: 6, parent: 2, visits: 0, valueSum: 0, terminal: true, reward: 1, text: codeStep("b + a"), hidden: false },
  { seq: 7, parent: 0, visits: 0, valueSum: 0, text: " Action 1: think again.\n" },
];

export interface HandExperiment {
  experimentId: string;
  experimentName: string;
  problemIds: string[];
  treeIds: string[];
  /** Node id of (tree index, seq). */
  node(tree: number, seq: number): string;
}

/** A dataset of `problems` problems and a finished pseudocode experiment whose trees all have the shape `nodes`. */
export async function createHandExperiment(
  prisma: Db,
  options: { problems?: number; nodes?: HandNode[]; iteration?: number; stepPadding?: number; prm?: Record<string, unknown> } = {},
): Promise<HandExperiment> {
  const count = options.problems ?? 1;
  const nodes = options.nodes ?? HAND_TREE;
  const name = uniqueName("export-ds");
  const dataset = await prisma.dataset.create({ data: { name, format: "jsonl" } });
  const problemIds: string[] = [];
  for (let i = 1; i <= count; i++) {
    const problem = await prisma.problem.create({
      data: {
        datasetId: dataset.id,
        externalId: `add-${i}`,
        ordinal: i,
        statement: `Problem ${i}: write add(a, b) returning the sum.`,
        entryPoint: "add",
        contentHash: `${name}-${i}`,
        testCases: {
          create: [
            { ordinal: 0, origin: "DATASET_VISIBLE", kind: "ASSERT", input: "assert add(1, 2) == 3" },
            { ordinal: 1, origin: "DATASET_VISIBLE", kind: "ASSERT", input: "assert add(0, 0) == 0" },
            { ordinal: 0, origin: "DATASET_HIDDEN", kind: "ASSERT", input: "assert add(-1, 1) == 0" },
          ],
        },
      },
    });
    problemIds.push(problem.id);
  }
  const config = parseExperimentConfig({ dataset: name, mode: "pseudocode", llm: { baseUrl: "http://127.0.0.1:9/v1", model: "hand-model" }, search: { rollouts: 5 }, ...(options.prm ? { prm: options.prm } : {}) });
  const lineage = options.iteration === undefined ? null : await prisma.lineage.create({ data: { name: uniqueName("lineage") } });
  const experimentName = `hand export ${name}`;
  const experiment = await prisma.experiment.create({
    data: {
      name: experimentName,
      datasetId: dataset.id,
      status: "COMPLETED",
      config: config as unknown as Prisma.InputJsonValue,
      mode: "pseudocode",
      model: "hand-model",
      llmBaseUrl: "http://127.0.0.1:9/v1",
      seed: 0,
      lineageId: lineage?.id ?? null,
      iteration: options.iteration ?? null,
    },
  });
  const hiddenTests = await prisma.testCase.findMany({ where: { problemId: { in: problemIds }, origin: "DATASET_HIDDEN" } });
  const padding = "x".repeat(options.stepPadding ?? 0);
  const treeIds: string[] = [];
  for (const problemId of problemIds) {
    const tree = await prisma.searchTree.create({ data: { experimentId: experiment.id, problemId, status: "DONE", rolloutsDone: 5 } });
    treeIds.push(tree.id);
    const id = (seq: number) => `${tree.id}:${seq}`;
    await prisma.treeNode.createMany({
      data: nodes.map((n) => ({
        id: id(n.seq),
        treeId: tree.id,
        parentId: n.parent === null ? null : id(n.parent),
        seq: n.seq,
        depth: depthOf(nodes, n),
        stepIndex: nodes.filter((m) => m.parent === n.parent && m.seq < n.seq).length,
        actionKind: n.parent === null ? "root" : n.terminal ? "code" : "structure",
        stepText: n.parent === null ? "" : n.text + padding,
        code: n.terminal ? n.text.split("```python\n")[1]!.split("\n```")[0]! : null,
        visits: n.visits,
        valueSum: n.valueSum,
        isTerminal: n.terminal ?? false,
        reward: n.reward ?? null,
        prmScore: n.prmScore ?? null,
      })),
    });
    const hidden = hiddenTests.find((t) => t.problemId === problemId)!;
    const judged = nodes.filter((n) => n.hidden !== undefined);
    await prisma.execution.createMany({
      data: judged.map((n) => ({ nodeId: id(n.seq), testCaseId: hidden.id, status: n.hidden ? "PASS" : "FAIL", durationMs: 1 })),
    });
    await prisma.searchTree.update({ where: { id: tree.id }, data: { finalNodeId: id(3) } });
  }
  return { experimentId: experiment.id, experimentName, problemIds, treeIds, node: (tree, seq) => `${treeIds[tree]}:${seq}` };
}

function depthOf(nodes: readonly HandNode[], node: HandNode): number {
  let depth = 0;
  for (let at = node; at.parent !== null; at = nodes.find((n) => n.seq === at.parent)!) depth++;
  return depth;
}

/** One human judgement, stored as the annotation service stores it (pair key smaller id first). */
export async function judge(prisma: Db, experimentId: string, chosenNodeId: string, rejectedNodeId: string, verdict: PreferenceVerdict, annotator: string, note?: string) {
  const pairKey = chosenNodeId < rejectedNodeId ? `${chosenNodeId}|${rejectedNodeId}` : `${rejectedNodeId}|${chosenNodeId}`;
  return prisma.stepPreference.create({ data: { experimentId, chosenNodeId, rejectedNodeId, source: "HUMAN", verdict, pairKey, annotator, note } });
}
