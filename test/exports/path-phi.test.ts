// ϕ in the export records: which estimate a step's reward is, and where t, the schedule and γ come from, each
// precedence checked with values that differ so a swapped order shows.
import { describe, expect, it } from "vitest";
import { parseExperimentConfig } from "../../server/contracts/index.ts";
import type { ExportExperiment, ExportNode } from "../../server/exports/export-tree.ts";
import { pathPhi, resolvePhi, stepReward } from "../../server/exports/path-phi.ts";

const node = (over: Partial<ExportNode>): ExportNode => ({
  id: "n", parentId: "r", depth: 1, seq: 1, actionKind: "step", stepText: "", code: null, visits: 0, valueSum: 0, prmScore: null, isTerminal: false, reward: null, ...over,
});

function experiment(prm: Record<string, unknown> | undefined, iteration: number | null): ExportExperiment {
  const config = parseExperimentConfig({ dataset: "d", mode: "vanilla", llm: { baseUrl: "http://127.0.0.1:1/v1", model: "m" }, ...(prm ? { prm } : {}) });
  return { id: "e", name: "e", datasetName: "d", model: "m", mode: "vanilla", lineageId: null, iteration, config };
}

describe("a step's reward r^j", () => {
  it("is the PRM score, else Q/N, else the soft label, else the node's reward, else 0", () => {
    const label = { completions: 4, passing: 1, hard: true, soft: 0.25 };
    expect(stepReward(node({ prmScore: 0.9, visits: 2, valueSum: 1 }), label)).toBe(0.9);
    expect(stepReward(node({ prmScore: 0, visits: 2, valueSum: 1 }), label)).toBe(0);
    expect(stepReward(node({ visits: 4, valueSum: 3 }), label)).toBe(0.75);
    expect(stepReward(node({ reward: 0.5 }), label)).toBe(0.25);
    expect(stepReward(node({ reward: 0.5 }), undefined)).toBe(0.5);
    expect(stepReward(node({}), undefined)).toBe(0);
  });
});

describe("resolvePhi", () => {
  const given = { t: null, schedule: null, gamma: null };

  it("uses the reference without settings: t 0, linear max(0.1, 1 − 0.01t), γ 0.9", () => {
    expect(resolvePhi(experiment(undefined, null), given)).toEqual({ t: 0, config: { schedule: { kind: "linear", alphaMin: 0.1, k: 0.01 }, gamma: 0.9 } });
  });

  it("takes the lineage iteration as t, and an explicit t over it", () => {
    expect(resolvePhi(experiment(undefined, 3), given).t).toBe(3);
    expect(resolvePhi(experiment(undefined, 3), { ...given, t: 7 }).t).toBe(7);
    expect(resolvePhi(experiment(undefined, 3), { ...given, t: 0 }).t).toBe(0);
  });

  it("takes options over the experiment's combinedReward settings", () => {
    const configured = experiment({ mode: "rollout", combinedReward: { schedule: { kind: "constant", alpha: 0.3 }, gamma: 0.5 } }, null);
    expect(resolvePhi(configured, given).config).toEqual({ schedule: { kind: "constant", alpha: 0.3 }, gamma: 0.5 });
    expect(resolvePhi(configured, { t: null, schedule: { kind: "constant", alpha: 0.6 }, gamma: 0.8 }).config).toEqual({ schedule: { kind: "constant", alpha: 0.6 }, gamma: 0.8 });
  });
});

describe("pathPhi", () => {
  it("combines the terminal's reward with the steps' rewards in path order", () => {
    const steps = [node({ id: "a", visits: 2, valueSum: 1 }), node({ id: "b", prmScore: 1 })];
    const terminal = node({ id: "b", reward: 0.5 });
    const phi = { t: 10, config: { schedule: { kind: "linear" as const, alphaMin: 0.1, k: 0.01 }, gamma: 0.5 } };
    // α = 1 − 0.1 = 0.9; process = (0.5·0.5 + 0.25·1) / 2 = 0.25; ϕ = 0.9·0.5 + 0.1·0.25.
    const result = pathPhi(steps, terminal, new Map(), phi);
    expect(result.stepRewards).toEqual([0.5, 1]);
    expect(result.phiAlpha).toBeCloseTo(0.9, 12);
    expect(result.phiT).toBe(10);
    expect(result.phi).toBeCloseTo(0.9 * 0.5 + 0.1 * 0.25, 12);
    expect(pathPhi(steps, node({ reward: null }), new Map(), phi).phi).toBeCloseTo(0.1 * 0.25, 12);
  });
});
