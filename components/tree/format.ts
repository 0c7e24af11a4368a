// Display formatting shared by the explorer and the inspector, so the same number reads the same way in both.
import type { TestTally, TreeNodeView } from "./types";

/** Q/N, or null for an unvisited node (its value is undefined, not 0). */
export function nodeValue(node: Pick<TreeNodeView, "visits" | "valueSum">): number | null {
  return node.visits > 0 ? node.valueSum / node.visits : null;
}

/** Fixed decimals with an em dash for "no value"; -0 prints as 0. */
export function formatDecimal(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || Number.isNaN(x)) return "—";
  const text = x.toFixed(digits);
  return Number(text) === 0 ? (0).toFixed(digits) : text;
}

/**
 * Integers with thousands separators ("12,345"), locale-independent so server and browser render the same text: what
 * `Intl.NumberFormat("en-US", { maximumFractionDigits: 0 })` prints, by plain string work. The first NumberFormat a
 * page builds loads the locale's data, 11–18 ms of the tree page's first render (the formatter was built when this
 * module loaded, before the tree could be drawn); `toLocaleString` builds one on every call.
 */
export function formatCount(n: number): string {
  const rounded = Math.round(n);
  if (Number.isNaN(rounded)) return "NaN";
  if (!Number.isFinite(rounded)) return rounded > 0 ? "∞" : "-∞";
  const digits = integerDigits(Math.abs(rounded)).replace(/\B(?=(\d{3})+$)/g, ",");
  return rounded < 0 || Object.is(rounded, -0) ? `-${digits}` : digits;
}

/** A non-negative integer's digits; from 1e21 up, String() writes "1.5e+22", which Intl spells out with zeros. */
function integerDigits(x: number): string {
  const text = String(x);
  const exponent = /^(\d)(?:\.(\d+))?e\+(\d+)$/.exec(text);
  if (!exponent) return text;
  const fraction = exponent[2] ?? "";
  return exponent[1]! + fraction + "0".repeat(Number(exponent[3]) - fraction.length);
}

export function formatTally(tally: TestTally): string {
  return `${tally.passed}/${tally.total} passed`;
}

/** The hover tooltip's lines: every number carries its name. */
export function describeNode(node: TreeNodeView): string[] {
  const lines = [`#${node.seq} · ${node.actionKind}${node.isTerminal ? " (terminal)" : ""}`];
  lines.push(`N=${formatCount(node.visits)} visits`);
  lines.push(node.visits > 0 ? `Q/N=${formatDecimal(nodeValue(node))} value` : "Q/N=— (not visited yet)");
  if (node.reward !== null) lines.push(`reward=${formatDecimal(node.reward)}`);
  if (node.prmScore !== null) lines.push(`PRM score=${formatDecimal(node.prmScore)}`);
  if (node.visible) lines.push(`search-visible tests: ${formatTally(node.visible)}`);
  if (node.hidden) lines.push(`hidden tests: ${formatTally(node.hidden)}`);
  else if (node.isTerminal) lines.push("hidden tests: not judged yet");
  return lines;
}
