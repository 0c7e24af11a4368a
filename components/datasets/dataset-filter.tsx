"use client";

// "Dataset: all | <name> …" — the filter above the lists of experiments and of test-generation runs.
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../trpc";

export function DatasetFilter({ value, onChange, testId }: { value: string; onChange(datasetId: string): void; testId: string }) {
  const trpc = useTRPC();
  const datasets = useQuery(trpc.datasets.list.queryOptions());
  return (
    <label className="flex items-center gap-1 text-sm text-slate-600">
      Dataset
      <select value={value} onChange={(e) => onChange(e.target.value)} className="rounded border border-slate-300 bg-white px-2 py-1" data-testid={testId}>
        <option value="">all</option>
        {datasets.data?.map((d) => (
          <option key={d.id} value={d.id}>
            {d.name}
          </option>
        ))}
      </select>
    </label>
  );
}
