// SFT records: the successful paths of each tree — every step from the root to a terminal whose code passes, the code
// step included — as TRL prompt-completion pairs (prompt = the problem's root prompt, completion = the whole
// assistant text of the path, step framing and all, exactly as the search built it).
import { computeRolloutLabels, passesVisibleTests, pathPhi, type PathPhi, type StepLabel } from "../prm/index.ts";
import type { ExportOptions } from "./export-options.ts";
import { pathTo, promptAfter, stepsOf, type ExportExperiment, type ExportNode, type ExportTree } from "./export-tree.ts";
import { resolvePhi } from "./path-phi.ts";
import { baseProvenance, type BaseProvenance } from "./provenance.ts";
import { promptAndCompletions, type TextOrMessages } from "./record-text.ts";

export interface SftRecord {
  prompt: TextOrMessages;
  completion: TextOrMessages;
  provenance: BaseProvenance & {
    kind: "sft";
    /** Root first, terminal last. */
    nodeIds: string[];
    terminalNodeId: string;
    /** What made the path successful: all search-visible tests (reward 1) or all hidden tests. */
    success: "visible" | "hidden";
    /** The terminal's pass rate on the search-visible tests. */
    reward: number | null;
    /** Whether the terminal passes the hidden tests (null when it was not judged). */
    hiddenPasses: boolean | null;
    isFinalAnswer: boolean;
  } & PathPhi;
}

/** Does this terminal count as a success under the chosen notion? */
export function terminalSucceeds(tree: ExportTree, terminal: ExportNode, success: ExportOptions["success"]): boolean {
  if (terminal.code === null) return false;
  return success === "visible" ? passesVisibleTests(terminal) : tree.hiddenPasses.get(terminal.id) === true;
}

export function rolloutLabels(tree: ExportTree, success: ExportOptions["success"]): Map<string, StepLabel> {
  return computeRolloutLabels(tree.nodes, (terminal) => terminalSucceeds(tree, terminal, success));
}

export function* sftRecords(experiment: ExportExperiment, tree: ExportTree, options: ExportOptions): Generator<SftRecord> {
  const labels = rolloutLabels(tree, options.success);
  const phi = resolvePhi(experiment, options.phi);
  const seen = new Set<string>();
  for (const terminal of tree.nodes) {
    if (!terminal.isTerminal || !terminalSucceeds(tree, terminal, options.success)) continue;
    const path = pathTo(tree, terminal);
    const steps = stepsOf(path);
    const text = promptAfter(tree, steps).assistant;
    // Two terminals can hold the same path text (the policy sampled the same steps twice): one record is enough.
    if (seen.has(text)) continue;
    seen.add(text);
    const { prompt, completions } = promptAndCompletions(tree.rootPrompt, [text], options.style);
    yield {
      prompt,
      completion: completions[0]!,
      provenance: {
        ...baseProvenance(experiment, tree),
        kind: "sft",
        nodeIds: path.map((n) => n.id),
        terminalNodeId: terminal.id,
        success: options.success,
        reward: terminal.reward,
        hiddenPasses: tree.hiddenPasses.get(terminal.id) ?? null,
        isFinalAnswer: tree.finalNodeId === terminal.id,
        ...pathPhi(steps, terminal, labels, phi),
      },
    };
  }
}
