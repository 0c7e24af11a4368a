"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { LINEAGE_DEFINITIONS } from "@/server/contracts";
import { useTRPC } from "../trpc";
import { InfoMark } from "../ui/info-mark";

/** "Self-play: iteration k of lineage L" on the experiment page; nothing when the experiment is in no lineage. */
export function ExperimentLineageLink({ experimentId }: { experimentId: string }) {
  const trpc = useTRPC();
  const lineage = useQuery(trpc.lineages.ofExperiment.queryOptions({ experimentId }));
  if (!lineage.data) return null;
  const { lineage: l, iteration, trainedOn } = lineage.data;
  return (
    <p className="text-sm text-slate-600" data-testid="experiment-lineage">
      <span title={LINEAGE_DEFINITIONS.iteration}>
        Self-play: iteration {iteration}
        <InfoMark />
      </span>{" "}
      of lineage{" "}
      <Link href={`/lineages/${l.id}`} className="font-medium text-indigo-700 hover:underline">
        {l.name}
      </Link>
      {trainedOn ? <span className="text-slate-500"> · trained on {trainedOn}</span> : null}
    </p>
  );
}
