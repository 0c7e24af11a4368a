/**
 * Why an experiment's Pass@1-vs-tokens curve has no points, given how many of its problems are judged: before the
 * first is judged there is nothing to draw yet; judged trees leave none when they predate recorded curves, or when
 * none of them reached an answer.
 */
export function emptyCurveNote(judgedProblems: number): string {
  return judgedProblems > 0 ? "no curve: none of its judged trees recorded one" : "no curve yet: no problem judged";
}
