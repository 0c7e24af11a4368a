// PRM records from rollout labels (no PRM needed): TRL stepwise supervision — prompt, completions (steps), labels —
// each step labelled hard (bool: some completion below it passes) or visit-weighted (float: the visit-weighted share
// that passes) from computeRolloutLabels. Each distinct step is labelled once: paths are walked terminal by terminal,
// and the part of a path an earlier record already labelled moves into the prompt as unlabelled context, so a step
// shared by several paths is not repeated (and over-weighted) once per terminal. Steps are told apart by their text
// (the prefix that reaches them), so identical sibling copies count as one step with their completions summed.
// The pair-wise variant gives sibling steps as preference pairs instead: chosen = the sibling with the better label
// (hard: one reaches a passing terminal and the other does not; visit-weighted: labels at least `margin` apart).
import { pathPhi, type PathPhi, type StepLabel } from "../prm/index.ts";
import type { ExportOptions, LabelKind } from "./export-options.ts";
import {
  pathTo,
  siblingStepPair,
  stepsOf,
  type ExportExperiment,
  type ExportNode,
  type ExportTree,
} from "./export-tree.ts";
import { resolvePhi } from "./path-phi.ts";
import { baseProvenance, type BaseProvenance } from "./provenance.ts";
import type { TextOrMessages } from "./record-text.ts";
import { rolloutLabels } from "./sft.ts";
import { toRawText } from "../reasoning/index.ts";

export interface PrmRecord {
  prompt: string;
  /** One entry per step, each the exact text the path grew by (step opener, the step, its closer). */
  completions: string[];
  labels: boolean[] | number[];
  provenance: BaseProvenance & {
    kind: "prm";
    nodeIds: string[];
    terminalNodeId: string;
    /** Steps of the path already labelled by an earlier record, given in the prompt without labels. */
    contextSteps: number;
    labelKind: LabelKind;
    success: "visible" | "hidden";
    /** Per labelled step: completions below it, and how many of them passed (the counts behind the labels). */
    completionsBelow: number[];
    passingBelow: number[];
    reward: number | null;
  } & PathPhi;
}

export interface PrmPairRecord {
  prompt: TextOrMessages;
  chosen: TextOrMessages;
  rejected: TextOrMessages;
  provenance: BaseProvenance & {
    kind: "prm-pairwise";
    parentNodeId: string;
    chosenNodeId: string;
    rejectedNodeId: string;
    labelKind: LabelKind;
    success: "visible" | "hidden";
    chosenLabel: number;
    rejectedLabel: number;
  };
}

export function* prmRecords(experiment: ExportExperiment, tree: ExportTree, options: ExportOptions): Generator<PrmRecord | PrmPairRecord> {
  const labels = rolloutLabels(tree, options.success);
  if (options.pairwise) yield* prmPairs(experiment, tree, labels, options);
  else yield* prmPaths(experiment, tree, labels, options);
}

/** Completions below every distinct prefix (the framed text of the path up to and including a step), summed. */
function labelsByPrefix(steps: (node: ExportNode) => string, nodes: readonly ExportNode[], labels: Map<string, StepLabel>) {
  const byPrefix = new Map<string, { completions: number; passing: number }>();
  for (const node of nodes) {
    const label = labels.get(node.id);
    if (node.parentId === null || !label || label.hard === null) continue;
    const key = steps(node);
    const sum = byPrefix.get(key) ?? { completions: 0, passing: 0 };
    byPrefix.set(key, { completions: sum.completions + label.completions, passing: sum.passing + label.passing });
  }
  return byPrefix;
}

function* prmPaths(experiment: ExportExperiment, tree: ExportTree, labels: Map<string, StepLabel>, options: ExportOptions): Generator<PrmRecord> {
  const format = tree.mode.stepFormat;
  const phi = resolvePhi(experiment, options.phi);
  const framedStep = (node: ExportNode, i: number) => `${format.open(i + 1)}${node.stepText}${format.close}`;
  const prefixText = new Map<string, string>();
  const prefixOf = (node: ExportNode): string => {
    let text = prefixText.get(node.id);
    if (text === undefined) {
      const steps = stepsOf(pathTo(tree, node));
      text = steps.map(framedStep).join("");
      prefixText.set(node.id, text);
    }
    return text;
  };
  const counts = labelsByPrefix(prefixOf, tree.nodes, labels);
  const labelled = new Set<string>();
  const rootText = toRawText(tree.rootPrompt);
  for (const terminal of tree.nodes) {
    if (!terminal.isTerminal) continue;
    const path = pathTo(tree, terminal);
    const steps = stepsOf(path);
    const keys = steps.map(prefixOf);
    const first = keys.findIndex((key) => !labelled.has(key));
    if (first < 0) continue; // the whole path repeats one already exported (identical sibling copies)
    const fresh = steps.slice(first);
    // Every step on a path to a terminal has that terminal below it, so its counts are never missing.
    const stepCounts = keys.slice(first).map((key) => counts.get(key)!);
    for (const key of keys.slice(first)) labelled.add(key);
    yield {
      prompt: rootText + (first > 0 ? keys[first - 1]! : ""),
      completions: fresh.map((s, i) => framedStep(s, first + i)),
      labels: stepLabels(options.labels, stepCounts, fresh),
      provenance: {
        ...baseProvenance(experiment, tree),
        kind: "prm",
        nodeIds: path.map((n) => n.id),
        terminalNodeId: terminal.id,
        contextSteps: first,
        labelKind: options.labels,
        success: options.success,
        completionsBelow: stepCounts.map((c) => c.completions),
        passingBelow: stepCounts.map((c) => c.passing),
        reward: terminal.reward,
        ...pathPhi(steps, terminal, labels, phi),
      },
    };
  }
}

/**
 * hard: booleans from the rollouts below; visit-weighted: their visit-weighted share; sampled: the Math-Shepherd
 * share of k independent completions the search stored as the step's PRM score (prm.labels: sampled).
 */
function stepLabels(kind: LabelKind, counts: readonly { completions: number; passing: number }[], steps: readonly ExportNode[]): boolean[] | number[] {
  if (kind === "hard") return counts.map((c) => c.passing > 0);
  if (kind === "visit-weighted") return counts.map((c) => c.passing / c.completions);
  return steps.map((s) => s.prmScore ?? 0);
}

function labelValue(node: ExportNode, label: StepLabel | undefined, kind: LabelKind): number | null {
  if (kind === "sampled") return node.prmScore;
  if (!label || label.hard === null) return null;
  return kind === "hard" ? (label.hard ? 1 : 0) : label.visitWeighted;
}

function* prmPairs(experiment: ExportExperiment, tree: ExportTree, labels: Map<string, StepLabel>, options: ExportOptions): Generator<PrmPairRecord> {
  for (const [parentId, siblings] of tree.children) {
    for (let i = 0; i < siblings.length; i++) {
      for (let j = i + 1; j < siblings.length; j++) {
        const pair = orderedPair(siblings[i]!, siblings[j]!, labels, options);
        if (!pair) continue;
        yield {
          ...siblingStepPair(tree, pair.chosen, pair.rejected, options.style),
          provenance: {
            ...baseProvenance(experiment, tree),
            kind: "prm-pairwise",
            parentNodeId: parentId,
            chosenNodeId: pair.chosen.id,
            rejectedNodeId: pair.rejected.id,
            labelKind: options.labels,
            success: options.success,
            chosenLabel: pair.chosenLabel,
            rejectedLabel: pair.rejectedLabel,
          },
        };
      }
    }
  }
}

/** Better label first; null when either has no label or they are too close (hard: equal; visit-weighted: gap < margin, or 0). */
function orderedPair(a: ExportNode, b: ExportNode, labels: Map<string, StepLabel>, options: ExportOptions) {
  const la = labelValue(a, labels.get(a.id), options.labels);
  const lb = labelValue(b, labels.get(b.id), options.labels);
  if (la === null || lb === null || la === lb || Math.abs(la - lb) < options.margin) return null;
  return la > lb ? { chosen: a, rejected: b, chosenLabel: la, rejectedLabel: lb } : { chosen: b, rejected: a, chosenLabel: lb, rejectedLabel: la };
}
