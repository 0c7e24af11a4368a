"use client";

import { useQueries } from "@tanstack/react-query";
import { Panel } from "../ui/panel";
import { useTRPC } from "../trpc";
import { METRIC_DEFINITIONS, percent } from "./metric";
import { InfoMark } from "../ui/info-mark";

/** The seed paper's Table 1 layout: two experiments on the same problems, metrics side by side with the difference. */
export function ComparisonTable({ ids }: { ids: [string, string] }) {
  const trpc = useTRPC();
  const [a, b] = useQueries({ queries: ids.map((id) => ({ ...trpc.experiments.get.queryOptions({ id }), refetchInterval: 2_000 })) });
  if (!a?.data || !b?.data) return null;
  const rows: [string, string, number | null | undefined, number | null | undefined, "pct" | "num"][] = [
    ["Pass@1", METRIC_DEFINITIONS.pass1, a.data.metrics?.pass1, b.data.metrics?.pass1, "pct"],
    ["ASPR", METRIC_DEFINITIONS.aspr, a.data.metrics?.aspr, b.data.metrics?.aspr, "pct"],
    ["Tokens / problem", METRIC_DEFINITIONS.tokens, a.data.metrics?.tokensPerProblem, b.data.metrics?.tokensPerProblem, "num"],
  ];
  const show = (v: number | null | undefined, kind: "pct" | "num") => (kind === "pct" ? percent(v) : (v?.toFixed(0) ?? "–"));
  const delta = (x: number | null | undefined, y: number | null | undefined, kind: "pct" | "num") => {
    if (x === null || x === undefined || y === null || y === undefined) return "–";
    const d = kind === "pct" ? (y - x) * 100 : y - x;
    return `${d >= 0 ? "+" : ""}${d.toFixed(kind === "pct" ? 1 : 0)}${kind === "pct" ? " pts" : ""}`;
  };
  return (
    <Panel title="Comparison (Table 1 layout)">
      <table className="text-sm" data-testid="comparison">
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            <th className="pr-6 text-left">Metric</th>
            <th className="pr-6 text-right">{a.data.mode}</th>
            <th className="pr-6 text-right">{b.data.mode}</th>
            <th className="text-right">Δ</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, definition, x, y, kind]) => (
            <tr key={label}>
              <td className="pr-6" title={definition}>
                {label}<InfoMark />
              </td>
              <td className="pr-6 text-right tabular-nums">{show(x, kind)}</td>
              <td className="pr-6 text-right tabular-nums">{show(y, kind)}</td>
              <td className="text-right tabular-nums">{delta(x, y, kind)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
}
