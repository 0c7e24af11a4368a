import { describe, expect, it } from "vitest";
import {
  MARKER_COLORS,
  NO_METRIC_COLOR,
  RADIUS_RANGE,
  colorDomain,
  makeEncoders,
  makeLinkWidth,
  makeNodeColor,
  makeRadius,
  rampColor,
  sizeSamples,
  styleNode,
  testOutcome,
} from "../../components/tree/encoding.ts";
import { describeNode, formatCount, formatDecimal, formatTally, nodeValue } from "../../components/tree/format.ts";
import { viewNode } from "./tree-fixtures.ts";

describe("node value and formatting", () => {
  it("is Q/N, and undefined (null) before the first visit", () => {
    expect(nodeValue({ visits: 3, valueSum: 2 })).toBeCloseTo(2 / 3);
    expect(nodeValue({ visits: 0, valueSum: 0 })).toBeNull();
  });

  it("formats decimals with a dash for missing values and no negative zero", () => {
    expect(formatDecimal(0.6666)).toBe("0.67");
    expect(formatDecimal(0.6666, 3)).toBe("0.667");
    expect(formatDecimal(null)).toBe("—");
    expect(formatDecimal(Number.NaN)).toBe("—");
    expect(formatDecimal(-0.0001)).toBe("0.00");
    expect(formatCount(12345.4)).toBe("12,345");
    expect(formatTally({ passed: 2, total: 3 })).toBe("2/3 passed");
  });

  it("prints counts as Intl's en-US integer format does, without building one", () => {
    const intl = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
    const values = [0, -0, 0.4, -0.4, 0.5, 1.5, -1.5, 7, 999, 999.5, 1000, 12345.4, -12345.6, 1e6, 123456789, 2 ** 53, 1e21, 1.5e22, -1e25];
    for (const x of [...values, Number.NaN, Infinity, -Infinity]) expect(formatCount(x), String(x)).toBe(intl.format(Math.round(x)));
    // and over a sweep of magnitudes, where the separators move
    for (let x = 1; x < 1e18; x = x * 7 + 3) expect(formatCount(x)).toBe(intl.format(x));
  });

  it("labels every number in the tooltip", () => {
    const lines = describeNode(
      viewNode({ id: "x", seq: 12, parentId: "r", actionKind: "code", visits: 3, valueSum: 2, isTerminal: true, reward: 0.5, prmScore: 0.8, visible: { passed: 1, total: 2 }, hidden: null }),
    );
    expect(lines).toEqual([
      "#12 · code (terminal)",
      "N=3 visits",
      "Q/N=0.67 value",
      "reward=0.50",
      "PRM score=0.80",
      "search-visible tests: 1/2 passed",
      "hidden tests: not judged yet",
    ]);
    expect(describeNode(viewNode({ id: "r", seq: 0 }))).toEqual(["#0 · root", "N=0 visits", "Q/N=— (not visited yet)"]);
  });
});

describe("colour encoding", () => {
  const nodes = [viewNode({ id: "a", seq: 0, visits: 2, valueSum: 1, prmScore: 0.3 }), viewNode({ id: "b", seq: 1, visits: 0, prmScore: null })];

  it("uses the fixed [0, 1] domain, widened only by out-of-range data", () => {
    expect(colorDomain(nodes, "value")).toEqual([0, 1]);
    expect(colorDomain(nodes, "prm")).toEqual([0, 1]);
    expect(colorDomain([viewNode({ id: "c", seq: 0, prmScore: -2.5 }), viewNode({ id: "d", seq: 1, prmScore: 3 })], "prm")).toEqual([-2.5, 3]);
  });

  it("maps missing metrics to the neutral colour and ends of the domain to the ramp's ends", () => {
    const color = makeNodeColor([0, 1]);
    expect(color(null)).toBe(NO_METRIC_COLOR);
    expect(color(0)).toBe(rampColor(0));
    expect(color(1)).toBe(rampColor(1));
    expect(color(2)).toBe(rampColor(1)); // clamped, though colorDomain never lets data exceed the domain
    expect(rampColor(0)).not.toBe(rampColor(1));
  });

  it("PRM scores use viridis (dark purple → yellow), not the value view's blues", () => {
    expect(rampColor(0, "prm")).toBe("#440154");
    expect(rampColor(1, "prm")).toBe("#fde725");
    expect(makeNodeColor([0, 1], "prm")(0.5)).toBe(rampColor(0.5, "prm"));
    for (const t of [0, 0.25, 0.5, 0.75, 1]) expect(rampColor(t, "prm")).not.toBe(rampColor(t, "value"));
  });

  it("colours by Q/N or by PRM score", () => {
    const value = makeEncoders(nodes, "value");
    const prm = makeEncoders(nodes, "prm");
    expect(styleNode(nodes[0]!, value).fill).toBe(rampColor(0.5));
    expect(styleNode(nodes[0]!, prm).fill).toBe(rampColor(0.3, "prm"));
    expect(styleNode(nodes[1]!, value).fill).toBe(NO_METRIC_COLOR);
    expect(styleNode(nodes[1]!, prm).fill).toBe(NO_METRIC_COLOR);
  });
});

describe("size encoding", () => {
  it("grows the radius with √N between the configured bounds", () => {
    const radius = makeRadius(100);
    expect(radius(0)).toBe(RADIUS_RANGE[0]);
    expect(radius(100)).toBe(RADIUS_RANGE[1]);
    expect(radius(25)).toBeCloseTo(RADIUS_RANGE[0] + (RADIUS_RANGE[1] - RADIUS_RANGE[0]) / 2);
    expect(radius(400)).toBe(RADIUS_RANGE[1]);
    expect(makeRadius(0)(0)).toBe(RADIUS_RANGE[0]);
  });

  it("widens links with the child's visits", () => {
    const width = makeLinkWidth(16);
    expect(width(16)).toBeGreaterThan(width(4));
    expect(width(4)).toBeGreaterThan(width(0));
  });

  it("offers distinct legend samples", () => {
    expect(sizeSamples(0)).toEqual([1]);
    expect(sizeSamples(2)).toEqual([1, 2]);
    expect(sizeSamples(100)).toEqual([1, 25, 100]);
  });
});

describe("terminal markers", () => {
  it("calls a test set passed only when every test passed", () => {
    expect(testOutcome({ passed: 3, total: 3 })).toBe("pass");
    expect(testOutcome({ passed: 2, total: 3 })).toBe("fail");
    expect(testOutcome({ passed: 0, total: 0 })).toBe("unjudged");
    expect(testOutcome(null)).toBe("unjudged");
  });

  it("rings terminals by hidden tests and marks search-visible tests separately", () => {
    const encoders = makeEncoders([], "value");
    const base = { id: "t", seq: 1, parentId: "r", isTerminal: true };
    const passBoth = styleNode(viewNode({ ...base, hidden: { passed: 2, total: 2 }, visible: { passed: 1, total: 1 } }), encoders);
    expect([passBoth.stroke, passBoth.dashed, passBoth.visibleMarker]).toEqual([MARKER_COLORS.pass, false, MARKER_COLORS.pass]);
    const overfit = styleNode(viewNode({ ...base, hidden: { passed: 1, total: 2 }, visible: { passed: 1, total: 1 } }), encoders);
    expect([overfit.stroke, overfit.visibleMarker]).toEqual([MARKER_COLORS.fail, MARKER_COLORS.pass]);
    const pending = styleNode(viewNode({ ...base, visible: { passed: 0, total: 1 } }), encoders);
    expect([pending.stroke, pending.dashed, pending.visibleMarker]).toEqual([MARKER_COLORS.unjudged, true, MARKER_COLORS.fail]);
    const inner = styleNode(viewNode({ id: "i", seq: 2, parentId: "r" }), encoders);
    expect(inner.visibleMarker).toBeNull();
    expect(inner.strokeWidth).toBeLessThan(passBoth.strokeWidth);
  });
});
