// Expansion: one policy request for n children of a leaf; terminal children are evaluated on the search-visible tests
// right away, so every terminal in the tree has a reward (ASPR counts all sampled terminals, visited or not).
// Samples with identical text become one child that counts its copies (SearchNode.copies).
import type { Evaluation, Evaluator } from "./evaluator.ts";
import { NO_CODE_EVALUATION, computeReward } from "./reward.ts";
import { deriveSeed, type Random } from "../lib/index.ts";
import type { SearchConfig } from "./search-config.ts";
import { SearchError } from "./search-error.ts";
import { copyNode, type SearchNode } from "./search-node.ts";
import type { SearchObserver } from "./search-observer.ts";
import type { SearchTree } from "./search-tree.ts";
import type { ProposedStep, StepPolicy } from "./step-policy.ts";
import type { StepScorer } from "./step-scorer.ts";
import { attributeUsage } from "./token-attribution.ts";

export interface ExpansionContext<Details = unknown> {
  tree: SearchTree;
  policy: StepPolicy;
  evaluate: Evaluator<Details>;
  config: Pick<SearchConfig, "seed" | "children" | "maxDepth" | "alpha"> & Partial<Pick<SearchConfig, "guide" | "mergeIdenticalSiblings">>;
  /** Scores the new siblings with a PRM; without it every node's prmScore stays null. */
  scoreSteps?: StepScorer;
  /** The rollout's stream, for selection among children; expansion seeds do not draw from it (see expansionSeed). */
  random: Random;
  observer?: SearchObserver<Details>;
  signal?: AbortSignal;
}

function isTerminalAt(step: ProposedStep, depth: number, maxDepth: number): boolean {
  return step.isTerminal || depth >= maxDepth;
}

async function evaluateTerminal<D>(step: ProposedStep, depth: number, context: ExpansionContext<D>) {
  if (!isTerminalAt(step, depth, context.config.maxDepth) || step.code === null) return null;
  return context.evaluate(step.code, { signal: context.signal });
}

/** Salt that keeps expansion seeds apart from the rollout streams derived from the same search seed. */
const EXPANSION_SEED_LABEL = 0x5eed;

/**
 * The sampling seed of a node's one expansion depends only on the search seed and the node's seq, not on how much of
 * a random stream was used before: a search resumed from nodes persisted mid-rollout asks for the same samples.
 */
export function expansionSeed(searchSeed: number, parentSeq: number): number {
  return deriveSeed(searchSeed, EXPANSION_SEED_LABEL, parentSeq) >>> 1;
}

/** One scorer call for all siblings (the PRM batches them); a non-finite score is stored as none. */
async function scoreSiblings<D>(pathSteps: readonly string[], siblings: readonly ProposedStep[], context: ExpansionContext<D>) {
  if (!context.scoreSteps) return [];
  const requests = siblings.map((step) => ({ steps: [...pathSteps, step.text] }));
  const scores = await context.scoreSteps(requests, { signal: context.signal });
  if (scores.length !== requests.length) throw new SearchError(`the step scorer returned ${scores.length} scores for ${requests.length} steps`);
  // Number.isFinite is false for null too (it does not coerce).
  return scores.map((score) => (Number.isFinite(score) ? score : null));
}

type Usage = { promptTokens: number; completionTokens: number };
type Sample = { step: ProposedStep; copies: number; tokens: Usage };

/**
 * One entry per distinct step text, in first-sample order, with how many samples wrote it and all their tokens (the
 * request spent them whether or not the text repeats, so they stay billed to the tree).
 */
function mergeIdenticalSamples(samples: readonly Sample[]): Sample[] {
  const byText = new Map<string, Sample>();
  for (const { step, tokens } of samples) {
    const seen = byText.get(step.text);
    if (seen) {
      seen.copies += 1;
      seen.tokens = { promptTokens: seen.tokens.promptTokens + tokens.promptTokens, completionTokens: seen.tokens.completionTokens + tokens.completionTokens };
    } else byText.set(step.text, { step, copies: 1, tokens: { ...tokens } });
  }
  return [...byText.values()];
}

export async function expandNode<D>(parent: SearchNode, context: ExpansionContext<D>): Promise<SearchNode[]> {
  const { tree, config } = context;
  if (parent.isTerminal) throw new SearchError(`node ${parent.id} is terminal and cannot be expanded`);
  if (tree.childrenOf(parent.id).length > 0) throw new SearchError(`node ${parent.id} is already expanded`);
  const steps = tree.pathTo(parent.id).slice(1).map((node) => node.stepText);
  const proposal = await context.policy.proposeSteps({
    steps,
    n: config.children,
    seed: expansionSeed(config.seed, parent.seq),
    signal: context.signal,
  });
  if (proposal.steps.length === 0) throw new SearchError(`the policy proposed no steps for node ${parent.id}`);

  const depth = parent.depth + 1;
  // attributeUsage gives one entry per step.
  const samples = attributeUsage(proposal.steps, proposal.usage).map((tokens, i) => ({ step: proposal.steps[i] as ProposedStep, copies: 1, tokens }));
  const distinct = (config.mergeIdenticalSiblings ?? true) ? mergeIdenticalSamples(samples) : samples;
  const [evaluations, prmScores] = await Promise.all([
    Promise.all(distinct.map(({ step }): Promise<Evaluation<D> | null> => evaluateTerminal(step, depth, context))),
    scoreSiblings(steps, distinct.map(({ step }) => step), context),
  ]);

  const created: SearchNode[] = [];
  for (const [i, { step, copies, tokens }] of distinct.entries()) {
    const terminal = isTerminalAt(step, depth, config.maxDepth);
    const evaluation = evaluations[i] ?? null;
    const node = tree.addChild(parent, {
      actionKind: step.actionKind,
      stepText: step.text,
      code: step.code,
      prior: step.prior ?? null,
      prmScore: prmScores[i] ?? null,
      isTerminal: terminal,
      reward: terminal ? computeReward(evaluation ?? NO_CODE_EVALUATION, config.alpha) : null,
      copies,
      promptTokens: tokens.promptTokens,
      completionTokens: tokens.completionTokens,
    });
    await context.observer?.onNodeCreated?.(copyNode(node), evaluation);
    created.push(node);
  }
  return created;
}
