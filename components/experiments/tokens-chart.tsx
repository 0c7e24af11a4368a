"use client";

import { scaleBand, scaleLinear } from "d3";

interface Row {
  id: string;
  problemExternalId: string;
  tokens: number;
  finalAnswerPasses: boolean | null;
}

/** Bars of tokens per problem, coloured by whether the final answer passes the hidden tests. */
export function TokensChart({ trees }: { trees: readonly Row[] }) {
  const width = 900;
  const height = 160;
  const pad = { left: 56, bottom: 20, top: 8 };
  // Bars at most ~48 px wide, so a handful of problems doesn't turn into slabs.
  const x = scaleBand<string>().domain(trees.map((t) => t.id)).range([pad.left, Math.min(width, pad.left + trees.length * 48)]).padding(0.15);
  const max = Math.max(1, ...trees.map((t) => t.tokens));
  const y = scaleLinear().domain([0, max]).nice().range([height - pad.bottom, pad.top]);
  return (
    <svg viewBox={`0 0 ${width} ${height}`} className="w-full" role="img" aria-label="Tokens per problem">
      {y.ticks(4).map((tick) => (
        <g key={tick}>
          <line x1={pad.left} x2={width} y1={y(tick)} y2={y(tick)} stroke="#e2e8f0" />
          <text x={pad.left - 6} y={y(tick)} textAnchor="end" dominantBaseline="middle" fontSize={10} fill="#64748b">
            {tick.toLocaleString()}
          </text>
        </g>
      ))}
      {trees.map((t) => (
        <rect
          key={t.id}
          x={x(t.id)}
          width={x.bandwidth()}
          y={y(t.tokens)}
          height={y(0) - y(t.tokens)}
          fill={t.finalAnswerPasses === null ? "#94a3b8" : t.finalAnswerPasses ? "#10b981" : "#f43f5e"}
        >
          <title>{`${t.problemExternalId}: ${t.tokens.toLocaleString()} tokens; final answer ${t.finalAnswerPasses === null ? "not judged yet" : t.finalAnswerPasses ? "passes" : "fails"} hidden tests`}</title>
        </rect>
      ))}
      <text x={pad.left} y={height - 4} fontSize={10} fill="#64748b">
        problems in dataset order · green: final answer passes the benchmark's own tests · red: fails · grey: not finished
      </text>
    </svg>
  );
}
