"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { LINEAGE_DEFINITIONS, describeDeltaBasis } from "@/server/contracts";
import type { IterationGroup, IterationRow } from "../router-types";
import { METRIC_DEFINITIONS, percent } from "../experiments/metric";
import { StatusBadge } from "../experiments/status-badge";
import { InfoMark } from "../ui/info-mark";

/** One row per experiment, grouped under its iteration; each number with its Δ from the previous iteration. */
export function LineageTable({ groups, onDetach, detaching }: { groups: readonly IterationGroup[]; onDetach(experimentId: string): void; detaching: boolean }) {
  const names = new Map(groups.flatMap((g) => g.rows.map((r) => [r.experimentId, r.name] as const)));
  return (
    <table className="w-full text-left text-sm" data-testid="lineage-table">
      <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
        <tr>
          <Th title={LINEAGE_DEFINITIONS.iteration}>Iteration</Th>
          <th className="py-2 pr-3">Experiment</th>
          <Th title="The policy: the served model name and its endpoint (OpenAI-compatible base URL, or the GGUF file).">Policy</Th>
          <Th title={LINEAGE_DEFINITIONS.trainedOn}>Trained on</Th>
          <th className="py-2 pr-3">Status</th>
          <Th title={`${METRIC_DEFINITIONS.pass1}\n${LINEAGE_DEFINITIONS.delta}`} right>Pass@1 (Δ)</Th>
          <Th title={`${METRIC_DEFINITIONS.aspr}\n${LINEAGE_DEFINITIONS.delta}`} right>ASPR (Δ)</Th>
          <Th title={`${METRIC_DEFINITIONS.tokens}\n${LINEAGE_DEFINITIONS.delta}`} right>Tokens / problem (Δ)</Th>
          <Th title={`${LINEAGE_DEFINITIONS.tcgValidity}\n${LINEAGE_DEFINITIONS.delta}`} right>TCG validity (Δ)</Th>
          <Th title={LINEAGE_DEFINITIONS.judgements} right>Judgements</Th>
          <Th title={LINEAGE_DEFINITIONS.annotators} right>Annotators</Th>
          <th className="py-2" />
        </tr>
      </thead>
      {groups.map((group) => (
        <tbody key={group.iteration} className="border-b border-slate-200" data-testid="lineage-iteration">
          {group.rows.map((row, i) => (
            <tr key={row.experimentId} className="border-b border-slate-100 align-top last:border-0" data-testid="lineage-row">
              {i === 0 ? (
                <td rowSpan={group.rows.length} className="py-2 pr-3 text-lg font-semibold tabular-nums text-slate-700">
                  {group.iteration}
                  {group.iteration === 0 ? <div className="text-xs font-normal text-slate-500">base policy</div> : null}
                </td>
              ) : null}
              <td className="py-2 pr-3">
                <Link href={`/experiments/${row.experimentId}`} className="font-medium text-indigo-700 hover:underline">
                  {row.name}
                </Link>
                <div className="text-xs text-slate-500">
                  {row.dataset} · {row.mode}
                  {row.problems !== null ? ` · ${row.problems} problems judged` : ""}
                </div>
                <DeltaBasisNote row={row} />
              </td>
              <td className="max-w-[14rem] py-2 pr-3">
                <div className="font-medium">{row.model}</div>
                <div className="break-all font-mono text-xs text-slate-500">{row.endpoint}</div>
              </td>
              <td className="max-w-[14rem] py-2 pr-3 text-xs text-slate-600">{row.trainedOn ?? <span className="text-slate-400">–</span>}</td>
              <td className="py-2 pr-3">
                <StatusBadge status={row.status} />
              </td>
              <NumberCell value={percent(row.pass1)} delta={row.delta.pass1} kind="pct" previous={previousLabel(row, names)} />
              <NumberCell value={percent(row.aspr)} delta={row.delta.aspr} kind="pct" previous={previousLabel(row, names)} />
              <NumberCell value={row.tokensPerProblem?.toFixed(0) ?? "–"} delta={row.delta.tokensPerProblem} kind="num" previous={previousLabel(row, names)} />
              <NumberCell
                value={row.tcg ? percent(row.tcg.validityRate) : "–"}
                delta={row.delta.tcgValidity}
                kind="pct"
                previous={previousLabel(row, names)}
                note={row.tcg ? `TCG run ${row.tcg.runId}${row.tcg.finishedAt ? `, finished ${new Date(row.tcg.finishedAt).toLocaleString()}` : ""}` : "No completed TCG run on this dataset with this model name"}
              />
              <td className="py-2 pr-3 text-right tabular-nums">{row.judgements}</td>
              <td className="py-2 pr-3 text-right tabular-nums">{row.annotators}</td>
              <td className="py-2 text-right">
                <button
                  type="button"
                  disabled={detaching}
                  onClick={() => onDetach(row.experimentId)}
                  className="text-xs text-slate-500 hover:text-rose-700 disabled:opacity-50"
                  title="Take this experiment out of the lineage (the experiment itself is kept)"
                  data-testid="detach"
                >
                  detach
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      ))}
    </table>
  );
}

/** Which problems the row's Δ compares (all, the common ones, or none: not comparable). */
function DeltaBasisNote({ row }: { row: IterationRow }) {
  const basis = describeDeltaBasis(row.delta);
  if (!basis) return null;
  const tone = !basis.comparable ? "font-medium text-amber-700" : row.delta.sameProblems ? "text-slate-500" : "text-amber-700";
  return (
    <div className={`text-xs ${tone}`} data-testid="delta-basis" data-comparable={basis.comparable}>
      {basis.text}
    </div>
  );
}

function Th({ title, right, children }: { title: string; right?: boolean; children: ReactNode }) {
  return (
    <th className={`py-2 pr-3 ${right ? "text-right" : ""}`} title={title}>
      {children}
      <InfoMark />
    </th>
  );
}

function previousLabel(row: IterationRow, names: ReadonlyMap<string, string>): string {
  const previous = row.delta.previous;
  return previous ? `vs iteration ${previous.iteration}: ${names.get(previous.experimentId) ?? previous.experimentId}` : "first iteration of this dataset and mode: nothing to compare with";
}

function NumberCell({ value, delta, kind, previous, note }: { value: string; delta: number | null; kind: "pct" | "num"; previous: string; note?: string }) {
  return (
    <td className="py-2 pr-3 text-right tabular-nums" title={note ? `${note}\n${previous}` : previous}>
      <div>{value}</div>
      <div className={`text-xs ${deltaTone(delta, kind)}`}>{formatDelta(delta, kind)}</div>
    </td>
  );
}

export function formatDelta(delta: number | null, kind: "pct" | "num"): string {
  if (delta === null) return "";
  const scaled = kind === "pct" ? delta * 100 : delta;
  return `${scaled >= 0 ? "+" : ""}${scaled.toFixed(kind === "pct" ? 1 : 0)}${kind === "pct" ? " pts" : ""}`;
}

/** Higher accuracy is better; a token change is shown without judgement (more tokens may buy accuracy). */
function deltaTone(delta: number | null, kind: "pct" | "num"): string {
  if (delta === null || kind === "num" || delta === 0) return "text-slate-500";
  return delta > 0 ? "text-emerald-700" : "text-rose-700";
}
