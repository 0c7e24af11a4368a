"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "../trpc";
import { METRIC_DEFINITIONS, percent } from "./metric";
import { ProgressBar, StatusBadge } from "./status-badge";
import { InfoMark } from "../ui/info-mark";
import { DatasetFilter } from "../datasets/dataset-filter";
import { defaultExperimentName } from "@/server/contracts";

const STATUSES = ["QUEUED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"] as const;

export function ExperimentList() {
  const trpc = useTRPC();
  const [status, setStatus] = useState<(typeof STATUSES)[number] | "">("");
  const [datasetId, setDatasetId] = useState("");
  const experiments = useQuery({
    ...trpc.experiments.list.queryOptions({ status: status || undefined, datasetId: datasetId || undefined }),
    refetchInterval: (query) => (query.state.data?.some((e) => e.status === "RUNNING" || e.status === "QUEUED") ? 1_000 : false),
  });
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <label className="flex items-center gap-1 text-slate-600">
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value as typeof status)} className="rounded border border-slate-300 bg-white px-2 py-1" data-testid="filter-status">
            <option value="">all</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        <DatasetFilter value={datasetId} onChange={setDatasetId} testId="filter-dataset" />
      </div>
      {experiments.isError ? <p className="text-sm text-rose-700">{experiments.error.message}</p> : null}
      {experiments.data?.length === 0 ? <p className="text-sm text-slate-500">No experiments yet.</p> : null}
      {experiments.data?.length ? (
        <table className="w-full text-left text-sm" data-testid="experiment-table">
          <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="py-2 pr-3">Experiment</th>
              <th className="py-2 pr-3">Status</th>
              <th className="py-2 pr-3" title="Problems finished / selected">Progress</th>
              <th className="py-2 pr-3 text-right" title={METRIC_DEFINITIONS.pass1}>Pass@1<InfoMark /></th>
              <th className="py-2 pr-3 text-right" title={METRIC_DEFINITIONS.aspr}>ASPR<InfoMark /></th>
              <th className="py-2 pr-3 text-right" title={METRIC_DEFINITIONS.tokens}>Tokens / problem<InfoMark /></th>
              <th className="py-2 pr-3">Started</th>
              <th className="py-2">Finished</th>
            </tr>
          </thead>
          <tbody>
            {experiments.data.map((e) => (
              <tr key={e.id} className="border-b border-slate-100" data-testid="experiment-row">
                <td className="py-2 pr-3">
                  <Link href={`/experiments/${e.id}`} className="font-medium text-indigo-700 hover:underline">
                    {e.name}
                  </Link>
                  {/* An unnamed experiment is named after these three already. */}
                  {e.name === defaultExperimentName(e) ? null : (
                    <div className="text-xs text-slate-500">
                      {e.dataset} · {e.mode} · {e.model}
                    </div>
                  )}
                </td>
                <td className="py-2 pr-3">
                  <StatusBadge status={e.status} />
                </td>
                <td className="py-2 pr-3">
                  <ProgressBar done={e.problemsDone} total={e.problemsTotal} />
                </td>
                <td className="py-2 pr-3 text-right tabular-nums">{percent(e.metrics?.pass1)}</td>
                <td className="py-2 pr-3 text-right tabular-nums">{percent(e.metrics?.aspr)}</td>
                <td className="py-2 pr-3 text-right tabular-nums">{e.metrics?.tokensPerProblem?.toFixed(0) ?? "–"}</td>
                <td className="py-2 pr-3 text-xs text-slate-500">{e.startedAt ? new Date(e.startedAt).toLocaleString() : "–"}</td>
                <td className="py-2 text-xs text-slate-500">{e.finishedAt ? new Date(e.finishedAt).toLocaleString() : "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
