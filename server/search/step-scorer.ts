// The search's edge to a process reward model (server/prm builds it): after an expansion, one call scores all the
// new sibling steps. The search only stores the scores (and, when asked, blends them into selection, see
// select-child.ts); it never needs them, so a scorer that fails for one step returns null for it instead of throwing.

export interface StepScoreRequest {
  /** Step texts from depth 1 down to and including the step to score. */
  steps: readonly string[];
}

/** One score (or null) per request, in request order. Throwing is reserved for cancellation (an aborted signal). */
export type StepScorer = (requests: readonly StepScoreRequest[], options: { signal?: AbortSignal }) => Promise<ReadonlyArray<number | null>>;
