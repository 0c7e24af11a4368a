// What every colour, size and marker in the explorer means. Drawn with the same encoders as the nodes.
import type { ReactNode } from "react";
import { MARKER_COLORS, NO_METRIC_COLOR, VISIBLE_MARKER_SIZE, rampColor, sizeSamples, type Encoders } from "./encoding";
import { formatCount, formatDecimal } from "./format";
import { PRM_MODE_DEFINITIONS, type PrmMode } from "@/server/definitions";

const GRADIENT_STOPS = [0, 0.25, 0.5, 0.75, 1];

/** What a missing PRM score means under each mode. */
function noPrmScoreText(mode: PrmMode | undefined): string {
  if (mode === "rollout") return "no PRM score yet (rollout labels are written when the tree finishes) or no terminal below";
  if (mode === "served" || mode === "judge") return "no PRM score (the root, or the PRM request failed)";
  return "no PRM score (this experiment has no PRM)";
}

export function TreeLegend({ encoders, prmMode }: { encoders: Encoders; prmMode?: PrmMode }) {
  const [lo, hi] = encoders.domain;
  const metric = encoders.mode === "value" ? "Q/N" : "PRM score";
  const gradient = `linear-gradient(to right, ${GRADIENT_STOPS.map((t) => `${rampColor(t, encoders.mode)} ${t * 100}%`).join(", ")})`;
  return (
    <dl className="grid gap-x-6 gap-y-2 border-t border-slate-200 px-3 py-2 text-xs text-slate-600 sm:grid-cols-2 xl:grid-cols-4" data-testid="tree-legend">
      <LegendItem term="Fill">
        <span className="flex items-center gap-1.5">
          <span className="tabular-nums">{metric}={formatDecimal(lo)}</span>
          <span className="inline-block h-2.5 w-20 rounded-sm ring-1 ring-slate-300" style={{ background: gradient }} />
          <span className="tabular-nums">{metric}={formatDecimal(hi)}</span>
        </span>
        <span className="flex items-center gap-1.5">
          <Dot fill={NO_METRIC_COLOR} stroke="#64748b" />
          {encoders.mode === "value" ? "no value yet (N=0)" : noPrmScoreText(prmMode)}
        </span>
        <span data-testid="legend-fill-meaning">
          {encoders.mode === "value" ? "Q/N: mean reward of the rollouts through the node" : `PRM score. ${PRM_MODE_DEFINITIONS[prmMode ?? "none"]}`}
        </span>
      </LegendItem>
      <LegendItem term="Size">
        <span className="flex flex-wrap items-center gap-x-2 gap-y-1" data-testid="legend-sizes">
          {sizeSamples(encoders.maxVisits).map((n) => (
            <span key={n} className="flex shrink-0 items-center gap-1 whitespace-nowrap">
              <Dot r={encoders.radius(n)} fill="#cbd5e1" stroke="#64748b" />
              <span className="tabular-nums">N={formatCount(n)}</span>
            </span>
          ))}
        </span>
        <span>Radius grows with √N (visits); an edge&apos;s width with its child&apos;s N.</span>
      </LegendItem>
      <LegendItem term="Terminals">
        <span className="flex items-center gap-1.5">
          <Dot fill="#ffffff" stroke={MARKER_COLORS.pass} strokeWidth={2.5} /> hidden tests all pass
        </span>
        <span className="flex items-center gap-1.5">
          <Dot fill="#ffffff" stroke={MARKER_COLORS.fail} strokeWidth={2.5} /> hidden tests: some fail
        </span>
        <span className="flex items-center gap-1.5">
          <Dot fill="#ffffff" stroke={MARKER_COLORS.unjudged} strokeWidth={2.5} dashed /> hidden tests not judged yet
        </span>
        <span className="flex items-center gap-1.5">
          <Square color={MARKER_COLORS.pass} /> / <Square color={MARKER_COLORS.fail} /> search-visible tests: all pass / some fail
        </span>
      </LegendItem>
      <LegendItem term="Highlights">
        <span className="flex items-center gap-1.5">
          <Dot fill="#ffffff" stroke={MARKER_COLORS.finalPath} strokeWidth={2.5} /> path to the final answer
        </span>
        <span className="flex items-center gap-1.5">
          <Dot fill="#ffffff" stroke={MARKER_COLORS.selected} strokeWidth={2} /> selected node
        </span>
        <span>⊖ / ⊕ below a node, double-click or Alt+click: collapse / expand its subtree. Drag to pan, wheel to zoom.</span>
      </LegendItem>
    </dl>
  );
}

function LegendItem({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <dt className="font-semibold text-slate-700">{term}</dt>
      <dd className="flex flex-col gap-1">{children}</dd>
    </div>
  );
}

function Dot({ r = 5, fill, stroke, strokeWidth = 1, dashed = false }: { r?: number; fill: string; stroke: string; strokeWidth?: number; dashed?: boolean }) {
  const size = 2 * (r + strokeWidth);
  return (
    <svg width={size} height={size} viewBox={`${-size / 2} ${-size / 2} ${size} ${size}`} aria-hidden="true" className="shrink-0">
      <circle r={r} fill={fill} stroke={stroke} strokeWidth={strokeWidth} strokeDasharray={dashed ? "2 2" : undefined} />
    </svg>
  );
}

function Square({ color }: { color: string }) {
  const s = VISIBLE_MARKER_SIZE + 3;
  return <span aria-hidden="true" className="inline-block shrink-0 ring-1 ring-white" style={{ width: s, height: s, background: color }} />;
}
