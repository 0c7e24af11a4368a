import { describe, expect, it } from "vitest";
import { createRandom, deriveSeed, randomInt } from "../../server/lib/rng.ts";

const draw = (seed: number, count: number) => {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => random());
};

describe("seeded random", () => {
  it("repeats its sequence for a seed and differs between seeds", () => {
    expect(draw(42, 20)).toEqual(draw(42, 20));
    expect(draw(42, 20)).not.toEqual(draw(43, 20));
  });

  it("stays in [0, 1) and is roughly uniform", () => {
    const values = draw(7, 20_000);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeGreaterThan(0.49);
    expect(mean).toBeLessThan(0.51);
    const buckets = [0, 0, 0, 0];
    for (const v of values) buckets[Math.floor(v * 4)]! += 1;
    for (const count of buckets) expect(Math.abs(count - 5000)).toBeLessThan(300);
  });

  it("derives distinct, stable sub-seeds per label", () => {
    const seeds = Array.from({ length: 100 }, (_, i) => deriveSeed(5, i));
    expect(new Set(seeds).size).toBe(100);
    expect(deriveSeed(5, 3)).toBe(deriveSeed(5, 3));
    expect(deriveSeed(5, 3)).not.toBe(deriveSeed(6, 3));
    expect(deriveSeed(5, 1, 2)).not.toBe(deriveSeed(5, 2, 1));
  });

  it("draws integers in range", () => {
    const random = createRandom(1);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i += 1) seen.add(randomInt(random, 3));
    expect([...seen].sort()).toEqual([0, 1, 2]);
  });
});
