// The MCTS loop. Pure and deterministic given the config's seed and deterministic edges: no clock, no Math.random,
// no I/O of its own. Rollout i draws from its own stream, derived from (seed, i), so a search resumed after rollout k
// makes the same choices an uninterrupted one would.
import { ValidationError } from "../errors.ts";
import type { Evaluator } from "./evaluator.ts";
import { explorationWeight } from "./exploration-schedule.ts";
import { selectFinalAnswer } from "./final-answer.ts";
import { createRandom, deriveSeed, type RandomFactory } from "../lib/index.ts";
import { RolloutStopped, runRollout } from "./rollout.ts";
import { resolveSearchConfig, type SearchConfig, type SearchConfigInput } from "./search-config.ts";
import { copyNode, type SearchNode } from "./search-node.ts";
import type { SearchObserver } from "./search-observer.ts";
import { SearchTree } from "./search-tree.ts";
import type { StepPolicy } from "./step-policy.ts";
import type { StepScorer } from "./step-scorer.ts";

export interface SearchEdges<Details = unknown> {
  policy: StepPolicy;
  /** Scores code on the search-visible tests only. */
  evaluate: Evaluator<Details>;
  /** PRNG constructor; sfc32 by default. */
  random?: RandomFactory;
  observer?: SearchObserver<Details>;
  /** Cancels the search: passed to the policy and the evaluator, checked between steps. */
  signal?: AbortSignal;
  /** Polled between rollouts and expansions (e.g. "the run lost its claim"). */
  shouldStop?: () => boolean;
  /** A process reward model scoring each expansion's new steps (stored as prmScore; used by selection if config.guide says so). */
  scoreSteps?: StepScorer;
}

/** Everything a search needs to continue: persist these two and the tree can be resumed. */
export interface SearchState {
  nodes: readonly SearchNode[];
  rolloutsDone: number;
}

export interface SearchResult extends SearchState {
  nodes: SearchNode[];
  /** Best terminal by value (see final-answer.ts), null if no path reached code. */
  finalAnswer: SearchNode | null;
  status: "completed" | "cancelled";
}

export async function runSearch<D>(config: SearchConfigInput, edges: SearchEdges<D>): Promise<SearchResult> {
  const resolved = resolveSearchConfig(config);
  const tree = SearchTree.create();
  await edges.observer?.onNodeCreated?.(copyNode(tree.root), null);
  return continueSearch(tree, 0, resolved, edges);
}

export async function resumeSearch<D>(state: SearchState, config: SearchConfigInput, edges: SearchEdges<D>): Promise<SearchResult> {
  const resolved = resolveSearchConfig(config);
  if (!Number.isInteger(state.rolloutsDone) || state.rolloutsDone < 0) {
    throw new ValidationError(`must be an integer ≥ 0, got ${state.rolloutsDone}`, "search state rolloutsDone");
  }
  return continueSearch(SearchTree.fromNodes(state.nodes), state.rolloutsDone, resolved, edges);
}

function stopCheck(edges: SearchEdges<unknown>): () => boolean {
  return () => edges.signal?.aborted === true || edges.shouldStop?.() === true;
}

async function continueSearch<D>(
  tree: SearchTree,
  rolloutsDone: number,
  config: SearchConfig,
  edges: SearchEdges<D>,
): Promise<SearchResult> {
  const stopped = stopCheck(edges);
  const makeRandom = edges.random ?? createRandom;
  let done = rolloutsDone;
  for (let i = rolloutsDone; i < config.rollouts; i += 1) {
    if (stopped()) return finish(tree, done, "cancelled");
    const context = {
      tree,
      policy: edges.policy,
      evaluate: edges.evaluate,
      config,
      random: makeRandom(deriveSeed(config.seed, i)),
      observer: edges.observer,
      signal: edges.signal,
      scoreSteps: edges.scoreSteps,
    };
    const c = explorationWeight(config.schedule, config.explorationWeight, i, config.rollouts);
    try {
      const { path, reward } = await runRollout(c, context, stopped);
      await edges.observer?.onBackpropagated?.(path.map(copyNode), reward, i);
    } catch (error) {
      // An edge failing because we were cancelled (an aborted LLM request) is a cancel, not a failure.
      if (error instanceof RolloutStopped || stopped()) return finish(tree, done, "cancelled");
      throw error;
    }
    done = i + 1;
    await edges.observer?.onRolloutDone?.(i);
  }
  return finish(tree, done, "completed");
}

function finish(tree: SearchTree, rolloutsDone: number, status: SearchResult["status"]): SearchResult {
  const nodes = tree.snapshot();
  return { nodes, rolloutsDone, finalAnswer: selectFinalAnswer(nodes), status };
}
