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

// One formatter for all calls: `toLocaleString` builds a new one each time, which dominated 10,000-node re-renders.
const COUNT_FORMAT = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** Integers with thousands separators, locale-independent so server and browser render the same text. */
export function formatCount(n: number): string {
  return COUNT_FORMAT.format(Math.round(n));
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
