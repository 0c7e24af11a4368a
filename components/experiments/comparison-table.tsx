"use client";

import { useQueries } from "@tanstack/react-query";
import Link from "next/link";
import { Panel } from "../ui/panel";
import { useTRPC } from "../trpc";
import { METRIC_DEFINITIONS, percent } from "./metric";
import { InfoMark } from "../ui/info-mark";
import { PAPER_TABLE1 } from "@/server/contracts";
import { BudgetCurveChart } from "./budget-curve-chart";
import { emptyCurveNote } from "./curve-note";

/** The seed paper's Table 1 layout: two experiments on the same problems, metrics side by side with the difference. */
export function ComparisonTable({ ids }: { ids: [string, string] }) {
  const trpc = useTRPC();
  const [a, b] = useQueries({ queries: ids.map((id) => ({ ...trpc.experiments.get.queryOptions({ id }), refetchInterval: 2_000 })) });
  if (!a?.data || !b?.data) return null;
  const rows: [string, string, number | null | undefined, number | null | undefined, "pct" | "num"][] = [
    ["Pass@1 (final answer)", METRIC_DEFINITIONS.pass1, a.data.metrics?.pass1, b.data.metrics?.pass1, "pct"],
    ["Pass@1 (first terminal)", METRIC_DEFINITIONS.pass1FirstTerminal, a.data.metrics?.pass1FirstTerminal, b.data.metrics?.pass1FirstTerminal, "pct"],
    ["ASPR", METRIC_DEFINITIONS.aspr, a.data.metrics?.aspr, b.data.metrics?.aspr, "pct"],
    ["Rollouts", "Rollouts R of each search (sampling: n independent replies)", a.data.config.search.rollouts, b.data.config.search.rollouts, "num"],
    ["Tokens / problem", METRIC_DEFINITIONS.tokens, a.data.metrics?.tokensPerProblem, b.data.metrics?.tokensPerProblem, "num"],
    ["PRM tokens / problem", METRIC_DEFINITIONS.prmTokens, a.data.metrics?.prmTokensPerProblem, b.data.metrics?.prmTokensPerProblem, "num"],
  ];
  const curves = [a.data, b.data].map((e) => ({
    key: e.mode,
    label: `${e.mode} · ${e.model}`,
    points: e.metrics?.tokenCurve ?? [],
    emptyNote: emptyCurveNote(e.metrics?.problems ?? 0),
  }));
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
            {[a.data, b.data].map((e) => (
              // Each column opens its own experiment (its trees, export, annotation): the pair's page shows the first.
              <th key={e.id} className="pr-6 text-right">
                <Link href={`/experiments/${e.id}`} className="normal-case text-indigo-700 hover:underline" data-testid="comparison-experiment" title={e.name}>
                  {e.mode}
                </Link>
              </th>
            ))}
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
      <h3 className="mt-4 text-sm font-medium text-slate-700" title={METRIC_DEFINITIONS.tokenCurve}>
        Pass@1 against tokens spent<InfoMark />
      </h3>
      <BudgetCurveChart series={curves} definition={METRIC_DEFINITIONS.tokenCurve} />
      <h3 className="mt-4 text-sm font-medium text-slate-700">The paper&apos;s own figures ({PAPER_TABLE1.source}; not ours, no token counts given)</h3>
      <table className="text-sm" data-testid="paper-table1">
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            <th className="pr-6 text-left">Paper&apos;s model</th>
            <th className="pr-6 text-right">Pass@1 vanilla → pseudocode</th>
            <th className="text-right">ASPR vanilla → pseudocode</th>
          </tr>
        </thead>
        <tbody>
          {PAPER_TABLE1.rows.map((r) => (
            <tr key={r.model}>
              <td className="pr-6">{r.model} (paper)</td>
              <td className="pr-6 text-right tabular-nums">{percent(r.vanilla.pass1)} → {percent(r.pseudocode.pass1)}</td>
              <td className="text-right tabular-nums">{percent(r.vanilla.aspr)} → {percent(r.pseudocode.aspr)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
}
