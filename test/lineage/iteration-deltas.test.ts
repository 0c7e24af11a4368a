import { describe, expect, it } from "vitest";
import { computeIterationDeltas, type ComparableRow } from "../../server/lineage/iteration-deltas.ts";

const row = (experimentId: string, iteration: number, mode: string, pass1: number | null, created = 0, datasetId = "d"): ComparableRow => ({
  experimentId,
  iteration,
  datasetId,
  mode,
  createdAt: new Date(created),
  pass1,
  aspr: pass1 === null ? null : pass1 / 2,
  tokensPerProblem: pass1 === null ? null : pass1 * 1000,
  tcgValidity: null,
});

describe("computeIterationDeltas", () => {
  it("compares with the nearest lower iteration of the same dataset and mode, the latest created there", () => {
    const deltas = computeIterationDeltas([
      row("v0", 0, "vanilla", 0.5),
      row("p0-old", 0, "pseudocode", 0.2, 1),
      row("p0-new", 0, "pseudocode", 0.4, 2),
      row("p2", 2, "pseudocode", 0.7), // no pseudocode experiment in iteration 1: compared with iteration 0
      row("v1", 1, "vanilla", 0.25),
      row("v1-other-dataset", 1, "vanilla", 0.9, 0, "e"),
    ]);
    expect(deltas.get("p2")!.previous).toEqual({ experimentId: "p0-new", iteration: 0 });
    expect(deltas.get("p2")!.pass1).toBeCloseTo(0.3);
    expect(deltas.get("p2")!.tokensPerProblem).toBeCloseTo(300);
    expect(deltas.get("v1")).toMatchObject({ previous: { experimentId: "v0", iteration: 0 }, pass1: -0.25, aspr: -0.125 });
    expect(deltas.get("v1-other-dataset")!.previous).toBeNull();
    expect(deltas.get("p0-new")!.previous).toBeNull();
  });

  it("leaves a delta empty when either side has no number (a running experiment)", () => {
    const deltas = computeIterationDeltas([row("a", 0, "m", 0.5), row("b", 1, "m", null), row("c", 2, "m", 0.6)]);
    expect(deltas.get("b")).toEqual({ previous: { experimentId: "a", iteration: 0 }, pass1: null, aspr: null, tokensPerProblem: null, tcgValidity: null });
    expect(deltas.get("c")).toMatchObject({ previous: { experimentId: "b", iteration: 1 }, pass1: null });
  });
});
