"use client";

import { line, scaleLinear, schemeTableau10 } from "d3";

export interface CurveSeries {
  key: string;
  label: string;
  points: ReadonlyArray<{ tokensPerProblem: number; pass1: number }>;
  /** Shown beside the label when there are no points: why there is no curve. */
  emptyNote: string;
}

/** Pass@1 against the per-problem token budget, one step line per experiment (METRIC_DEFINITIONS.tokenCurve). */
export function BudgetCurveChart({ series, definition }: { series: readonly CurveSeries[]; definition: string }) {
  const width = 640;
  const height = 220;
  const pad = { left: 48, right: 24, top: 10, bottom: 34 }; // right: room for half the last x tick ("7,000")
  const maxTokens = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p.tokensPerProblem)));
  const x = scaleLinear().domain([0, maxTokens]).nice().range([pad.left, width - pad.right]);
  const y = scaleLinear().domain([0, 1]).range([height - pad.bottom, pad.top]);
  // A step line: the value holds until the next budget where some problem's answer changes.
  const path = (points: CurveSeries["points"]) =>
    line<{ tokensPerProblem: number; pass1: number }>()
      .x((p) => x(p.tokensPerProblem))
      .y((p) => y(p.pass1))(points.flatMap((p, i) => (i === 0 ? [{ tokensPerProblem: 0, pass1: 0 }, { ...p, pass1: 0 }, p] : [{ ...p, pass1: points[i - 1]!.pass1 }, p]))) ?? "";
  return (
    <figure data-testid="budget-curve" title={definition}>
      <svg viewBox={`0 0 ${width} ${height}`} className="w-full max-w-2xl" role="img" aria-label="Pass@1 against tokens per problem">
        {y.ticks(5).map((t) => (
          <g key={`y${t}`}>
            <line x1={pad.left} x2={width - pad.right} y1={y(t)} y2={y(t)} stroke="#e2e8f0" />
            <text x={pad.left - 6} y={y(t)} textAnchor="end" dominantBaseline="middle" fontSize={10} fill="#64748b">{`${Math.round(t * 100)}%`}</text>
          </g>
        ))}
        {x.ticks(6).map((t) => (
          <text key={`x${t}`} x={x(t)} y={height - pad.bottom + 14} textAnchor="middle" fontSize={10} fill="#64748b">{t.toLocaleString()}</text>
        ))}
        <text x={(pad.left + width) / 2} y={height - 4} textAnchor="middle" fontSize={10} fill="#64748b">policy tokens per problem (budget)</text>
        {series.map((s, i) => (
          <path key={s.key} d={path(s.points)} fill="none" stroke={schemeTableau10[i % 10]} strokeWidth={2} data-testid={`budget-curve-${s.key}`}>
            <title>{s.label}</title>
          </path>
        ))}
      </svg>
      <figcaption className="flex gap-4 text-xs text-slate-600">
        {series.map((s, i) => (
          <span key={s.key}>
            <span style={{ color: schemeTableau10[i % 10] }}>■</span> {s.label}
            {s.points.length === 0 ? ` (${s.emptyNote})` : ""}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
