"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Metric, percent } from "../experiments/metric";
import { StatusBadge } from "../experiments/status-badge";
import { useTRPC } from "../trpc";
import { InfoMark } from "../ui/info-mark";
import { Panel } from "../ui/panel";
import { TCG_DEFINITIONS, agreementText, agreementTitle } from "./tcg-format";
import { TcgProblemPanel } from "./tcg-problem-panel";
import type { TcgProblemRow } from "../router-types";
import { problemIdShown } from "../datasets/problem-id";

export function TcgRunDetail({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const run = useQuery({ ...trpc.tcg.get.queryOptions({ id: runId }), refetchInterval: (query) => (query.state.data?.status === "running" ? 2_000 : false) });
  const [selected, setSelected] = useState<string | null>(null);
  if (run.isError) return <p className="text-sm text-rose-700">{run.error.message}</p>;
  if (!run.data) return <p className="text-sm text-slate-500">Loading…</p>;
  const r = run.data.report;
  const problemId = selected ?? run.data.problemRows[0]?.problemId ?? null;
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <Link href="/tcg" className="text-sm text-indigo-700 hover:underline">
          ← Test generation runs
        </Link>
        <h1 className="text-xl font-semibold" data-testid="tcg-run-name">
          {run.data.name}
        </h1>
        <StatusBadge status={run.data.status.toUpperCase()} />
        <span className="text-xs text-slate-500">
          {run.data.cases ?? "?"} cases asked per problem · {run.data.llmBaseUrl} · started {new Date(run.data.createdAt).toLocaleString()}
        </span>
      </div>
      {run.data.error ? <p className="rounded border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800">{run.data.error}</p> : null}
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-8" data-testid="tcg-report">
        <Metric label="Generated" value={String(r?.generated ?? "–")} definition={TCG_DEFINITIONS.generated} testId="tcg-generated" />
        <Metric label="Parsed" value={String(r?.parsed ?? "–")} definition={TCG_DEFINITIONS.parsed} testId="tcg-parsed" />
        <Metric label="Duplicates" value={String(r?.duplicates ?? "–")} definition={TCG_DEFINITIONS.duplicates} />
        <Metric label="Valid" value={String(r?.valid ?? "–")} definition={TCG_DEFINITIONS.valid} testId="tcg-valid" />
        <Metric label="Invalid" value={String(r?.invalid ?? "–")} definition={TCG_DEFINITIONS.invalid} />
        <Metric label="Validity rate" value={percent(r?.validityRate)} definition={TCG_DEFINITIONS.validityRate} testId="tcg-validity" />
        <Metric label="Agreement" value={agreementText(r?.agreement)} definition={agreementTitle(r?.agreement)} testId="tcg-agreement" />
        <Metric
          label="Tokens"
          value={r ? String(r.promptTokens + r.completionTokens) : "–"}
          definition={r ? `Prompt + completion tokens as the server reported them: ${r.promptTokens} + ${r.completionTokens}.` : "Prompt + completion tokens as the server reported them."}
        />
      </div>
      <div className="grid gap-4 xl:grid-cols-[minmax(0,5fr)_minmax(0,7fr)]">
        <Panel title="Problems">
          <ProblemTable rows={run.data.problemRows} selected={problemId} onSelect={setSelected} />
        </Panel>
        {problemId ? <TcgProblemPanel runId={runId} problemId={problemId} /> : null}
      </div>
    </div>
  );
}

function ProblemTable({ rows, selected, onSelect }: { rows: TcgProblemRow[]; selected: string | null; onSelect: (id: string) => void }) {
  return (
    <table className="w-full text-left text-sm" data-testid="tcg-problem-table">
      <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
        <tr>
          <th className="py-2 pr-2">Problem</th>
          <th className="py-2 pr-2 text-right" title={TCG_DEFINITIONS.generated}>Gen<InfoMark /></th>
          <th className="py-2 pr-2 text-right" title={TCG_DEFINITIONS.parsed}>Parsed<InfoMark /></th>
          <th className="py-2 pr-2 text-right" title={TCG_DEFINITIONS.duplicates}>Dup<InfoMark /></th>
          <th className="py-2 pr-2 text-right" title={TCG_DEFINITIONS.valid}>Valid<InfoMark /></th>
          <th className="py-2 pr-2 text-right" title={TCG_DEFINITIONS.invalid}>Invalid<InfoMark /></th>
          <th className="py-2 text-right" title={TCG_DEFINITIONS.validityRate}>Validity<InfoMark /></th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr
            key={row.problemId}
            onClick={() => onSelect(row.problemId)}
            className={`cursor-pointer border-b border-slate-100 ${row.problemId === selected ? "bg-indigo-50" : "hover:bg-slate-50"}`}
            data-testid="tcg-problem-row"
          >
            <td className="py-1.5 pr-2">
              <span className="font-medium text-slate-800">#{row.ordinal}</span>{" "}
              {/* An id that only repeats the position (MBPP's "1") is not shown twice ("#1 1"). */}
              {row.title || problemIdShown({ problemExternalId: row.externalId, problemOrdinal: row.ordinal }) ? <span className="text-slate-600">{row.title || row.externalId}</span> : null}
              {row.error ? <div className="text-xs text-rose-700">error: {row.error}</div> : null}
              {!row.hasReference ? (
                <div className="text-xs text-amber-700" title={TCG_DEFINITIONS.unvalidated}>
                  no reference solution: {row.unvalidated} unvalidated
                </div>
              ) : null}
            </td>
            <td className="py-1.5 pr-2 text-right tabular-nums">{row.generated}</td>
            <td className="py-1.5 pr-2 text-right tabular-nums">{row.parsed}</td>
            <td className="py-1.5 pr-2 text-right tabular-nums">{row.duplicates}</td>
            <td className="py-1.5 pr-2 text-right tabular-nums text-emerald-700">{row.valid}</td>
            <td className={`py-1.5 pr-2 text-right tabular-nums ${row.invalid > 0 ? "text-rose-700" : ""}`}>{row.invalid}</td>
            <td className="py-1.5 text-right tabular-nums">{percent(row.validityRate)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
