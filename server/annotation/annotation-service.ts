// Recording and undoing human step-preference judgements. One judgement per pair and annotator: judging the same
// pair again replaces the earlier verdict (upsert on the schema's unique pairKey + source + annotator).
import type { Db, PreferenceVerdict } from "../db/index.ts";
import { normalizeAnnotator, normalizeNote } from "./annotator-name.ts";
import { pairKeyOf, parsePairKey } from "./pair-key.ts";
import { loadSiblingPair } from "./sibling-pair.ts";

export const VERDICTS = ["PREFER", "TIE", "BOTH_BAD"] as const satisfies readonly PreferenceVerdict[];

export interface JudgementInput {
  experimentId: string;
  /** PREFER: the better step. TIE / BOTH_BAD: either node of the pair (stored in pair-key order). */
  chosenNodeId: string;
  rejectedNodeId: string;
  verdict: PreferenceVerdict;
  annotator?: string;
  note?: string | null;
}

export interface JudgementView {
  id: string;
  pairKey: string;
  chosenNodeId: string;
  rejectedNodeId: string;
  verdict: PreferenceVerdict;
  annotator: string;
  note: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const VIEW_SELECT = {
  id: true,
  pairKey: true,
  chosenNodeId: true,
  rejectedNodeId: true,
  verdict: true,
  annotator: true,
  note: true,
  createdAt: true,
  updatedAt: true,
} as const;

/** Validates everything first, then writes one row (insert or update); a bad input writes nothing. */
export async function recordJudgement(prisma: Db, input: JudgementInput): Promise<JudgementView> {
  const annotator = normalizeAnnotator(input.annotator);
  const note = normalizeNote(input.note);
  await loadSiblingPair(
    prisma,
    input.experimentId,
    { first: input.chosenNodeId, second: input.rejectedNodeId },
    { first: "chosenNodeId", second: "rejectedNodeId" },
  );
  const pairKey = pairKeyOf(input.chosenNodeId, input.rejectedNodeId);
  // Without a preference the order means nothing: store the pair in key order so equal verdicts look equal.
  const [chosenNodeId, rejectedNodeId] = input.verdict === "PREFER" ? [input.chosenNodeId, input.rejectedNodeId] : parsePairKey(pairKey);
  const fields = { chosenNodeId, rejectedNodeId, verdict: input.verdict, note };
  return prisma.stepPreference.upsert({
    where: { pairKey_source_annotator: { pairKey, source: "HUMAN", annotator } },
    create: { experimentId: input.experimentId, pairKey, source: "HUMAN", annotator, ...fields },
    update: fields,
    select: VIEW_SELECT,
  });
}

/** Undo: removes this annotator's judgement of the pair. Returns how many rows went (0 or 1). */
export async function deleteJudgement(prisma: Db, input: { experimentId: string; pairKey: string; annotator?: string }): Promise<{ deleted: number }> {
  const annotator = normalizeAnnotator(input.annotator);
  parsePairKey(input.pairKey);
  const result = await prisma.stepPreference.deleteMany({
    where: { experimentId: input.experimentId, pairKey: input.pairKey, source: "HUMAN", annotator },
  });
  return { deleted: result.count };
}

/** Every annotator's human judgement of one pair, oldest first. */
export async function listPairJudgements(prisma: Db, experimentId: string, pairKey: string): Promise<JudgementView[]> {
  return prisma.stepPreference.findMany({
    where: { experimentId, pairKey, source: "HUMAN" },
    orderBy: [{ createdAt: "asc" }, { annotator: "asc" }],
    select: VIEW_SELECT,
  });
}

/** All human judgements of an experiment (for agreement figures). */
export async function listExperimentJudgements(prisma: Db, experimentId: string): Promise<JudgementView[]> {
  return prisma.stepPreference.findMany({
    where: { experimentId, source: "HUMAN" },
    orderBy: [{ pairKey: "asc" }, { annotator: "asc" }],
    select: VIEW_SELECT,
  });
}
