"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { LINEAGE_DEFINITIONS } from "@/server/contracts";
import { Panel } from "../ui/panel";
import { useTRPC } from "../trpc";
import { AttachExperimentForm } from "./attach-experiment-form";
import { LineageCharts } from "./lineage-charts";
import { LineageTable } from "./lineage-table";

/** The lineage page: its iterations compared as a table and as plots, and a way to attach another experiment. */
export function LineageComparison({ lineageId }: { lineageId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const lineage = useQuery({
    ...trpc.lineages.get.queryOptions({ id: lineageId }),
    // Running iterations fill in their metrics when they complete.
    refetchInterval: (query) => (query.state.data?.iterations.some((g) => g.rows.some((r) => r.status === "RUNNING" || r.status === "QUEUED")) ? 3_000 : false),
  });
  const detach = useMutation(trpc.lineages.detach.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.lineages.pathKey() }) }));

  if (lineage.isPending) return <p className="text-sm text-slate-500">Loading…</p>;
  if (lineage.isError) return <p className="text-sm text-rose-700">{lineage.error.message}</p>;
  const l = lineage.data;
  const rows = l.iterations.flatMap((g) => g.rows);
  const nextIteration = l.iterations.length ? Math.max(...l.iterations.map((g) => g.iteration)) + 1 : 0;

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-baseline gap-3">
        <Link href="/lineages" className="text-sm text-indigo-700 hover:underline">
          ← Lineages
        </Link>
        <h1 className="text-xl font-semibold" data-testid="lineage-name">
          {l.name}
        </h1>
        <span className="text-sm text-slate-500">
          {l.iterations.length} iteration{l.iterations.length === 1 ? "" : "s"} · {rows.length} experiment{rows.length === 1 ? "" : "s"}
        </span>
      </div>
      {l.description ? <p className="max-w-3xl text-sm text-slate-600">{l.description}</p> : null}
      <p className="max-w-4xl text-xs text-slate-500">
        {LINEAGE_DEFINITIONS.iteration} Each experiment of an iteration is its own row (e.g. a vanilla / pseudocode pair). {LINEAGE_DEFINITIONS.delta}{" "}
        {LINEAGE_DEFINITIONS.tcgValidity}
      </p>

      <Panel title="Iterations">
        {rows.length === 0 ? (
          <p className="text-sm text-slate-500">No iterations yet: attach an experiment below, or launch one with this lineage&apos;s name.</p>
        ) : (
          <LineageTable groups={l.iterations} onDetach={(experimentId) => detach.mutate({ experimentId })} detaching={detach.isPending} />
        )}
        {detach.isError ? <p className="mt-2 text-sm text-rose-700">{detach.error.message}</p> : null}
      </Panel>

      {rows.length > 0 ? (
        <Panel title="Over iterations">
          <LineageCharts rows={rows} />
        </Panel>
      ) : null}

      <Panel title="Attach an experiment as an iteration">
        <AttachExperimentForm lineageId={l.id} nextIteration={nextIteration} />
      </Panel>
    </div>
  );
}
