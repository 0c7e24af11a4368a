// DPO records: sibling steps (the same request produced both) as TRL preference pairs. Two sources:
// - human: the StepPreference judgements of the experiment. Ties and both-bad verdicts say neither step is better, so
//   they give no record. Several annotators may judge one pair: `each` gives one record per PREFER judgement (the
//   annotator in the provenance; disagreeing annotators give records in both directions, as a majority-free trainer
//   would see them), `majority` one record per pair whose PREFER votes for one direction are more than half of all
//   judgements of that pair.
// - search: sibling pairs whose values (Q/N; an unvisited terminal's reward) differ by at least `margin`.
// `both` gives the human records plus the search pairs no human judged: a person who looked at a pair, whatever the
// verdict, knows more than the value estimate.
import type { Db } from "../db/index.ts";
import type { ExportOptions } from "./export-options.ts";
import { comparableValue, generatedStepText, requestPromptFor, type ExportExperiment, type ExportNode, type ExportTree } from "./export-tree.ts";
import { baseProvenance, type BaseProvenance } from "./provenance.ts";
import { promptAndCompletions, type TextOrMessages } from "./record-text.ts";
import { pairKeyOf } from "../annotation/index.ts";

export interface DpoRecord {
  prompt: TextOrMessages;
  chosen: TextOrMessages;
  rejected: TextOrMessages;
  provenance: BaseProvenance & {
    kind: "dpo";
    source: "human" | "search";
    parentNodeId: string;
    chosenNodeId: string;
    rejectedNodeId: string;
    /** Human: the annotators whose PREFER judgement this record is (one for `each`, the majority for `majority`). */
    annotators: string[];
    /** Human: the judgement ids behind the record. */
    judgementIds: string[];
    notes: string[];
    /** Values Q/N of the two steps (null when a step has none yet). */
    chosenValue: number | null;
    rejectedValue: number | null;
  };
}

export interface Judgement {
  id: string;
  chosenNodeId: string;
  rejectedNodeId: string;
  verdict: "PREFER" | "TIE" | "BOTH_BAD";
  pairKey: string;
  annotator: string;
  note: string | null;
}

/** The human judgements of one tree's pairs, oldest first. */
export async function loadJudgements(prisma: Db, experimentId: string, treeId: string): Promise<Judgement[]> {
  return prisma.stepPreference.findMany({
    where: { experimentId, source: "HUMAN", chosenNode: { treeId } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, chosenNodeId: true, rejectedNodeId: true, verdict: true, pairKey: true, annotator: true, note: true },
  });
}

interface Pair {
  chosen: ExportNode;
  rejected: ExportNode;
  source: "human" | "search";
  judgements: Judgement[];
}

export function* dpoRecords(experiment: ExportExperiment, tree: ExportTree, judgements: readonly Judgement[], options: ExportOptions): Generator<DpoRecord> {
  const pairs: Pair[] = [];
  if (options.source !== "search") pairs.push(...humanPairs(tree, judgements, options.combine));
  if (options.source !== "human") {
    const judged = new Set(judgements.map((j) => j.pairKey));
    pairs.push(...searchPairs(tree, options.margin).filter((p) => !judged.has(pairKeyOf(p.chosen.id, p.rejected.id))));
  }
  for (const pair of pairs) yield toRecord(experiment, tree, pair, options);
}

function humanPairs(tree: ExportTree, judgements: readonly Judgement[], combine: ExportOptions["combine"]): Pair[] {
  const nodesOf = (j: Judgement) => {
    const chosen = tree.byId.get(j.chosenNodeId);
    const rejected = tree.byId.get(j.rejectedNodeId);
    // Only siblings share the request prompt a preference pair needs.
    return chosen && rejected && chosen.parentId === rejected.parentId ? { chosen, rejected } : null;
  };
  if (combine === "each") {
    return judgements.flatMap((j) => {
      const nodes = j.verdict === "PREFER" ? nodesOf(j) : null;
      return nodes ? [{ ...nodes, source: "human" as const, judgements: [j] }] : [];
    });
  }
  const byPair = new Map<string, Judgement[]>();
  for (const j of judgements) byPair.set(j.pairKey, [...(byPair.get(j.pairKey) ?? []), j]);
  const pairs: Pair[] = [];
  for (const group of byPair.values()) {
    const votes = new Map<string, Judgement[]>();
    for (const j of group) if (j.verdict === "PREFER") votes.set(j.chosenNodeId, [...(votes.get(j.chosenNodeId) ?? []), j]);
    const winner = [...votes.values()].find((v) => v.length * 2 > group.length);
    const nodes = winner ? nodesOf(winner[0]!) : null;
    if (winner && nodes) pairs.push({ ...nodes, source: "human", judgements: winner });
  }
  return pairs;
}

function searchPairs(tree: ExportTree, margin: number): Pair[] {
  const pairs: Pair[] = [];
  for (const siblings of tree.children.values()) {
    for (let i = 0; i < siblings.length; i++) {
      for (let j = i + 1; j < siblings.length; j++) {
        const a = siblings[i]!;
        const b = siblings[j]!;
        const va = comparableValue(a);
        const vb = comparableValue(b);
        if (va === null || vb === null || va === vb || Math.abs(va - vb) < margin) continue;
        pairs.push(va > vb ? { chosen: a, rejected: b, source: "search", judgements: [] } : { chosen: b, rejected: a, source: "search", judgements: [] });
      }
    }
  }
  return pairs;
}

function toRecord(experiment: ExportExperiment, tree: ExportTree, pair: Pair, options: ExportOptions): DpoRecord {
  const { prompt, completions } = promptAndCompletions(requestPromptFor(tree, pair.chosen), [generatedStepText(tree, pair.chosen), generatedStepText(tree, pair.rejected)], options.style);
  return {
    prompt,
    chosen: completions[0]!,
    rejected: completions[1]!,
    provenance: {
      ...baseProvenance(experiment, tree),
      kind: "dpo",
      source: pair.source,
      parentNodeId: pair.chosen.parentId ?? "",
      chosenNodeId: pair.chosen.id,
      rejectedNodeId: pair.rejected.id,
      annotators: pair.judgements.map((j) => j.annotator),
      judgementIds: pair.judgements.map((j) => j.id),
      notes: pair.judgements.flatMap((j) => (j.note ? [j.note] : [])),
      chosenValue: comparableValue(pair.chosen),
      rejectedValue: comparableValue(pair.rejected),
    },
  };
}
