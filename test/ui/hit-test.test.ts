import { describe, expect, it } from "vitest";
import { buildHitIndex, hitTest } from "../../components/tree/canvas-renderer.ts";
import { TOGGLE_OFFSET, makeEncoders } from "../../components/tree/encoding.ts";
import { layoutTree } from "../../components/tree/layout.ts";
import { applyTransform } from "../../components/tree/viewport.ts";
import { treeFrom } from "./tree-fixtures.ts";

// The canvas renderer's hit testing is pure given a transform: clicks map back to nodes and toggles.
const tree = treeFrom(["r", "a:r", "b:r", "a1:a"]);
const layout = layoutTree(tree, { collapsed: new Set() });
const index = buildHitIndex(layout.nodes);
const encoders = makeEncoders(tree.nodes, "value");
const at = (id: string) => layout.nodes.find((n) => n.id === id)!;

describe("hitTest", () => {
  it("finds the node under the pointer at any zoom", () => {
    for (const t of [{ x: 400, y: 30, k: 1 }, { x: 10, y: -40, k: 2.5 }, { x: 300, y: 20, k: 0.3 }]) {
      for (const id of ["r", "a", "b", "a1"]) {
        const [sx, sy] = applyTransform(t, at(id).x + 1, at(id).y - 1);
        expect(hitTest(index, encoders, t, sx, sy)).toEqual({ id, part: "node" });
      }
    }
  });

  it("misses empty space", () => {
    const t = { x: 400, y: 30, k: 1 };
    const [sx, sy] = applyTransform(t, at("b").x + 40, at("b").y + 40);
    expect(hitTest(index, encoders, t, sx, sy)).toBeNull();
  });

  it("hits a parent's collapse toggle below it when zoomed in enough to draw toggles", () => {
    const near = { x: 400, y: 30, k: 1 };
    const [sx, sy] = applyTransform(near, at("a").x, at("a").y + TOGGLE_OFFSET);
    expect(hitTest(index, encoders, near, sx, sy)).toEqual({ id: "a", part: "toggle" });
    const [lx, ly] = applyTransform(near, at("b").x, at("b").y + TOGGLE_OFFSET);
    expect(hitTest(index, encoders, near, lx, ly)).toBeNull(); // a leaf has no toggle
    const far = { x: 400, y: 30, k: 0.2 };
    const [fx, fy] = applyTransform(far, at("a").x, at("a").y + TOGGLE_OFFSET);
    expect(hitTest(index, encoders, far, fx, fy)?.part).not.toBe("toggle");
  });
});
