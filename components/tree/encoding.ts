// How node statistics map to pixels: fill colour, radius, link width, test markers. Pure, so the SVG and canvas
// renderers and the legend agree by construction.
import { interpolateBlues, interpolateViridis } from "d3";
import { nodeValue } from "./format";
import type { TestTally, TreeNodeView } from "./types";

export type ColorMode = "value" | "prm";

export const COLOR_MODES: ReadonlyArray<{ mode: ColorMode; label: string; title: string }> = [
  { mode: "value", label: "Value Q/N", title: "Colour by the node's value Q/N: mean reward of the rollouts through it" },
  { mode: "prm", label: "PRM score", title: "Colour by the process reward model's score for the step" },
];

/** Fill for nodes without the metric (unvisited, or no PRM score): neutral, outside the colour ramp. */
export const NO_METRIC_COLOR = "#e2e8f0";

export const MARKER_COLORS = {
  pass: "#059669",
  fail: "#e11d48",
  unjudged: "#94a3b8",
  finalPath: "#f59e0b",
  selected: "#0f172a",
  link: "#94a3b8",
} as const;

export const RADIUS_RANGE: readonly [number, number] = [4, 11];
export const LINK_WIDTH_RANGE: readonly [number, number] = [1, 5];

export function colorMetric(node: TreeNodeView, mode: ColorMode): number | null {
  return mode === "value" ? nodeValue(node) : node.prmScore;
}

/**
 * Rewards and PRM probabilities live in [0, 1]; a fixed domain keeps colours comparable between trees. It only widens
 * when data falls outside (e.g. a pair-wise PRM's raw scores), so no value is silently clamped.
 */
export function colorDomain(nodes: readonly TreeNodeView[], mode: ColorMode): [number, number] {
  let lo = 0;
  let hi = 1;
  for (const node of nodes) {
    const m = colorMetric(node, mode);
    if (m === null || !Number.isFinite(m)) continue;
    if (m < lo) lo = m;
    if (m > hi) hi = m;
  }
  return [lo, hi];
}

/** Steps of the colour ramp: more than the eye tells apart, few enough that a canvas draws one batch per colour. */
export const RAMP_STEPS = 256;
const rampTables: Partial<Record<ColorMode, string[]>> = {};

/**
 * Q/N: pale → dark blue (the ramp skips the near-white start so low values stay visible on white). PRM score:
 * viridis, dark purple → yellow, whose lightness and hue both change evenly, so 0.3 and 0.5 look different and the
 * PRM view is not mistaken for the value view. Looked up in a table of RAMP_STEPS colours (d3's interpolation per
 * node and frame cost more than the drawing).
 */
export function rampColor(t: number, mode: ColorMode = "value"): string {
  const table = (rampTables[mode] ??= Array.from({ length: RAMP_STEPS }, (_, i) =>
    mode === "value" ? interpolateBlues(0.2 + (0.8 * i) / (RAMP_STEPS - 1)) : interpolateViridis(i / (RAMP_STEPS - 1)),
  ));
  return table[Math.round(Math.min(1, Math.max(0, t)) * (RAMP_STEPS - 1))]!;
}

export function makeNodeColor(domain: readonly [number, number], mode: ColorMode = "value"): (metric: number | null) => string {
  const [lo, hi] = domain;
  const span = hi - lo || 1;
  return (metric) => (metric === null || !Number.isFinite(metric) ? NO_METRIC_COLOR : rampColor((metric - lo) / span, mode));
}

/** Area, not radius, grows linearly with N (radius ∝ √N), so a node with 4× the visits looks 4× as big, not 16×. */
export function makeRadius(maxVisits: number): (visits: number) => number {
  const [rMin, rMax] = RADIUS_RANGE;
  const max = Math.max(1, maxVisits);
  return (visits) => rMin + (rMax - rMin) * Math.sqrt(Math.min(1, Math.max(0, visits) / max));
}

export function makeLinkWidth(maxVisits: number): (visits: number) => number {
  const [wMin, wMax] = LINK_WIDTH_RANGE;
  const max = Math.max(1, maxVisits);
  return (visits) => wMin + (wMax - wMin) * Math.sqrt(Math.min(1, Math.max(0, visits) / max));
}

export type TestOutcome = "pass" | "fail" | "unjudged";

/** Pass means every test passed; an empty test set proves nothing and counts as unjudged. */
export function testOutcome(tally: TestTally | null): TestOutcome {
  if (tally === null || tally.total === 0) return "unjudged";
  return tally.passed === tally.total ? "pass" : "fail";
}

export function maxVisitsOf(nodes: readonly TreeNodeView[]): number {
  let max = 0;
  for (const node of nodes) if (node.visits > max) max = node.visits;
  return max;
}

/** The collapse toggle sits below the node, clear of the largest circle, so clicks on it never hit the node. */
export const TOGGLE_OFFSET = RADIUS_RANGE[1] + 8;
export const TOGGLE_RADIUS = 5;

export interface Encoders {
  mode: ColorMode;
  domain: [number, number];
  /** The largest N in the tree (the root's, normally): the radius and width scales' top. */
  maxVisits: number;
  color: (metric: number | null) => string;
  radius: (visits: number) => number;
  linkWidth: (visits: number) => number;
}

export function makeEncoders(nodes: readonly TreeNodeView[], mode: ColorMode): Encoders {
  const domain = colorDomain(nodes, mode);
  const maxVisits = maxVisitsOf(nodes);
  return { mode, domain, maxVisits, color: makeNodeColor(domain, mode), radius: makeRadius(maxVisits), linkWidth: makeLinkWidth(maxVisits) };
}

export interface NodeStyle {
  radius: number;
  fill: string;
  /** Ring around a terminal: its hidden-test outcome. Non-terminals get a thin neutral outline. */
  stroke: string;
  strokeWidth: number;
  dashed: boolean;
  /** Small square at the top right: a terminal's search-visible test outcome; null when there is none. */
  visibleMarker: string | null;
}

export function styleNode(node: TreeNodeView, encoders: Encoders): NodeStyle {
  const radius = encoders.radius(node.visits);
  const fill = encoders.color(colorMetric(node, encoders.mode));
  if (!node.isTerminal) return { radius, fill, stroke: "#64748b", strokeWidth: 0.75, dashed: false, visibleMarker: null };
  const hidden = testOutcome(node.hidden);
  const visible = testOutcome(node.visible);
  return {
    radius,
    fill,
    stroke: MARKER_COLORS[hidden],
    strokeWidth: 2.5,
    dashed: hidden === "unjudged",
    visibleMarker: visible === "unjudged" ? null : MARKER_COLORS[visible],
  };
}

/** Side of the visible-tests square and its centre offset from the node centre (on the circle's top-right). */
export const VISIBLE_MARKER_SIZE = 5;
export function visibleMarkerOffset(radius: number): number {
  return radius * Math.SQRT1_2 + 1;
}

/** Legend samples for the size scale: N=1, a quarter of the maximum and the maximum, without repeats in a young tree. */
export function sizeSamples(maxVisits: number): number[] {
  const max = Math.max(1, maxVisits);
  return [...new Set([1, Math.max(1, Math.round(max / 4)), max])];
}
