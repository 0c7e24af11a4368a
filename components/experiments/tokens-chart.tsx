"use client";

import { scaleBand, scaleLinear } from "d3";
import { useRef } from "react";
import { useElementWidth } from "../tree/use-element-width";

interface Row {
  id: string;
  problemExternalId: string;
  tokens: number;
  finalAnswerPasses: boolean | null;
}

const HEIGHT = 180;
const PAD = { left: 56, right: 8, bottom: 22, top: 8 };
/** A bar is at most this wide, centred in its slot, so a handful of problems spread over the width without slabs. */
const MAX_BAR = 56;
/** Before the container is measured (server render, first frame). */
const PROVISIONAL_WIDTH = 900;

/**
 * Bars of tokens per problem, coloured by whether the final answer passes the hidden tests. Drawn at the panel's
 * measured width (pixels, not a scaled viewBox), so the bars spread over all of it and the text stays its size.
 */
export function TokensChart({ trees }: { trees: readonly Row[] }) {
  const box = useRef<HTMLDivElement>(null);
  const width = useElementWidth(box) || PROVISIONAL_WIDTH;
  const x = scaleBand<string>()
    .domain(trees.map((t) => t.id))
    .range([PAD.left, width - PAD.right])
    .paddingInner(0.15);
  const bar = Math.min(x.bandwidth(), MAX_BAR);
  const max = Math.max(1, ...trees.map((t) => t.tokens));
  const y = scaleLinear()
    .domain([0, max])
    .nice()
    .range([HEIGHT - PAD.bottom, PAD.top]);
  return (
    <div ref={box} className="w-full">
      <svg width={width} height={HEIGHT} role="img" aria-label="Tokens per problem" data-testid="tokens-chart">
        {y.ticks(4).filter(Number.isInteger).map((tick) => (
          <g key={tick}>
            <line x1={PAD.left} x2={width - PAD.right} y1={y(tick)} y2={y(tick)} stroke="#e2e8f0" />
            <text x={PAD.left - 6} y={y(tick)} textAnchor="end" dominantBaseline="middle" fontSize={10} fill="#64748b">
              {tick.toLocaleString()}
            </text>
          </g>
        ))}
        {trees.map((t) => (
          <rect
            key={t.id}
            x={(x(t.id) ?? 0) + (x.bandwidth() - bar) / 2}
            width={bar}
            y={y(t.tokens)}
            height={y(0) - y(t.tokens)}
            fill={t.finalAnswerPasses === null ? "#94a3b8" : t.finalAnswerPasses ? "#10b981" : "#f43f5e"}
            data-testid="tokens-bar"
          >
            <title>{`${t.problemExternalId}: ${t.tokens.toLocaleString()} tokens; final answer ${t.finalAnswerPasses === null ? "not judged yet" : t.finalAnswerPasses ? "passes" : "fails"} hidden tests`}</title>
          </rect>
        ))}
        <text x={PAD.left} y={HEIGHT - 5} fontSize={10} fill="#64748b">
          problems in dataset order · green: final answer passes the benchmark&apos;s own tests · red: fails · grey: not finished
        </text>
      </svg>
    </div>
  );
}
