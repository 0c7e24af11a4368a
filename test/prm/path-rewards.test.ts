// ϕ per complete path on a hand-checked tree under each step-score source, t resolution; and rollout mode's scores
// (visit-weighted labels for every node).
import { describe, expect, it } from "vitest";
import { REFERENCE_COMBINED_REWARD } from "../../server/prm/combined-reward.ts";
import { pathRewards, resolvePhiT, stepScore } from "../../server/prm/path-rewards.ts";
import { rolloutPrmScores } from "../../server/prm/rollout-scores.ts";
import { makeNode } from "../fixtures/search-nodes.ts";

//   0 root
//   ├─ 1 (prm 0.8, N 3)
//   │  ├─ 3 terminal, reward 1 (prm 0.9, N 2)
//   │  └─ 4 terminal, reward 0.5 (no prm, N 1, Q 0.5)
//   └─ 2 (no prm, N 1, Q 0.25)
//      └─ 5 terminal, reward 0 (prm 0.2, N 1)
const tree = [
  makeNode({ seq: 0, visits: 4 }),
  makeNode({ seq: 1, visits: 3, prmScore: 0.8 }),
  makeNode({ seq: 2, visits: 1, valueSum: 0.25 }),
  makeNode({ seq: 3, parentId: "1", depth: 2, visits: 2, isTerminal: true, reward: 1, prmScore: 0.9 }),
  makeNode({ seq: 4, parentId: "1", depth: 2, visits: 1, valueSum: 0.5, isTerminal: true, reward: 0.5 }),
  makeNode({ seq: 5, parentId: "2", depth: 2, visits: 1, isTerminal: true, reward: 0, prmScore: 0.2 }),
];

describe("pathRewards", () => {
  const settings = { schedule: { kind: "constant", alpha: 0.5 } as const, gamma: 0.9, t: 0, tSource: "config", stepScore: "prm-or-value" } as const;
  // Computed inside each test, not at collection: Stryker's per-test coverage only sees code a test runs.
  const paths = () => new Map(pathRewards(tree, settings).map((p) => [p.terminalId, p]));

  it("one entry per terminal, its path from depth 1, R its reward and γ as configured", () => {
    const byTerminal = paths();
    expect([...byTerminal.keys()]).toEqual(["3", "4", "5"]);
    expect([...byTerminal.values()].map((p) => [p.path, p.outcome, p.gamma])).toEqual([
      [["1", "3"], 1, 0.9],
      [["1", "4"], 0.5, 0.9],
      [["2", "5"], 0, 0.9],
    ]);
  });

  it("R is 0 for a terminal with no reward", () => {
    const unrewarded = [tree[0]!, makeNode({ seq: 6, visits: 1, isTerminal: true, reward: null, prmScore: 0.4 })];
    expect(pathRewards(unrewarded, settings)).toMatchObject([{ terminalId: "6", path: ["6"], outcome: 0, stepRewards: [0.4] }]);
  });

  it("ϕ = α·R + (1 − α)·(1/m)·Σ γ^j r^j with PRM scores", () => {
    const p = paths().get("3")!;
    expect(p.stepRewards).toEqual([0.8, 0.9]);
    expect(p.stepSources).toEqual(["prm", "prm"]);
    expect(p.phi).toBeCloseTo(0.5 * 1 + 0.5 * ((0.9 * 0.8 + 0.81 * 0.9) / 2), 12);
  });

  it("prm-or-value: falls back to a step's value Q/N where it has no PRM score", () => {
    const byTerminal = paths();
    const p4 = byTerminal.get("4")!;
    expect(p4.stepRewards).toEqual([0.8, 0.5]);
    expect(p4.stepSources).toEqual(["prm", "value"]);
    expect(p4.phi).toBeCloseTo(0.5 * 0.5 + 0.5 * ((0.9 * 0.8 + 0.81 * 0.5) / 2), 12);
    expect(byTerminal.get("5")).toMatchObject({ stepRewards: [0.25, 0.2], stepSources: ["value", "prm"] });
  });

  it("value ignores PRM scores; visit-weighted uses the rollout labels only", () => {
    const [byValue] = pathRewards(tree, { ...settings, stepScore: "value" });
    // Nodes 1 and 3 carry PRM scores but no backed-up value (Q 0).
    expect(byValue).toMatchObject({ stepRewards: [0, 0], stepSources: ["value", "value"] });
    const [labelled] = pathRewards(tree, { ...settings, stepScore: "visit-weighted" });
    // Node 1: terminals 3 (N 2, passes) and 4 (N 1, fails) → 2/3; node 3 passes → 1.
    expect(labelled).toMatchObject({ stepRewards: [2 / 3, 1], stepSources: ["visit-weighted", "visit-weighted"] });
  });

  it("a step with no visits scores by its rollout label, else its own reward, else 0, whatever the source", () => {
    const unvisited = makeNode({ seq: 7, visits: 0, reward: 0.4 });
    const label = { completions: 2, passing: 1, hard: true, visitWeighted: 0.5 };
    for (const source of ["prm-or-value", "value", "visit-weighted"] as const) {
      expect(stepScore(unvisited, label, source)).toEqual({ score: 0.5, source: "visit-weighted" });
      expect(stepScore(unvisited, undefined, source)).toEqual({ score: 0.4, source: "visit-weighted" });
      expect(stepScore(makeNode({ seq: 8, visits: 0 }), undefined, source)).toEqual({ score: 0, source: "visit-weighted" });
    }
    // A PRM score still wins under prm-or-value, visited or not.
    expect(stepScore(makeNode({ seq: 9, visits: 0, prmScore: 0.7 }), label, "prm-or-value")).toEqual({ score: 0.7, source: "prm" });
  });

  it("reads α at t from the schedule", () => {
    const [first] = pathRewards(tree, { ...REFERENCE_COMBINED_REWARD, t: 50, tSource: "option", stepScore: "prm-or-value" });
    expect(first?.phiAlpha).toBeCloseTo(0.5, 12);
  });

  it("t: an option, then the configured t, then the lineage iteration, then 0", () => {
    expect(resolvePhiT(3, 0, 7)).toEqual({ t: 3, tSource: "option" });
    expect(resolvePhiT(null, 0, 7)).toEqual({ t: 0, tSource: "config" });
    expect(resolvePhiT(null, undefined, 7)).toEqual({ t: 7, tSource: "iteration" });
    expect(resolvePhiT(undefined, undefined, null)).toEqual({ t: 0, tSource: "default" });
  });
});

describe("rolloutPrmScores", () => {
  it("gives every node its visit-weighted label (rollouts through it that pass), root included", () => {
    const scores = rolloutPrmScores(tree);
    // Node 1: terminals 3 (N 2, passes) and 4 (N 1, fails) → 2/3. Root: 2 of 4.
    expect(scores.get("1")).toBeCloseTo(2 / 3, 12);
    expect(scores.get("0")).toBeCloseTo(0.5, 12);
    expect(scores.get("2")).toBe(0);
    expect(scores.get("3")).toBe(1);
  });

  it("keys every node in the tree's order, null where no terminal lies below", () => {
    const scores = rolloutPrmScores([...tree, makeNode({ seq: 6, visits: 0 })]);
    expect([...scores.keys()]).toEqual(["0", "1", "2", "3", "4", "5", "6"]);
    expect(scores.get("6")).toBeNull();
  });
});
