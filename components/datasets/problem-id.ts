/** A dataset id that is just the problem's position (starter, MBPP task ids in order) is not shown twice ("#1 1"). */
export function problemIdShown(t: { problemExternalId: string; problemOrdinal: number }): boolean {
  return t.problemExternalId !== String(t.problemOrdinal);
}
