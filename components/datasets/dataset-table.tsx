"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../trpc";

export function DatasetTable() {
  const trpc = useTRPC();
  const datasets = useQuery(trpc.datasets.list.queryOptions());
  if (datasets.isPending) return <p className="text-sm text-slate-500">Loading datasets…</p>;
  if (datasets.isError) return <p className="text-sm text-rose-700">Could not load datasets: {datasets.error.message}</p>;
  if (datasets.data.length === 0) return <p className="text-sm text-slate-500">No datasets yet. Import one above.</p>;
  return (
    <table className="w-full text-left text-sm" data-testid="dataset-table">
      <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
        <tr>
          <th className="py-2 pr-4">Name</th>
          <th className="py-2 pr-4">Format</th>
          <th className="py-2 pr-4 text-right">Problems</th>
          <th className="py-2 pr-4 text-right" title="Tests the search may see: shown in prompts and used for search rewards.">
            Search-visible tests
          </th>
          <th className="py-2 pr-4 text-right" title="Tests that only judge final answers (Pass@1, ASPR); never shown to the model or used in search.">
            Hidden tests
          </th>
          <th className="py-2 pr-4">Source file</th>
          <th className="py-2">Last imported</th>
        </tr>
      </thead>
      <tbody>
        {datasets.data.map((d) => (
          <tr key={d.id} className="border-b border-slate-100 last:border-0" data-testid="dataset-row">
            <td className="py-2 pr-4 font-medium">
              <Link href={`/datasets/${d.id}`} className="text-indigo-700 hover:underline">
                {d.name}
              </Link>
            </td>
            <td className="py-2 pr-4 text-slate-600">{d.format}</td>
            <td className="py-2 pr-4 text-right tabular-nums" data-testid="dataset-problem-count">
              {d.problemCount}
            </td>
            <td className="py-2 pr-4 text-right tabular-nums">{d.visibleTestCount}</td>
            <td className="py-2 pr-4 text-right tabular-nums">{d.hiddenTestCount}</td>
            <td className="py-2 pr-4 font-mono text-xs text-slate-500">{d.sourceFile ?? "built in"}</td>
            <td className="py-2 text-slate-500">{new Date(d.updatedAt).toLocaleString()}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
