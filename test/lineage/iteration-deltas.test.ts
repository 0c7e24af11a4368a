import { describe, expect, it } from "vitest";
import type { ProblemOutcome } from "../../server/evaluation/index.ts";
import { computeIterationDeltas, type ComparableRow } from "../../server/lineage/iteration-deltas.ts";
import { describeDeltaBasis } from "../../server/contracts/index.ts";

/** A scored problem: solved or not, its terminals' verdicts, its tokens. */
const outcome = (problemId: string, solved: boolean, tokens = 1000, terminals: boolean[] = [solved]): ProblemOutcome => ({
  problemId,
  finalAnswerPasses: solved,
  terminalPasses: terminals,
  promptTokens: tokens / 2,
  completionTokens: tokens / 2,
  llmCalls: 1,
});

/** `solved` of problems p1..pN solved (the first ones), the rest not; null: no metrics yet. */
const problems = (n: number, solved: number, first = 1): ProblemOutcome[] =>
  Array.from({ length: n }, (_, i) => outcome(`p${first + i}`, i < solved));

const row = (experimentId: string, iteration: number, mode: string, outcomes: ProblemOutcome[] | null, created = 0, datasetId = "d"): ComparableRow => ({
  experimentId,
  iteration,
  datasetId,
  mode,
  createdAt: new Date(created),
  outcomes,
  tcgValidity: null,
});

describe("computeIterationDeltas", () => {
  it("compares with the nearest lower iteration of the same dataset and mode, the latest created there", () => {
    const deltas = computeIterationDeltas([
      row("v0", 0, "vanilla", problems(4, 2)),
      row("p0-old", 0, "pseudocode", problems(10, 2), 1),
      row("p0-new", 0, "pseudocode", problems(10, 4), 2),
      row("p2", 2, "pseudocode", problems(10, 7)), // no pseudocode experiment in iteration 1: compared with iteration 0
      row("v1", 1, "vanilla", problems(4, 1)),
      row("v1-other-dataset", 1, "vanilla", problems(4, 4), 0, "e"),
    ]);
    expect(deltas.get("p2")).toMatchObject({ previous: { experimentId: "p0-new", iteration: 0 }, commonProblems: 10, sameProblems: true });
    expect(deltas.get("p2")!.pass1).toBeCloseTo(0.3);
    expect(deltas.get("p2")!.aspr).toBeCloseTo(0.3);
    expect(deltas.get("p2")!.tokensPerProblem).toBe(0);
    expect(deltas.get("v1")).toMatchObject({ previous: { experimentId: "v0", iteration: 0 }, pass1: -0.25, aspr: -0.25 });
    expect(deltas.get("v1-other-dataset")!.previous).toBeNull();
    expect(deltas.get("p0-new")).toMatchObject({ previous: null, commonProblems: null, sameProblems: null });
  });

  it("compares on the problems both iterations scored, and says how many", () => {
    // Iteration 0 solved p1–p5 of p1–p10; iteration 1 ran p6–p20 and solved p6–p10 and nothing else. On the whole
    // sets Pass@1 falls from 50% to 33%; on the five problems in common (p6–p10) it rises from 0% to 100%.
    const before = [...problems(5, 5, 1), ...problems(5, 0, 6)];
    const after = [...problems(5, 5, 6), ...problems(10, 0, 11)];
    const delta = computeIterationDeltas([row("a", 0, "m", before), row("b", 1, "m", after)]).get("b")!;
    expect(delta).toMatchObject({ commonProblems: 5, sameProblems: false, pass1: 1, aspr: 1, tokensPerProblem: 0 });
    expect(describeDeltaBasis(delta)).toEqual({ text: "Δ on the 5 problems in common with iteration 0 only", comparable: true });
  });

  it("tokens per problem compare on the common problems too", () => {
    const before = [outcome("p1", true, 1000), outcome("p2", true, 3000)];
    const after = [outcome("p2", true, 2000), outcome("p3", true, 9000)];
    expect(computeIterationDeltas([row("a", 0, "m", before), row("b", 1, "m", after)]).get("b")!.tokensPerProblem).toBe(-1000);
  });

  it("marks a row with no problem in common as not comparable", () => {
    const delta = computeIterationDeltas([row("a", 0, "m", problems(5, 5, 1)), row("b", 1, "m", problems(5, 0, 6))]).get("b")!;
    expect(delta).toMatchObject({ commonProblems: 0, sameProblems: false, pass1: null, aspr: null, tokensPerProblem: null });
    expect(describeDeltaBasis(delta)).toEqual({ text: "Δ not comparable: no problem in common with iteration 0", comparable: false });
  });

  it("leaves a delta empty when either side has no metrics yet (a running experiment)", () => {
    const deltas = computeIterationDeltas([row("a", 0, "m", problems(2, 1)), row("b", 1, "m", null), row("c", 2, "m", problems(2, 2))]);
    expect(deltas.get("b")).toEqual({ previous: { experimentId: "a", iteration: 0 }, commonProblems: null, sameProblems: null, pass1: null, aspr: null, tokensPerProblem: null, tcgValidity: null });
    expect(deltas.get("c")).toMatchObject({ previous: { experimentId: "b", iteration: 1 }, pass1: null });
    expect(describeDeltaBasis(deltas.get("b")!)).toBeNull();
    expect(describeDeltaBasis(computeIterationDeltas([row("a", 0, "m", problems(3, 1)), row("b", 1, "m", problems(3, 2))]).get("b")!)).toEqual({
      text: "Δ on the same 3 problems as iteration 0",
      comparable: true,
    });
  });
});
