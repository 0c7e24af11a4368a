// PRM records from rollout labels (Math-Shepherd, no PRM needed): one TRL stepwise-supervision record per root-to-
// terminal path, passing or not — prompt = the problem's root prompt, completions = the path's steps, labels = each
// step's hard (bool) or soft (share in [0, 1]) label from computeRolloutLabels. The pair-wise variant gives sibling
// steps as preference pairs instead: chosen = the sibling with the better label (hard: one reaches a passing terminal
// and the other does not; soft: labels at least `margin` apart).
import type { StepLabel } from "../prm/index.ts";
import type { ExportOptions } from "./export-options.ts";
import {
  generatedStepText,
  pathTo,
  requestPromptFor,
  stepsOf,
  type ExportExperiment,
  type ExportNode,
  type ExportTree,
} from "./export-tree.ts";
import { pathPhi, resolvePhi } from "./path-phi.ts";
import { baseProvenance, type BaseProvenance } from "./provenance.ts";
import { promptAndCompletions, type TextOrMessages } from "./record-text.ts";
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
    labelKind: "hard" | "soft";
    success: "visible" | "hidden";
    /** Per step: completions below it, and how many of them passed (the counts behind the labels). */
    completionsBelow: number[];
    passingBelow: number[];
    reward: number | null;
    phi: number;
    phiAlpha: number;
    phiT: number;
    stepRewards: number[];
  };
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
    labelKind: "hard" | "soft";
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

function* prmPaths(experiment: ExportExperiment, tree: ExportTree, labels: Map<string, StepLabel>, options: ExportOptions): Generator<PrmRecord> {
  const format = tree.mode.stepFormat;
  const phi = resolvePhi(experiment, options.phi);
  for (const terminal of tree.nodes) {
    if (!terminal.isTerminal) continue;
    const path = pathTo(tree, terminal);
    const steps = stepsOf(path);
    // Every step on a path to a terminal has that terminal below it, so its label is never null.
    const stepLabels = steps.map((s) => labels.get(s.id)!);
    yield {
      prompt: toRawText(tree.rootPrompt),
      completions: steps.map((s, i) => `${format.open(i + 1)}${s.stepText}${format.close}`),
      labels: options.labels === "hard" ? stepLabels.map((l) => l.hard === true) : stepLabels.map((l) => l.soft ?? 0),
      provenance: {
        ...baseProvenance(experiment, tree),
        kind: "prm",
        nodeIds: path.map((n) => n.id),
        terminalNodeId: terminal.id,
        labelKind: options.labels,
        success: options.success,
        completionsBelow: stepLabels.map((l) => l.completions),
        passingBelow: stepLabels.map((l) => l.passing),
        reward: terminal.reward,
        ...pathPhi(steps, terminal, labels, phi),
      },
    };
  }
}

function labelValue(label: StepLabel | undefined, kind: "hard" | "soft"): number | null {
  if (!label || label.hard === null) return null;
  return kind === "hard" ? (label.hard ? 1 : 0) : label.soft;
}

function* prmPairs(experiment: ExportExperiment, tree: ExportTree, labels: Map<string, StepLabel>, options: ExportOptions): Generator<PrmPairRecord> {
  for (const [parentId, siblings] of tree.children) {
    for (let i = 0; i < siblings.length; i++) {
      for (let j = i + 1; j < siblings.length; j++) {
        const pair = orderedPair(siblings[i]!, siblings[j]!, labels, options);
        if (!pair) continue;
        const { prompt, completions } = promptAndCompletions(requestPromptFor(tree, pair.chosen), [generatedStepText(tree, pair.chosen), generatedStepText(tree, pair.rejected)], options.style);
        yield {
          prompt,
          chosen: completions[0]!,
          rejected: completions[1]!,
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

/** Better label first; null when either has no label or they are too close (hard: equal; soft: gap < margin, or 0). */
function orderedPair(a: ExportNode, b: ExportNode, labels: Map<string, StepLabel>, options: ExportOptions) {
  const la = labelValue(labels.get(a.id), options.labels);
  const lb = labelValue(labels.get(b.id), options.labels);
  if (la === null || lb === null || la === lb || Math.abs(la - lb) < options.margin) return null;
  return la > lb ? { chosen: a, rejected: b, chosenLabel: la, rejectedLabel: lb } : { chosen: b, rejected: a, chosenLabel: lb, rejectedLabel: la };
}
