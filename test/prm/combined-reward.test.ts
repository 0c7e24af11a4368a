import { describe, expect, it } from "vitest";
import {
  alphaAt,
  combinedReward,
  REFERENCE_COMBINED_REWARD,
  validateCombinedRewardConfig,
  type CombinedRewardConfig,
} from "../../server/prm/combined-reward.ts";

describe("alpha schedules", () => {
  it("linear is max(α_min, 1 − k·t), the reference's max(0.1, 1 − 0.01t)", () => {
    const s = REFERENCE_COMBINED_REWARD.schedule;
    expect(alphaAt(s, 0)).toBe(1);
    expect(alphaAt(s, 50)).toBeCloseTo(0.5, 12);
    expect(alphaAt(s, 90)).toBeCloseTo(0.1, 12);
    expect(alphaAt(s, 500)).toBe(0.1);
  });

  it("logarithmic is max(α_min, 1 − k·ln(1 + t))", () => {
    const s = { kind: "logarithmic", alphaMin: 0.2, k: 0.1 } as const;
    expect(alphaAt(s, Math.E - 1)).toBeCloseTo(0.9, 12);
    expect(alphaAt(s, 1e6)).toBe(0.2);
  });

  it("rejects a negative t", () => {
    expect(() => alphaAt({ kind: "constant", alpha: 0.5 }, -1)).toThrow(/combined reward t/);
  });
});

describe("combinedReward", () => {
  it("is α·R + (1 − α)·(1/m)·Σ γ^j r^j with j from 1", () => {
    const config = { schedule: { kind: "constant", alpha: 0.25 }, gamma: 0.5 } as const;
    // process term = (0.5·0.8 + 0.25·0.4 + 0.125·1) / 3 = 0.625 / 3
    expect(combinedReward(1, [0.8, 0.4, 1], 0, config)).toBeCloseTo(0.25 * 1 + 0.75 * (0.625 / 3), 12);
  });

  it("uses the schedule at t", () => {
    const value = combinedReward(0.5, [1, 1], 50, REFERENCE_COMBINED_REWARD);
    expect(value).toBeCloseTo(0.5 * 0.5 + 0.5 * ((0.9 + 0.81) / 2), 12);
  });

  it("falls back to the outcome when no step is scored", () => {
    expect(combinedReward(0.7, [], 10, REFERENCE_COMBINED_REWARD)).toBe(0.7);
  });

  it("validates its configuration with the field named", () => {
    expect(() => validateCombinedRewardConfig({ schedule: { kind: "constant", alpha: 2 }, gamma: 0.9 }, "phi")).toThrow("phi.alpha");
    expect(() => validateCombinedRewardConfig({ schedule: REFERENCE_COMBINED_REWARD.schedule, gamma: -1 }, "phi")).toThrow("phi.gamma");
  });
});

describe("validateCombinedRewardConfig", () => {
  const validate = (schedule: CombinedRewardConfig["schedule"], gamma = 0.9) => () => validateCombinedRewardConfig({ schedule, gamma }, "phi");

  it("accepts the closed ranges' ends and returns the config unchanged", () => {
    for (const gamma of [0, 1]) {
      const config = { schedule: { kind: "constant", alpha: 0.5 }, gamma } as const;
      expect(validateCombinedRewardConfig(config, "phi")).toBe(config);
    }
    for (const alpha of [0, 1]) expect(validate({ kind: "constant", alpha })).not.toThrow();
    for (const alphaMin of [0, 1]) {
      expect(validate({ kind: "linear", alphaMin, k: 0.01 })).not.toThrow();
      expect(validate({ kind: "logarithmic", alphaMin, k: 0.01 })).not.toThrow();
    }
    expect(validate({ kind: "linear", alphaMin: 0.1, k: 0 })).not.toThrow();
    expect(validateCombinedRewardConfig(REFERENCE_COMBINED_REWARD, "phi")).toBe(REFERENCE_COMBINED_REWARD);
  });

  it("rejects γ outside [0, 1]", () => {
    expect(validate({ kind: "constant", alpha: 0.5 }, 1.01)).toThrow("phi.gamma: must be in [0, 1], got 1.01");
    expect(validate({ kind: "constant", alpha: 0.5 }, Number.NaN)).toThrow("phi.gamma: must be in [0, 1], got NaN");
  });

  it("rejects a constant α outside [0, 1], naming alpha", () => {
    expect(validate({ kind: "constant", alpha: 2 })).toThrow("phi.alpha: must be in [0, 1], got 2");
    expect(validate({ kind: "constant", alpha: 1.5 })).toThrow("phi.alpha: must be in [0, 1], got 1.5");
    expect(validate({ kind: "constant", alpha: -0.1 })).toThrow("phi.alpha: must be in [0, 1], got -0.1");
  });

  it("rejects a decaying schedule's α_min outside [0, 1] and a k that is negative or not finite", () => {
    expect(validate({ kind: "linear", alphaMin: -0.1, k: 0.01 })).toThrow("phi.alphaMin: must be in [0, 1], got -0.1");
    expect(validate({ kind: "logarithmic", alphaMin: 1.5, k: 0.01 })).toThrow("phi.alphaMin: must be in [0, 1], got 1.5");
    expect(validate({ kind: "linear", alphaMin: 0.1, k: -1 })).toThrow("phi.k: must be a finite number ≥ 0, got -1");
    expect(validate({ kind: "linear", alphaMin: 0.1, k: Number.POSITIVE_INFINITY })).toThrow("phi.k: must be a finite number ≥ 0, got Infinity");
    expect(validate({ kind: "logarithmic", alphaMin: 0.1, k: Number.NaN })).toThrow("phi.k: must be a finite number ≥ 0, got NaN");
  });
});
