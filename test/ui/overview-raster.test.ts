import { describe, expect, it } from "vitest";
import { buildPaintIndex } from "../../components/tree/canvas-renderer.ts";
import { makeEncoders } from "../../components/tree/encoding.ts";
import { layoutTree } from "../../components/tree/layout.ts";
import { packColor, rasterizeOverview } from "../../components/tree/overview-raster.ts";
import { syntheticTree } from "./tree-fixtures.ts";

// The overview raster stands in for canvas paths: every node must land on its pixel in its own fill, every edge must
// join its two ends, and nothing may be drawn where there is no node or edge.
describe("rasterizeOverview", () => {
  const tree = syntheticTree(400);
  const layout = layoutTree(tree, { collapsed: new Set() });
  const paint = buildPaintIndex(layout, makeEncoders(tree.nodes, "value"));
  const width = 300;
  const height = 80;
  const { minX, maxX, minY, maxY } = paint.bounds;
  const sx = (width - 10) / (maxX - minX);
  const sy = (height - 10) / (maxY - minY);
  const fit = { sx, sy, ox: 5 - minX * sx, oy: 5 - minY * sy };
  /** The pixel holding a world point. */
  const at = (wx: number, wy: number) => [Math.floor(wx * sx + fit.ox), Math.floor(wy * sy + fit.oy)] as const;
  const target = { width, height, pixels: new Uint32Array(width * height).fill(123) };
  rasterizeOverview(paint, target, fit, 1, "#94a3b8");

  it("clears the buffer and paints each node's pixel in a fill of the palette", () => {
    const fills = new Set(paint.palette.map(packColor));
    for (let i = 0; i < paint.count; i++) {
      const [x, y] = at(paint.x[i]!, paint.y[i]!);
      expect(fills.has(target.pixels[y * width + x]!)).toBe(true);
    }
    expect(target.pixels.includes(123)).toBe(false);
  });

  it("draws the last node of each fill on top at its own pixel", () => {
    for (let f = 0; f < paint.palette.length; f++) {
      const last = paint.byFill[paint.fillStart[f + 1]! - 1]!;
      const later = paint.palette.slice(f + 1).map(packColor);
      const [x, y] = at(paint.x[last]!, paint.y[last]!);
      const pixel = target.pixels[y * width + x]!;
      expect(pixel === packColor(paint.palette[f]!) || later.includes(pixel)).toBe(true);
    }
  });

  it("joins parent and child with edge pixels, and leaves empty rows empty", () => {
    const edge = packColor("#94a3b8");
    const painted = target.pixels.filter((p) => p !== 0).length;
    expect(target.pixels.filter((p) => p === edge).length).toBeGreaterThan(0);
    expect(painted).toBeGreaterThan(paint.count / 4);
    // Between two depth rows (no node there) only edge pixels appear.
    const [, y0] = at(0, layout.nodes.find((n) => n.parentIndex === 0)!.y);
    const [, yRoot] = at(0, 0);
    const between = Math.round((y0 + yRoot) / 2);
    const row = target.pixels.subarray(between * width, (between + 1) * width);
    expect(row.some((p) => p === edge)).toBe(true);
    expect(row.every((p) => p === edge || p === 0)).toBe(true);
  });

  it("packs #rrggbb and rgb() colours as little-endian RGBA, and refuses others", () => {
    expect(packColor("#102030")).toBe(0xff302010);
    expect(packColor("rgb(16, 32, 48)")).toBe(0xff302010);
    expect(() => packColor("red")).toThrow(/unsupported colour/);
  });
});
