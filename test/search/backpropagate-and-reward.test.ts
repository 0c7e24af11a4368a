import { describe, expect, it } from "vitest";
import { backpropagate } from "../../server/search/backpropagate.ts";
import { computeReward } from "../../server/search/reward.ts";
import { nodeValue } from "../../server/search/search-node.ts";

describe("backpropagate", () => {
  it("adds the reward to Q and 1 to N on every node of the path, root included", () => {
    const root = { visits: 2, valueSum: 1.5 };
    const mid = { visits: 1, valueSum: 0.5 };
    const leaf = { visits: 0, valueSum: 0 };
    const sibling = { visits: 1, valueSum: 1 };
    backpropagate([root, mid, leaf], 0.25);
    expect([root, mid, leaf]).toEqual([
      { visits: 3, valueSum: 1.75 },
      { visits: 2, valueSum: 0.75 },
      { visits: 1, valueSum: 0.25 },
    ]);
    expect(sibling).toEqual({ visits: 1, valueSum: 1 });
    backpropagate([root, mid], 1);
    expect(nodeValue(root)).toBeCloseTo(2.75 / 4, 12);
    expect(nodeValue(mid)).toBeCloseTo(1.75 / 3, 12);
  });

  it("leaves the value undefined (null) before the first visit", () => {
    expect(nodeValue({ visits: 0, valueSum: 0 })).toBeNull();
  });
});

describe("computeReward: α·compile + (1−α)·pass_rate", () => {
  it("is the pass rate at the reference α = 0", () => {
    expect(computeReward({ compiles: true, passRate: 0.5 }, 0)).toBe(0.5);
    expect(computeReward({ compiles: true, passRate: 0 }, 0)).toBe(0);
  });

  it("rewards compiling code at α > 0", () => {
    expect(computeReward({ compiles: true, passRate: 0.5 }, 0.3)).toBeCloseTo(0.3 + 0.7 * 0.5, 12); // 0.65
    expect(computeReward({ compiles: false, passRate: 0 }, 0.3)).toBe(0);
    expect(computeReward({ compiles: true, passRate: 0 }, 1)).toBe(1);
    expect(computeReward({ compiles: true, passRate: 1 }, 0.5)).toBe(1);
  });

  it("clamps a pass rate outside [0, 1]", () => {
    expect(computeReward({ compiles: true, passRate: 1.5 }, 0)).toBe(1);
    expect(computeReward({ compiles: true, passRate: -1 }, 0)).toBe(0);
  });
});
