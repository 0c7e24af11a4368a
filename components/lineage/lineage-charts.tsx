"use client";

import { schemeTableau10 } from "d3";
import type { IterationRow } from "../router-types";
import { METRIC_DEFINITIONS, percent } from "../experiments/metric";
import { InfoMark } from "../ui/info-mark";
import { ChartLegend, IterationLineChart, type ChartLine } from "./iteration-line-chart";
import { buildSeries } from "./series";

/** Pass@1 and ASPR over iterations (one chart, shared percent axis), tokens per problem below (its own axis). */
export function LineageCharts({ rows }: { rows: readonly IterationRow[] }) {
  const iterations = [...new Set(rows.map((r) => r.iteration))].sort((a, b) => a - b);
  const pass1 = buildSeries(rows, (r) => r.pass1);
  const colorOf = new Map(pass1.map((s, i) => [s.key, schemeTableau10[i % schemeTableau10.length]!]));
  const accuracy: ChartLine[] = [
    ...pass1.map((s) => ({ key: `pass1 ${s.key}`, label: `Pass@1 · ${s.key}`, color: colorOf.get(s.key)!, points: s.points })),
    ...buildSeries(rows, (r) => r.aspr).map((s) => ({ key: `aspr ${s.key}`, label: `ASPR · ${s.key}`, color: colorOf.get(s.key)!, dashed: true, points: s.points })),
  ];
  const tokens: ChartLine[] = buildSeries(rows, (r) => r.tokensPerProblem).map((s) => ({
    key: `tokens ${s.key}`,
    label: `Tokens / problem · ${s.key}`,
    color: colorOf.get(s.key)!,
    points: s.points,
  }));
  const maxTokens = Math.max(1, ...tokens.flatMap((l) => l.points.map((p) => p.value)));
  if (iterations.length === 0) return null;
  return (
    <div className="flex flex-col gap-4" data-testid="lineage-charts">
      <div>
        <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500" title={`${METRIC_DEFINITIONS.pass1}\n${METRIC_DEFINITIONS.aspr}`}>
          Pass@1 (solid) and ASPR (dashed) by iteration<InfoMark />
        </h3>
        <IterationLineChart lines={accuracy} iterations={iterations} yDomain={[0, 1]} formatY={(v) => percent(v, 0)} ariaLabel="Pass@1 and ASPR by iteration" />
        <ChartLegend lines={accuracy} />
      </div>
      <div>
        <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500" title={METRIC_DEFINITIONS.tokens}>
          Tokens per problem by iteration<InfoMark />
        </h3>
        <IterationLineChart lines={tokens} iterations={iterations} yDomain={[0, maxTokens]} formatY={(v) => v.toLocaleString()} ariaLabel="Tokens per problem by iteration" height={150} />
        <ChartLegend lines={tokens} />
      </div>
      <p className="text-xs text-slate-500">
        One line per dataset and reasoning mode; one point per iteration, from the latest created experiment there (the one Δ compares with).
        Experiments without metrics yet (queued or running) have no point.
      </p>
    </div>
  );
}
