// DPO records: sibling steps (the same request produced both) as TRL preference pairs. Two sources:
// - human: the StepPreference judgements of the experiment. Ties and both-bad verdicts say neither step is better, so
//   they give no record. Several annotators may judge one pair: `each` gives one record per PREFER judgement (the
//   annotator in the provenance; disagreeing annotators give records in both directions, as a majority-free trainer
//   would see them), `majority` one record per pair whose PREFER votes for one direction are more than half of all
//   judgements of that pair.
// - search: sibling pairs whose values (Q/N; an unvisited terminal's reward) differ by at least `margin`.
// `both` gives the human records plus the search pairs no human judged: a person who looked at a pair, whatever the
// verdict, knows more than the value estimate.
// Two siblings with the same text are one step sampled twice: a pair of them teaches nothing (chosen = rejected), so
// no such pair is ever written.
// `pairs: "path"` gives whole complete paths instead (the reference's process_dpo_data): each distinct passing path
// (all search-visible tests) against each distinct failing one, from the problem's root prompt.
// TRL's DPOTrainer appends EOS to chosen and rejected (standard format; the chat template ends the turn in the
// conversational one), so a step pair teaches "this step, then stop": fine for ranking steps, but a policy trained on
// step pairs alone learns to end replies after one step. Path pairs end where the reply really ends.
import type { Db } from "../db/index.ts";
import type { ExportOptions } from "./export-options.ts";
import { comparableValue, pathTo, promptAfter, siblingStepPair, stepsOf, type ExportExperiment, type ExportNode, type ExportTree } from "./export-tree.ts";
import { passesVisibleTests } from "../prm/index.ts";
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
    /** step: sibling steps (chosen/rejected node ids are the steps); path: complete paths (the ids are terminals). */
    pairs: "step" | "path";
    /** step: the siblings' parent; path: the root. */
    parentNodeId: string;
    chosenNodeId: string;
    rejectedNodeId: string;
    /** Human: the annotators whose PREFER judgement this record is (one for `each`, the majority for `majority`). */
    annotators: string[];
    /** Human: the judgement ids behind the record. */
    judgementIds: string[];
    notes: string[];
    /** Values Q/N of the two steps (null when a step has none yet); path pairs: the terminals' rewards. */
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
  if (options.pairs === "path") {
    yield* pathPairRecords(experiment, tree, options);
    return;
  }
  const pairs: Pair[] = [];
  if (options.source !== "search") pairs.push(...humanPairs(tree, judgements, options.combine));
  if (options.source !== "human") {
    const judged = new Set(judgements.map((j) => j.pairKey));
    pairs.push(...searchPairs(tree, options.margin).filter((p) => !judged.has(pairKeyOf(p.chosen.id, p.rejected.id))));
  }
  for (const pair of pairs) {
    if (pair.chosen.stepText === pair.rejected.stepText) continue; // the same step sampled twice: nothing to prefer
    yield toRecord(experiment, tree, pair, options);
  }
}

/** Each distinct passing complete path against each distinct failing one (terminal order; first copy of a text kept). */
function* pathPairRecords(experiment: ExportExperiment, tree: ExportTree, options: ExportOptions): Generator<DpoRecord> {
  const passing: { terminal: ExportNode; text: string }[] = [];
  const failing: { terminal: ExportNode; text: string }[] = [];
  const seen = new Set<string>();
  for (const terminal of tree.nodes) {
    if (!terminal.isTerminal) continue;
    const text = promptAfter(tree, stepsOf(pathTo(tree, terminal))).assistant;
    if (seen.has(text)) continue;
    seen.add(text);
    (terminal.code !== null && passesVisibleTests(terminal) ? passing : failing).push({ terminal, text });
  }
  const rootId = tree.nodes.find((n) => n.parentId === null)?.id ?? "";
  for (const chosen of passing) {
    for (const rejected of failing) {
      const { prompt, completions } = promptAndCompletions(tree.rootPrompt, [chosen.text, rejected.text], options.style);
      yield {
        prompt,
        chosen: completions[0]!,
        rejected: completions[1]!,
        provenance: {
          ...baseProvenance(experiment, tree),
          kind: "dpo",
          source: "search",
          pairs: "path",
          parentNodeId: rootId,
          chosenNodeId: chosen.terminal.id,
          rejectedNodeId: rejected.terminal.id,
          annotators: [],
          judgementIds: [],
          notes: [],
          chosenValue: chosen.terminal.reward,
          rejectedValue: rejected.terminal.reward,
        },
      };
    }
  }
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
  return {
    ...siblingStepPair(tree, pair.chosen, pair.rejected, options.style),
    provenance: {
      ...baseProvenance(experiment, tree),
      kind: "dpo",
      source: pair.source,
      pairs: "step",
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
