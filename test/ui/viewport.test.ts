import { describe, expect, it } from "vitest";
import type { LayoutLink } from "../../components/tree/layout.ts";
import {
  CANVAS_THRESHOLD,
  MAX_FIT_SCALE,
  applyTransform,
  chooseRenderMode,
  defaultViewTransform,
  fitTransform,
  invertTransform,
  linkInRect,
  linkPath,
  minScaleFor,
  visibleWorldRect,
} from "../../components/tree/viewport.ts";

const size = { width: 800, height: 600 };

describe("chooseRenderMode", () => {
  it("switches to canvas past the threshold", () => {
    expect(chooseRenderMode(CANVAS_THRESHOLD)).toBe("svg");
    expect(chooseRenderMode(CANVAS_THRESHOLD + 1)).toBe("canvas");
    expect(chooseRenderMode(10, 5)).toBe("canvas");
  });
});

describe("fitTransform", () => {
  it("puts a wide tree inside the viewport, centred horizontally and top-aligned", () => {
    const bounds = { minX: -5000, minY: 0, maxX: 5000, maxY: 400 };
    const t = fitTransform(bounds, size, 24, 16);
    const [left, top] = applyTransform(t, bounds.minX - 16, bounds.minY - 16);
    const [right, bottom] = applyTransform(t, bounds.maxX + 16, bounds.maxY + 16);
    expect(left).toBeCloseTo(24);
    expect(right).toBeCloseTo(size.width - 24);
    expect(top).toBeCloseTo(24);
    expect(bottom).toBeLessThanOrEqual(size.height - 24);
  });

  it("does not blow a tiny tree up past the maximum fit scale", () => {
    const t = fitTransform({ minX: 0, minY: 0, maxX: 0, maxY: 0 }, size);
    expect(t.k).toBe(MAX_FIT_SCALE);
    const [x] = applyTransform(t, 0, 0);
    expect(x).toBeCloseTo(size.width / 2);
  });

  it("fits a tree's depth, centred on the root, when the whole tree would be a sliver", () => {
    const usual = { minX: -1000, minY: 0, maxX: 1000, maxY: 400 };
    expect(defaultViewTransform(usual, size)).toEqual(fitTransform(usual, size));
    const sliver = { minX: -1_000_000, minY: 0, maxX: 1_000_000, maxY: 900 };
    const t = defaultViewTransform(sliver, size, 24, 16);
    expect(t.k).toBeGreaterThan(fitTransform(sliver, size).k * 100);
    expect(applyTransform(t, 0, 0)[0]).toBeCloseTo(size.width / 2);
    expect(applyTransform(t, 0, -16)[1]).toBeCloseTo(24);
    expect(applyTransform(t, 0, 900 + 16)[1]).toBeCloseTo(size.height - 24);
  });

  it("lets the user zoom out past the fit scale of a huge tree", () => {
    const bounds = { minX: -100_000, minY: 0, maxX: 100_000, maxY: 900 };
    expect(minScaleFor(bounds, size)).toBeLessThan(fitTransform(bounds, size).k);
    expect(minScaleFor({ minX: 0, minY: 0, maxX: 0, maxY: 0 }, size)).toBe(0.1);
  });
});

describe("culling", () => {
  it("computes the world rectangle on screen, and inverts the transform", () => {
    const t = { x: 100, y: 50, k: 2 };
    expect(visibleWorldRect(t, size)).toEqual({ minX: -50, minY: -25, maxX: 350, maxY: 275 });
    expect(visibleWorldRect(t, size, 10)).toEqual({ minX: -60, minY: -35, maxX: 360, maxY: 285 });
    expect(invertTransform(t, ...applyTransform(t, 12, -7))).toEqual([12, -7]);
  });

  it("keeps links that cross the screen even when both ends are off it", () => {
    const rect = { minX: 0, minY: 0, maxX: 100, maxY: 100 };
    const link = (x1: number, y1: number, x2: number, y2: number): LayoutLink => ({ source: "a", target: "b", x1, y1, x2, y2, visits: 0, onFinalPath: false });
    expect(linkInRect(link(-50, 50, 150, 60), rect)).toBe(true);
    expect(linkInRect(link(200, 0, 300, 80), rect)).toBe(false);
    expect(linkInRect(link(10, -80, 20, -10), rect)).toBe(false);
  });

  it("draws links as a vertical S-curve", () => {
    expect(linkPath({ source: "a", target: "b", x1: 0, y1: 0, x2: 10, y2: 80, visits: 1, onFinalPath: false })).toBe("M0,0C0,40 10,40 10,80");
  });
});
