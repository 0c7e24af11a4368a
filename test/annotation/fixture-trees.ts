// Small hand-built search trees with chosen Q and N, written straight to the test database, so queue order and
// agreement can be checked against numbers worked out by hand. Node ids follow the app's `${treeId}:${seq}`.
import type { Db } from "../../server/db/client.ts";
import { uniqueName } from "../helpers/db.ts";

export interface FixtureNode {
  seq: number;
  parent: number | null;
  visits: number;
  valueSum: number;
  text?: string;
}

export interface FixtureExperiment {
  experimentId: string;
  treeIds: string[];
  /** node id of tree `t`, seq `s`. */
  node(t: number, seq: number): string;
}

export async function createFixtureExperiment(prisma: Db, trees: FixtureNode[][]): Promise<FixtureExperiment> {
  const dataset = await prisma.dataset.create({ data: { name: uniqueName("annot"), format: "jsonl" } });
  const experiment = await prisma.experiment.create({
    data: { name: uniqueName("annot-exp"), datasetId: dataset.id, config: {}, mode: "pseudocode", model: "m", llmBaseUrl: "http://x", seed: 1, status: "COMPLETED" },
  });
  const treeIds: string[] = [];
  for (const [index, nodes] of trees.entries()) {
    const problem = await prisma.problem.create({
      data: { datasetId: dataset.id, externalId: `p${index + 1}`, ordinal: index + 1, statement: `Problem ${index + 1}: write f(x).`, contentHash: uniqueName("h") },
    });
    const tree = await prisma.searchTree.create({ data: { experimentId: experiment.id, problemId: problem.id, status: "DONE" } });
    treeIds.push(tree.id);
    for (const n of nodes) {
      const parent = n.parent === null ? null : nodes.find((p) => p.seq === n.parent)!;
      await prisma.treeNode.create({
        data: {
          id: `${tree.id}:${n.seq}`,
          treeId: tree.id,
          parentId: parent ? `${tree.id}:${parent.seq}` : null,
          seq: n.seq,
          depth: depthOf(nodes, n),
          stepIndex: depthOf(nodes, n),
          actionKind: n.parent === null ? "root" : "structure",
          stepText: n.text ?? (n.parent === null ? "" : `### Step: node ${n.seq}`),
          visits: n.visits,
          valueSum: n.valueSum,
        },
      });
    }
  }
  return { experimentId: experiment.id, treeIds, node: (t, seq) => `${treeIds[t]}:${seq}` };
}

function depthOf(nodes: FixtureNode[], node: FixtureNode): number {
  let depth = 0;
  for (let n = node; n.parent !== null; n = nodes.find((p) => p.seq === n.parent)!) depth += 1;
  return depth;
}

/**
 * Tree 0: root → c1 (Q/N 4/4), c2 (0/4), c3 (1/2); c1 → d1 (2/2), d2 (0/1), d3 (unvisited).
 * Tree 1: root → e1 (1/2), e2 (1/2).
 * Informativeness |v_a − v_b|·m/(m+1), m = min N:
 *   c1–c2 1·4/5 = 0.8; d1–d2 1·1/2 = 0.5; c1–c3 and c2–c3 0.5·2/3 ≈ 0.333 (tie → by seq); d1–d3, d2–d3 0 (unvisited);
 *   e1–e2 0 (equal values; problem 2 comes after problem 1's zero pairs).
 */
export const STANDARD_TREES: FixtureNode[][] = [
  [
    { seq: 0, parent: null, visits: 10, valueSum: 5 },
    { seq: 1, parent: 0, visits: 4, valueSum: 4 },
    { seq: 2, parent: 0, visits: 4, valueSum: 0 },
    { seq: 3, parent: 0, visits: 2, valueSum: 1 },
    { seq: 4, parent: 1, visits: 2, valueSum: 2 },
    { seq: 5, parent: 1, visits: 1, valueSum: 0 },
    { seq: 6, parent: 1, visits: 0, valueSum: 0 },
  ],
  [
    { seq: 0, parent: null, visits: 4, valueSum: 2 },
    { seq: 1, parent: 0, visits: 2, valueSum: 1 },
    { seq: 2, parent: 0, visits: 2, valueSum: 1 },
  ],
];
