// How a mode spends the search budget. Tree modes (vanilla, pseudocode) search exactly as configured. The sampling
// baseline spends the same knob, `rollouts` = n, on n independent one-shot replies: one request with n choices below
// the root, depth 1, no tree search; pass@k over these i.i.d. samples is the unbiased estimator.
import type { ReasoningModeName } from "./experiment-config.ts";
import type { SearchParams } from "./search-config.ts";

export function searchParamsForMode(mode: ReasoningModeName, search: SearchParams): SearchParams {
  return mode === "sampling" ? { ...search, rollouts: 1, children: search.rollouts, maxDepth: 1 } : search;
}
