// The search's edge to code execution. An evaluator is built over the SEARCH-VISIBLE tests only: hidden tests judge
// final answers after the search and must never shape a reward (LATS's leak is the cautionary tale).

export interface Evaluation<Details = unknown> {
  /** The code parsed and loaded (defined its functions) without error. */
  compiles: boolean;
  /** Share of search-visible tests passed, in [0, 1]. */
  passRate: number;
  /** Per-test results or whatever the evaluator wants persisted beside the node. */
  details?: Details;
}

export type Evaluator<Details = unknown> = (code: string, options: { signal?: AbortSignal }) => Promise<Evaluation<Details>>;
