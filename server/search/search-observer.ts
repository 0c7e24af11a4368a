// Where persistence and live events plug in. The search awaits each callback before going on, so a node is stored
// before anything refers to it, and a failing store stops the search instead of silently diverging from it.
import type { Evaluation } from "./evaluator.ts";
import type { SearchNode } from "./search-node.ts";

export interface SearchObserver<Details = unknown> {
  /** Every new node, root included; terminal nodes come with the evaluation their reward came from. */
  onNodeCreated?(node: SearchNode, evaluation: Evaluation<Details> | null): void | Promise<void>;
  /** After a rollout's reward was added along `path` (root first; copies with the updated Q and N). */
  onBackpropagated?(path: readonly SearchNode[], reward: number, rolloutIndex: number): void | Promise<void>;
  /** Rollout `rolloutIndex` (0-based) is complete: persisting `rolloutIndex + 1` as rollouts done makes it resumable. */
  onRolloutDone?(rolloutIndex: number): void | Promise<void>;
}
