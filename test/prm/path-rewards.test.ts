// ϕ per complete path on a hand-checked tree, with PRM scores where the steps have them and soft labels elsewhere;
// and rollout mode's scores (soft labels for every node).
import { describe, expect, it } from "vitest";
import { REFERENCE_COMBINED_REWARD } from "../../server/prm/combined-reward.ts";
import { pathRewards } from "../../server/prm/path-rewards.ts";
import { rolloutPrmScores } from "../../server/prm/rollout-scores.ts";
import { makeNode } from "../fixtures/search-nodes.ts";

//   0 root
//   ├─ 1 (prm 0.8, N 3)
//   │  ├─ 3 terminal, reward 1 (prm 0.9, N 2)
//   │  └─ 4 terminal, reward 0.5 (no prm, N 1)
//   └─ 2 (no prm, N 1)
//      └─ 5 terminal, reward 0 (prm 0.2, N 1)
const tree = [
  makeNode({ seq: 0, visits: 4 }),
  makeNode({ seq: 1, visits: 3, prmScore: 0.8 }),
  makeNode({ seq: 2, visits: 1 }),
  makeNode({ seq: 3, parentId: "1", depth: 2, visits: 2, isTerminal: true, reward: 1, prmScore: 0.9 }),
  makeNode({ seq: 4, parentId: "1", depth: 2, visits: 1, isTerminal: true, reward: 0.5 }),
  makeNode({ seq: 5, parentId: "2", depth: 2, visits: 1, isTerminal: true, reward: 0, prmScore: 0.2 }),
];

describe("pathRewards", () => {
  const settings = { schedule: { kind: "constant", alpha: 0.5 } as const, gamma: 0.9, t: 0 };
  const byTerminal = new Map(pathRewards(tree, settings).map((p) => [p.terminalId, p]));

  it("one entry per terminal, its path from depth 1", () => {
    expect([...byTerminal.keys()]).toEqual(["3", "4", "5"]);
    expect(byTerminal.get("3")?.path).toEqual(["1", "3"]);
  });

  it("ϕ = α·R + (1 − α)·(1/m)·Σ γ^j r^j with PRM scores", () => {
    const p = byTerminal.get("3")!;
    expect(p.stepRewards).toEqual([0.8, 0.9]);
    expect(p.stepSources).toEqual(["prm", "prm"]);
    expect(p.phi).toBeCloseTo(0.5 * 1 + 0.5 * ((0.9 * 0.8 + 0.81 * 0.9) / 2), 12);
  });

  it("falls back to a step's soft label where it has no PRM score", () => {
    // Node 4 passes nothing (reward 0.5 < 1): soft label 0. Node 2: its one completion (5) fails: 0.
    const p4 = byTerminal.get("4")!;
    expect(p4.stepRewards).toEqual([0.8, 0]);
    expect(p4.stepSources).toEqual(["prm", "soft-label"]);
    expect(p4.phi).toBeCloseTo(0.5 * 0.5 + 0.5 * ((0.9 * 0.8) / 2), 12);
    expect(byTerminal.get("5")).toMatchObject({ stepRewards: [0, 0.2], stepSources: ["soft-label", "prm"] });
  });

  it("reads α at t from the schedule", () => {
    const [first] = pathRewards(tree, { ...REFERENCE_COMBINED_REWARD, t: 50 });
    expect(first?.alpha).toBeCloseTo(0.5, 12);
  });
});

describe("rolloutPrmScores", () => {
  it("gives every node its soft label (rollouts through it that pass), root included", () => {
    const scores = rolloutPrmScores(tree);
    // Node 1: terminals 3 (N 2, passes) and 4 (N 1, fails) → 2/3. Root: 2 of 4.
    expect(scores.get("1")).toBeCloseTo(2 / 3, 12);
    expect(scores.get("0")).toBeCloseTo(0.5, 12);
    expect(scores.get("2")).toBe(0);
    expect(scores.get("3")).toBe(1);
  });
});
