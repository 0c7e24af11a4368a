import { describe, expect, it } from "vitest";
import { explorationWeight } from "../../server/search/exploration-schedule.ts";
import { selectChild, uctScore } from "../../server/search/select-child.ts";

const child = (name: string, visits: number, valueSum: number) => ({ name, visits, valueSum });
const fixed = (value: number) => () => value;

describe("uctScore", () => {
  it("is Q/N + c·sqrt(ln N_parent / N)", () => {
    // 1/2 + 2·sqrt(ln 3 / 2) = 0.5 + 2·0.7411518 = 1.9823036
    expect(uctScore(child("a", 2, 1), 3, 2)).toBeCloseTo(1.9823036, 6);
    // 0.5/1 + 2·sqrt(ln 3) = 0.5 + 2·1.0481471 = 2.5962942
    expect(uctScore(child("b", 1, 0.5), 3, 2)).toBeCloseTo(2.5962942, 6);
    // c = 0 is pure exploitation.
    expect(uctScore(child("c", 4, 3), 10, 0)).toBe(0.75);
  });

  it("is infinite for an unvisited child", () => {
    expect(uctScore(child("a", 0, 0), 5, 2)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("selectChild", () => {
  it("takes an unexplored child first, chosen by the random stream", () => {
    const children = [child("a", 3, 3), child("b", 0, 0), child("c", 1, 1), child("d", 0, 0)];
    expect(selectChild(children, 4, 2, fixed(0)).name).toBe("b");
    expect(selectChild(children, 4, 2, fixed(0.99)).name).toBe("d");
  });

  it("otherwise takes the highest UCT score", () => {
    // Parent N = 3. a: 1/2 + 2·sqrt(ln3/2) = 1.982; b: 0.5 + 2·sqrt(ln3) = 2.596.
    const children = [child("a", 2, 1), child("b", 1, 0.5)];
    expect(selectChild(children, 3, 2, fixed(0)).name).toBe("b");
    // Without exploration (c = 0) the better mean wins: a 0.6 > b 0.5.
    expect(selectChild([child("a", 2, 1.2), child("b", 1, 0.5)], 3, 0, fixed(0)).name).toBe("a");
  });

  it("breaks UCT ties toward the earlier sibling", () => {
    const children = [child("a", 2, 1), child("b", 2, 1), child("c", 2, 1)];
    expect(selectChild(children, 6, 2, fixed(0.99)).name).toBe("a");
    expect(selectChild([child("x", 1, 0), child("y", 2, 1), child("z", 2, 1)], 5, 0, fixed(0)).name).toBe("y");
  });

  it("refuses an empty child list", () => {
    expect(() => selectChild([], 1, 2, fixed(0))).toThrow(/at least one child/);
  });
});

describe("exploration schedules", () => {
  it("const keeps c", () => {
    expect([0, 5, 14].map((i) => explorationWeight("const", 2, i, 15))).toEqual([2, 2, 2]);
  });

  it("linear is c·(1 − 0.9·i/R)", () => {
    expect(explorationWeight("linear", 2, 0, 10)).toBe(2);
    expect(explorationWeight("linear", 2, 5, 10)).toBeCloseTo(1.1, 12);
    expect(explorationWeight("linear", 2, 10, 10)).toBeCloseTo(0.2, 12);
  });

  it("exponential is c·0.1^(i/R)", () => {
    expect(explorationWeight("exponential", 2, 0, 10)).toBe(2);
    expect(explorationWeight("exponential", 2, 5, 10)).toBeCloseTo(2 * Math.sqrt(0.1), 12); // 0.6324555
    expect(explorationWeight("exponential", 2, 10, 10)).toBeCloseTo(0.2, 12);
  });
});
