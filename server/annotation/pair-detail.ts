// Everything the annotation view shows for one sibling pair: the problem and the shared path (the prompt both
// steps continue), the two steps with their search statistics and test outcomes, and who judged the pair how.
import { type Db, Prisma } from "../db/index.ts";
import type { StepNodeFields } from "../search/index.ts";
import type { PassCount } from "../experiments/index.ts";
import { categoryOf, pairAgreement, type PairAgreement } from "./agreement.ts";
import { listPairJudgements, type JudgementView } from "./annotation-service.ts";
import { normalizeAnnotator } from "./annotator-name.ts";
import { displayOrder, parsePairKey } from "./pair-key.ts";
import { loadSiblingPair } from "./sibling-pair.ts";

export interface PathStep {
  depth: number;
  actionKind: string;
  stepText: string;
}

/** One side of a pair: the node's step fields (value = Q/N) and its test tallies. */
export type PairStep = Omit<StepNodeFields, "parentId" | "depth"> & {
  visible: PassCount | null;
  hidden: PassCount | null;
};

export interface PairDetail {
  pairKey: string;
  treeId: string;
  problem: { externalId: string; ordinal: number; statement: string };
  /** The steps from the root to the shared parent (the root itself, the bare problem, is not a step). */
  path: PathStep[];
  a: PairStep;
  b: PairStep;
  /** Every annotator's HUMAN judgement of this pair. */
  judgements: JudgementView[];
  /** This annotator's judgement, if any. */
  mine: JudgementView | null;
  agreement: PairAgreement;
}

export async function getPairDetail(prisma: Db, input: { experimentId: string; pairKey: string; annotator?: string }): Promise<PairDetail> {
  const annotator = normalizeAnnotator(input.annotator);
  const [firstId, secondId] = parsePairKey(input.pairKey);
  const [first] = await loadSiblingPair(prisma, input.experimentId, { first: firstId, second: secondId }, { first: "pairKey", second: "pairKey" });
  const [aId, bId] = displayOrder(input.pairKey);
  const nodes = await prisma.treeNode.findMany({ where: { id: { in: [aId, bId] } } });
  const counts = await executionCounts(prisma, [aId, bId]);
  const tree = await prisma.searchTree.findUniqueOrThrow({
    where: { id: first.treeId },
    select: { problem: { select: { externalId: true, ordinal: true, statement: true } } },
  });
  const judgements = await listPairJudgements(prisma, input.experimentId, input.pairKey);
  const side = (id: string): PairStep => {
    const n = nodes.find((node) => node.id === id)!;
    return {
      id: n.id,
      seq: n.seq,
      actionKind: n.actionKind,
      stepText: n.stepText,
      code: n.code,
      visits: n.visits,
      valueSum: n.valueSum,
      prmScore: n.prmScore,
      isTerminal: n.isTerminal,
      reward: n.reward,
      visible: counts.get(id)?.visible ?? null,
      hidden: counts.get(id)?.hidden ?? null,
    };
  };
  return {
    pairKey: input.pairKey,
    treeId: first.treeId,
    problem: tree.problem,
    path: await pathTo(prisma, first.parentId!),
    a: side(aId),
    b: side(bId),
    judgements,
    mine: judgements.find((j) => j.annotator === annotator) ?? null,
    agreement: pairAgreement(judgements.map(categoryOf)),
  };
}

async function pathTo(prisma: Db, nodeId: string): Promise<PathStep[]> {
  const rows = await prisma.$queryRaw<PathStep[]>`
    WITH RECURSIVE chain AS (
      SELECT "id", "parentId", "depth", "stepText", "actionKind" FROM "TreeNode" WHERE "id" = ${nodeId}
      UNION ALL
      SELECT p."id", p."parentId", p."depth", p."stepText", p."actionKind" FROM "TreeNode" p JOIN chain c ON p."id" = c."parentId"
    )
    SELECT "depth", "actionKind", "stepText" FROM chain WHERE "depth" > 0 ORDER BY "depth"`;
  return rows;
}

async function executionCounts(prisma: Db, nodeIds: string[]) {
  const rows = await prisma.$queryRaw<{ nodeId: string; hidden: boolean; passed: bigint; total: bigint }[]>`
    SELECT e."nodeId", (t."origin" = 'dataset-hidden') AS hidden, count(*) FILTER (WHERE e."status" = 'pass') AS passed, count(*) AS total
    FROM "Execution" e JOIN "TestCase" t ON t."id" = e."testCaseId"
    WHERE e."nodeId" IN (${Prisma.join(nodeIds)})
    GROUP BY e."nodeId", hidden`;
  const byNode = new Map<string, { visible: PassCount | null; hidden: PassCount | null }>();
  for (const row of rows) {
    const entry = byNode.get(row.nodeId) ?? { visible: null, hidden: null };
    entry[row.hidden ? "hidden" : "visible"] = { passed: Number(row.passed), total: Number(row.total) };
    byNode.set(row.nodeId, entry);
  }
  return byNode;
}
