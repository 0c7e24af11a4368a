// Math-Shepherd's step labels: from each step, k completions sampled independently by the policy (each continued
// step by step to a terminal, never guided by the search) and scored on the search-visible tests; a step's label is
// the share of its k completions that pass them all. Unlike the visit-weighted labels (rollout-labels.ts), where
// UCT decided how many rollouts went below each step, every step gets the same k unbiased samples. It costs about
// k·(remaining depth) policy calls per step; the caller bills them (LabelSamplingTally) apart from the search's.
import { deriveSeed } from "../lib/index.ts";
import type { Evaluator, SearchNode, StepPolicy } from "../search/index.ts";

export interface SampledLabelOptions {
  policy: StepPolicy;
  evaluate: Evaluator;
  /** k: completions per step. */
  samplesPerStep: number;
  /** The search's depth limit: a completion that reaches it without code fails. */
  maxDepth: number;
  /** The tree's search seed; each step's samples get seeds derived from it and the step's seq. */
  seed: number;
  signal?: AbortSignal;
}

export interface LabelSamplingTally {
  /** Policy requests made (one per step of every sampled completion, the first shared by the k samples). */
  calls: number;
  promptTokens: number;
  completionTokens: number;
}

/** Salt that keeps label-sampling seeds apart from the search's expansion seeds. */
const LABEL_SEED = 0x1abe1;

/** A terminal step needs no sampling: its own code is its only completion. */
function terminalPasses(node: SearchNode): boolean {
  return node.code !== null && node.reward !== null && node.reward >= 1 - 1e-9;
}

/**
 * Labels keyed by node id (the root: null). Steps are sampled one after another and each step's k completions
 * concurrently; a cancel (signal) rejects.
 */
export async function sampleStepLabels(nodes: readonly SearchNode[], options: SampledLabelOptions): Promise<{ labels: Map<string, number | null>; tally: LabelSamplingTally }> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const tally: LabelSamplingTally = { calls: 0, promptTokens: 0, completionTokens: 0 };
  const labels = new Map<string, number | null>();
  const propose = async (steps: readonly string[], n: number, seed: number) => {
    const proposal = await options.policy.proposeSteps({ steps, n, seed, signal: options.signal });
    tally.calls += 1;
    tally.promptTokens += proposal.usage.promptTokens;
    tally.completionTokens += proposal.usage.completionTokens;
    return proposal.steps;
  };
  const passes = async (code: string | null) => code !== null && (await options.evaluate(code, { signal: options.signal })).passRate >= 1 - 1e-9;

  for (const node of nodes) {
    if (node.parentId === null) {
      labels.set(node.id, null);
      continue;
    }
    if (node.isTerminal || node.depth >= options.maxDepth) {
      labels.set(node.id, terminalPasses(node) ? 1 : 0);
      continue;
    }
    const path: string[] = [];
    for (let at: SearchNode | undefined = node; at && at.parentId !== null; at = byId.get(at.parentId)) path.unshift(at.stepText);
    // The k first steps come from one request (the prefix is processed once); each then continues on its own.
    const firsts = await propose(path, options.samplesPerStep, deriveSeed(options.seed, LABEL_SEED, node.seq) >>> 1);
    const outcomes = await Promise.all(
      firsts.map(async (first, i) => {
        const steps = [...path, first.text];
        let last = first;
        for (let depth = node.depth + 1; !last.isTerminal && depth < options.maxDepth; depth++) {
          const [next] = await propose([...steps], 1, deriveSeed(options.seed, LABEL_SEED, node.seq, i + 1, depth) >>> 1);
          if (!next) break;
          steps.push(next.text);
          last = next;
        }
        return passes(last.code);
      }),
    );
    labels.set(node.id, outcomes.length === 0 ? null : outcomes.filter(Boolean).length / outcomes.length);
  }
  return { labels, tally };
}
