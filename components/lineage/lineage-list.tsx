"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { LINEAGE_DEFINITIONS } from "@/server/contracts";
import { useTRPC } from "../trpc";
import { InfoMark } from "../ui/info-mark";

export function LineageList() {
  const trpc = useTRPC();
  const lineages = useQuery(trpc.lineages.list.queryOptions());
  if (lineages.isPending) return <p className="text-sm text-slate-500">Loading lineages…</p>;
  if (lineages.isError) return <p className="text-sm text-rose-700">Could not load lineages: {lineages.error.message}</p>;
  if (lineages.data.length === 0) return <p className="text-sm text-slate-500">No lineages yet. Create one above, or launch an experiment with a lineage name.</p>;
  return (
    <table className="w-full text-left text-sm" data-testid="lineage-list">
      <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
        <tr>
          <th className="py-2 pr-4">Name</th>
          <th className="py-2 pr-4 text-right" title={`Distinct iteration numbers that hold at least one experiment. ${LINEAGE_DEFINITIONS.iteration}`}>
            Iterations<InfoMark />
          </th>
          <th className="py-2 pr-4 text-right" title="Experiments in the lineage, over all its iterations">
            Experiments<InfoMark />
          </th>
          <th className="py-2 pr-4 text-right" title="The highest iteration number recorded">
            Latest iteration<InfoMark />
          </th>
          <th className="py-2">Created</th>
        </tr>
      </thead>
      <tbody>
        {lineages.data.map((l) => (
          <tr key={l.id} className="border-b border-slate-100 last:border-0" data-testid="lineage-list-row">
            <td className="py-2 pr-4">
              <Link href={`/lineages/${l.id}`} className="font-medium text-indigo-700 hover:underline">
                {l.name}
              </Link>
              {l.description ? <div className="text-xs text-slate-500">{l.description}</div> : null}
            </td>
            <td className="py-2 pr-4 text-right tabular-nums">{l.iterations}</td>
            <td className="py-2 pr-4 text-right tabular-nums">{l.experiments}</td>
            <td className="py-2 pr-4 text-right tabular-nums">{l.latestIteration ?? "–"}</td>
            <td className="py-2 text-slate-500">{new Date(l.createdAt).toLocaleString()}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
