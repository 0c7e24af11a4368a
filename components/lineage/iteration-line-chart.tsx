"use client";

import { line, scaleLinear } from "d3";
import type { SeriesPoint } from "./series";

export interface ChartLine {
  key: string;
  label: string;
  color: string;
  dashed?: boolean;
  points: SeriesPoint[];
}

/** Values over self-play iterations: one line per series, iterations on x (whole numbers), d3 scales into SVG. */
export function IterationLineChart(props: {
  lines: readonly ChartLine[];
  iterations: readonly number[];
  yDomain: [number, number];
  formatY: (value: number) => string;
  ariaLabel: string;
  height?: number;
}) {
  const width = 900;
  const height = props.height ?? 200;
  const pad = { left: 56, right: 24, top: 10, bottom: 26 };
  const lo = Math.min(...props.iterations);
  const hi = Math.max(...props.iterations);
  // A single iteration still gets a visible x range, with its point in the middle.
  const x = scaleLinear().domain(lo === hi ? [lo - 1, hi + 1] : [lo, hi]).range([pad.left, width - pad.right]);
  const y = scaleLinear().domain(props.yDomain).nice().range([height - pad.bottom, pad.top]);
  const path = line<SeriesPoint>().x((p) => x(p.iteration)).y((p) => y(p.value));
  return (
    <svg viewBox={`0 0 ${width} ${height}`} className="w-full" role="img" aria-label={props.ariaLabel}>
      {y.ticks(4).map((tick) => (
        <g key={tick}>
          <line x1={pad.left} x2={width - pad.right} y1={y(tick)} y2={y(tick)} stroke="#e2e8f0" />
          <text x={pad.left - 6} y={y(tick)} textAnchor="end" dominantBaseline="middle" fontSize={10} fill="#64748b">
            {props.formatY(tick)}
          </text>
        </g>
      ))}
      {props.iterations.map((iteration) => (
        <text key={iteration} x={x(iteration)} y={height - 8} textAnchor="middle" fontSize={10} fill="#64748b">
          iteration {iteration}
        </text>
      ))}
      {props.lines.map((l) => (
        <g key={l.key} data-testid="lineage-chart-line">
          <path d={path(l.points) ?? undefined} fill="none" stroke={l.color} strokeWidth={2} strokeDasharray={l.dashed ? "6 4" : undefined} />
          {l.points.map((p) => (
            <circle key={p.iteration} cx={x(p.iteration)} cy={y(p.value)} r={4} fill={l.dashed ? "white" : l.color} stroke={l.color} strokeWidth={2}>
              <title>{`${l.label}, iteration ${p.iteration}: ${props.formatY(p.value)} (${p.experimentName})`}</title>
            </circle>
          ))}
        </g>
      ))}
    </svg>
  );
}

export function ChartLegend({ lines }: { lines: readonly ChartLine[] }) {
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
      {lines.map((l) => (
        <li key={l.key} className="flex items-center gap-1.5">
          <svg width={22} height={8} aria-hidden>
            <line x1={0} x2={22} y1={4} y2={4} stroke={l.color} strokeWidth={2} strokeDasharray={l.dashed ? "6 4" : undefined} />
          </svg>
          {l.label}
        </li>
      ))}
    </ul>
  );
}
