// The annotation queue: every unordered pair of sibling steps (same parent, hence same prompt) in an experiment's
// trees, most informative first, with this annotator's progress.
//
// The queue is per annotator: a pair is "decided" for an annotator once they stored a HUMAN judgement of it; other
// annotators' judgements do not take it out of their queue, because several annotators per pair are wanted for
// agreement figures.
//
// Informativeness of a pair (a, b) = |Q_a/N_a − Q_b/N_b| · m/(m + 1), m = min(N_a, N_b): how far the search's values
// of the two siblings disagree, shrunk when one of them rests on few rollouts (m = 1 halves it, m = 9 keeps 90%).
// A sibling never visited has no value, so such pairs score 0 and come last. Ties: problem order, then tree, then the
// pair's node creation order (seq), so the order is total and stable.
import { type Db, Prisma } from "../db/index.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { displayOrder } from "./pair-key.ts";
import { normalizeAnnotator } from "./annotator-name.ts";

export const QUEUE_STATUSES = ["undecided", "all"] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];
export const MAX_QUEUE_PAGE = 200;

export interface QueueInput {
  experimentId: string;
  annotator?: string;
  status?: QueueStatus;
  offset?: number;
  limit?: number;
}

export interface PairSide {
  id: string;
  seq: number;
  actionKind: string;
  /** N. */
  visits: number;
  /** Q; value = Q/N. */
  valueSum: number;
}

export interface QueuedPair {
  pairKey: string;
  treeId: string;
  problemExternalId: string;
  problemOrdinal: number;
  parentId: string;
  /** Depth of the two steps (their parent's depth + 1). */
  depth: number;
  /** Shown as A and B, in the display order fixed by the pair key. */
  a: PairSide;
  b: PairSide;
  informativeness: number;
  /** This annotator judged the pair. */
  decided: boolean;
}

export interface QueuePage {
  items: QueuedPair[];
  /** Pairs matching `status` (all pages). */
  matching: number;
  /** This annotator's progress over the experiment: pairs judged / sibling pairs. */
  progress: { done: number; total: number };
  offset: number;
  limit: number;
}

interface PairRow {
  aId: string;
  bId: string;
  treeId: string;
  problemExternalId: string;
  problemOrdinal: number;
  parentId: string;
  depth: number;
  aSeq: number;
  aActionKind: string;
  aVisits: number;
  aValueSum: number;
  bSeq: number;
  bActionKind: string;
  bVisits: number;
  bValueSum: number;
  informativeness: number;
  decided: boolean;
}

export async function getPairQueue(prisma: Db, input: QueueInput): Promise<QueuePage> {
  const annotator = normalizeAnnotator(input.annotator);
  const status = input.status ?? "undecided";
  const offset = input.offset ?? 0;
  const limit = input.limit ?? 50;
  if (!Number.isInteger(offset) || offset < 0) throw new ValidationError("must be a whole number ≥ 0", "offset");
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_QUEUE_PAGE) throw new ValidationError(`must be a whole number from 1 to ${MAX_QUEUE_PAGE}`, "limit");
  const experiment = await prisma.experiment.findUnique({ where: { id: input.experimentId }, select: { id: true } });
  if (!experiment) throw new NotFoundError(`no experiment ${input.experimentId}`);

  const pairs = siblingPairsSql(input.experimentId, annotator);
  const [counts] = await prisma.$queryRaw<{ total: bigint; done: bigint }[]>`
    WITH pairs AS (${pairs}) SELECT count(*) AS total, count(*) FILTER (WHERE "decided") AS done FROM pairs`;
  const total = Number(counts?.total ?? 0);
  const done = Number(counts?.done ?? 0);
  const onlyUndecided = status === "undecided";
  const rows = await prisma.$queryRaw<PairRow[]>`
    WITH pairs AS (${pairs})
    SELECT * FROM pairs
    WHERE ${onlyUndecided} = false OR NOT "decided"
    ORDER BY "informativeness" DESC, "problemOrdinal", "treeId", LEAST("aSeq", "bSeq"), GREATEST("aSeq", "bSeq")
    LIMIT ${limit} OFFSET ${offset}`;
  return {
    items: rows.map(toQueuedPair),
    matching: onlyUndecided ? total - done : total,
    progress: { done, total },
    offset,
    limit,
  };
}

/** One row per unordered sibling pair, `aId` < `bId` in code-unit order (the pair key's order). */
function siblingPairsSql(experimentId: string, annotator: string): Prisma.Sql {
  return Prisma.sql`
    SELECT a."id" AS "aId", b."id" AS "bId", t."id" AS "treeId", p."externalId" AS "problemExternalId", p."ordinal" AS "problemOrdinal",
      a."parentId" AS "parentId", a."depth" AS "depth",
      a."seq" AS "aSeq", a."actionKind" AS "aActionKind", a."visits" AS "aVisits", a."valueSum" AS "aValueSum",
      b."seq" AS "bSeq", b."actionKind" AS "bActionKind", b."visits" AS "bVisits", b."valueSum" AS "bValueSum",
      CASE WHEN a."visits" > 0 AND b."visits" > 0
        THEN abs(a."valueSum" / a."visits" - b."valueSum" / b."visits") * LEAST(a."visits", b."visits")::float8 / (LEAST(a."visits", b."visits") + 1)
        ELSE 0::float8 END AS "informativeness",
      EXISTS (
        SELECT 1 FROM "StepPreference" s
        WHERE s."pairKey" = a."id" || '|' || b."id" AND s."source" = 'human' AND s."annotator" = ${annotator}
      ) AS "decided"
    FROM "SearchTree" t
    JOIN "Problem" p ON p."id" = t."problemId"
    JOIN "TreeNode" a ON a."treeId" = t."id" AND a."parentId" IS NOT NULL
    JOIN "TreeNode" b ON b."parentId" = a."parentId" AND (a."id" COLLATE "C") < (b."id" COLLATE "C")
    WHERE t."experimentId" = ${experimentId}`;
}

function toQueuedPair(row: PairRow): QueuedPair {
  const pairKey = `${row.aId}|${row.bId}`;
  const first: PairSide = { id: row.aId, seq: row.aSeq, actionKind: row.aActionKind, visits: row.aVisits, valueSum: row.aValueSum };
  const second: PairSide = { id: row.bId, seq: row.bSeq, actionKind: row.bActionKind, visits: row.bVisits, valueSum: row.bValueSum };
  const [shownFirst] = displayOrder(pairKey);
  const [a, b] = shownFirst === first.id ? [first, second] : [second, first];
  return {
    pairKey,
    treeId: row.treeId,
    problemExternalId: row.problemExternalId,
    problemOrdinal: row.problemOrdinal,
    parentId: row.parentId,
    depth: row.depth,
    a,
    b,
    informativeness: row.informativeness,
    decided: row.decided,
  };
}
