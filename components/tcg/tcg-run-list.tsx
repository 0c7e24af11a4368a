"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { percent } from "../experiments/metric";
import { StatusBadge } from "../experiments/status-badge";
import { useTRPC } from "../trpc";
import { InfoMark } from "../ui/info-mark";
import { TCG_DEFINITIONS, agreementText, agreementTitle } from "./tcg-format";
import { DatasetFilter } from "../datasets/dataset-filter";

export function TcgRunList() {
  const trpc = useTRPC();
  const [datasetId, setDatasetId] = useState("");
  const runs = useQuery({
    ...trpc.tcg.list.queryOptions({ datasetId: datasetId || undefined }),
    refetchInterval: (query) => (query.state.data?.some((r) => r.status === "running") ? 2_000 : false),
  });
  return (
    <div className="flex flex-col gap-3">
      <DatasetFilter value={datasetId} onChange={setDatasetId} testId="tcg-filter-dataset" />
      {runs.isError ? <p className="text-sm text-rose-700">{runs.error.message}</p> : null}
      {runs.data?.length === 0 ? (
        <p className="text-sm text-slate-500">
          No test-generation runs yet. Start one with <strong>Generate tests</strong> above, or from the command line:{" "}
          <code className="rounded bg-slate-100 px-1">npx o1c tcg --dataset mbpp --problems 1-20 --llm URL --model NAME</code>
        </p>
      ) : null}
      {runs.data?.length ? (
        <table className="w-full text-left text-sm" data-testid="tcg-run-table">
          <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="py-2 pr-3">Run</th>
              <th className="py-2 pr-3">Status</th>
              <th className="py-2 pr-3 text-right" title="Problems the run asked test cases for">Problems<InfoMark /></th>
              <th className="py-2 pr-3 text-right" title={TCG_DEFINITIONS.generated}>Generated<InfoMark /></th>
              <th className="py-2 pr-3 text-right" title={TCG_DEFINITIONS.valid}>Valid<InfoMark /></th>
              <th className="py-2 pr-3 text-right" title={TCG_DEFINITIONS.validityRate}>Validity<InfoMark /></th>
              <th className="py-2 pr-3 text-right" title={TCG_DEFINITIONS.agreement}>Agreement<InfoMark /></th>
              <th className="py-2">Started</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.map((run) => (
              <tr key={run.id} className="border-b border-slate-100" data-testid="tcg-run-row">
                <td className="py-2 pr-3">
                  <Link href={`/tcg/${run.id}`} className="font-medium text-indigo-700 hover:underline">
                    {run.name}
                  </Link>
                  <div className="text-xs text-slate-500" title="Test cases asked for per problem">
                    {run.cases ?? "?"} cases per problem · {run.llmBaseUrl}
                  </div>
                </td>
                <td className="py-2 pr-3">
                  <StatusBadge status={run.status.toUpperCase()} />
                </td>
                <td className="py-2 pr-3 text-right tabular-nums">{run.problems}</td>
                <td className="py-2 pr-3 text-right tabular-nums">{run.report?.generated ?? "–"}</td>
                <td className="py-2 pr-3 text-right tabular-nums">{run.report?.valid ?? "–"}</td>
                <td className="py-2 pr-3 text-right tabular-nums">{percent(run.report?.validityRate)}</td>
                <td className="py-2 pr-3 text-right tabular-nums" title={agreementTitle(run.report?.agreement)}>
                  {agreementText(run.report?.agreement)}
                </td>
                <td className="py-2 text-xs text-slate-500">{new Date(run.createdAt).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
