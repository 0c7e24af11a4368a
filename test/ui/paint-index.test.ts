import { describe, expect, it } from "vitest";
import { buildPaintIndex } from "../../components/tree/canvas-renderer.ts";
import { makeEncoders, styleNode } from "../../components/tree/encoding.ts";
import { layoutTree } from "../../components/tree/layout.ts";
import { syntheticTree } from "./tree-fixtures.ts";

// The canvas overview draws from the paint index: every laid-out node exactly once, in its colour bucket, with its
// own position, radius and fill, and its parent's position for the edge.
describe("buildPaintIndex", () => {
  const tree = syntheticTree(2_000);
  const layout = layoutTree({ ...tree, finalNodeId: tree.nodes.at(-1)!.id }, { collapsed: new Set(["n7"]) });
  const encoders = makeEncoders(tree.nodes, "value");
  const paint = buildPaintIndex(layout, encoders);

  it("holds each laid-out node once, grouped by its fill", () => {
    expect(paint.count).toBe(layout.nodes.length);
    expect([...paint.byFill].sort((a, b) => a - b)).toEqual(layout.nodes.map((_, i) => i));
    for (let f = 0; f < paint.palette.length; f++) {
      for (let j = paint.fillStart[f]!; j < paint.fillStart[f + 1]!; j++) {
        expect(styleNode(layout.nodes[paint.byFill[j]!]!.node, encoders).fill).toBe(paint.palette[f]);
      }
    }
    expect(new Set(paint.palette).size).toBe(paint.palette.length);
  });

  it("keeps positions, radii, the final path and each node's parent position", () => {
    const byId = new Map(layout.nodes.map((n) => [n.id, n]));
    layout.nodes.forEach((n, i) => {
      expect([paint.x[i], paint.y[i]]).toEqual([n.x, n.y]);
      expect(paint.radius[i]).toBeCloseTo(encoders.radius(n.node.visits), 5);
      expect(paint.onFinalPath[i]).toBe(n.onFinalPath ? 1 : 0);
      const parent = n.node.parentId === null ? undefined : byId.get(n.node.parentId);
      if (parent) expect([paint.px[i], paint.py[i]]).toEqual([parent.x, parent.y]);
      else expect(Number.isNaN(paint.px[i]!)).toBe(true);
    });
    expect(paint.onFinalPath.some((v) => v === 1)).toBe(true);
  });
});
