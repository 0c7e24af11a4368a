// What a lineage row's Δ is computed on (server/lineage/iteration-deltas.ts), in words for the lineage page and the CLI.

export interface DeltaBasis {
  previous: { iteration: number } | null;
  commonProblems: number | null;
  sameProblems: boolean | null;
}

/** "same 40 problems", "on the 12 problems in common", "not comparable: …"; null when there is no Δ to explain. */
export function describeDeltaBasis(delta: DeltaBasis): { text: string; comparable: boolean } | null {
  if (delta.previous === null || delta.commonProblems === null) return null;
  const k = delta.previous.iteration;
  const problems = (n: number) => `${n} problem${n === 1 ? "" : "s"}`;
  if (delta.commonProblems === 0) return { text: `Δ not comparable: no problem in common with iteration ${k}`, comparable: false };
  if (delta.sameProblems) return { text: `Δ on the same ${problems(delta.commonProblems)} as iteration ${k}`, comparable: true };
  return { text: `Δ on the ${problems(delta.commonProblems)} in common with iteration ${k} only`, comparable: true };
}
