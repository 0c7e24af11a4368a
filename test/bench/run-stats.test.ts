import { describe, expect, it } from "vitest";
import { formatSpread, spread } from "../../server/bench/run-stats.ts";

describe("spread of repeated runs", () => {
  it("reports min, the measured median and max, keeping the runs in order", () => {
    expect(spread([3, 1, 2])).toEqual({ min: 1, median: 2, max: 3, all: [3, 1, 2] });
    // An even count takes the lower middle: always a value some run measured.
    expect(spread([4, 1, 3, 2]).median).toBe(2);
    expect(() => spread([])).toThrow(/no runs/);
  });

  it("prints the median with its range, or one value when the runs agree", () => {
    expect(formatSpread(spread([1.234, 1.5, 1.1]), 2)).toBe("1.23 (min 1.10, max 1.50)");
    expect(formatSpread(spread([7, 7]))).toBe("7");
  });
});
