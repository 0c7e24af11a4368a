"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { LINEAGE_DEFINITIONS, iterationSchema } from "@/server/contracts";
import { useTRPC } from "../trpc";
import { InfoMark } from "../ui/info-mark";

/** Attach an existing experiment (one in no lineage) as iteration k, with what its policy was trained on. */
export function AttachExperimentForm({ lineageId, nextIteration }: { lineageId: string; nextIteration: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const candidates = useQuery(trpc.lineages.attachable.queryOptions());
  const [experimentId, setExperimentId] = useState("");
  const [iteration, setIteration] = useState<string | null>(null);
  const [trainedOn, setTrainedOn] = useState("");
  const [localError, setLocalError] = useState<string | null>(null);
  const attach = useMutation(
    trpc.lineages.attach.mutationOptions({
      onSuccess: () => {
        setExperimentId("");
        setIteration(null);
        setTrainedOn("");
        void queryClient.invalidateQueries({ queryKey: trpc.lineages.pathKey() });
      },
    }),
  );
  const iterationText = iteration ?? String(nextIteration);
  const chosen = experimentId || candidates.data?.[0]?.id || "";
  if (candidates.data?.length === 0) {
    return <p className="text-sm text-slate-500">Every experiment is already in a lineage. Launch one with the “Self-play lineage” section of the New experiment form, or `o1c run … --lineage NAME --iteration K`.</p>;
  }
  return (
    <form
      className="grid gap-3 md:grid-cols-[2fr_8rem_2fr_auto] md:items-end"
      onSubmit={(e) => {
        e.preventDefault();
        // The same rule as the server's (which checks again): a whole number ≥ 0.
        const parsed = iterationSchema.safeParse(iterationText.trim() === "" ? undefined : Number(iterationText));
        setLocalError(parsed.success ? null : `Iteration: ${parsed.error.issues[0]?.message}`);
        if (parsed.success) attach.mutate({ lineageId, experimentId: chosen, iteration: parsed.data, trainedOn: trainedOn || undefined });
      }}
      data-testid="attach-form"
    >
      <label className="flex flex-col gap-1 text-xs font-medium text-slate-700">
        Experiment (in no lineage yet)
        <select value={chosen} onChange={(e) => setExperimentId(e.target.value)} className={INPUT} data-testid="attach-experiment">
          {candidates.data?.map((e) => (
            <option key={e.id} value={e.id}>
              {e.name} — {e.model} · {e.status.toLowerCase()}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-xs font-medium text-slate-700" title={LINEAGE_DEFINITIONS.iteration}>
        <span>
          Iteration<InfoMark />
        </span>
        <input value={iterationText} onChange={(e) => setIteration(e.target.value)} inputMode="numeric" className={INPUT} data-testid="attach-iteration" />
      </label>
      <label className="flex flex-col gap-1 text-xs font-medium text-slate-700" title={LINEAGE_DEFINITIONS.trainedOn}>
        <span>
          Trained on (optional)<InfoMark />
        </span>
        <input value={trainedOn} onChange={(e) => setTrainedOn(e.target.value)} placeholder="e.g. sft.jsonl + dpo.jsonl exported from iteration 0" className={INPUT} data-testid="attach-trained-on" />
      </label>
      <button type="submit" disabled={attach.isPending || !chosen} className="rounded bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-50" data-testid="attach-submit">
        Attach
      </button>
      {localError || attach.isError ? (
        <p className="text-sm text-rose-700 md:col-span-4" data-testid="attach-error">
          {localError ?? attach.error?.message}
        </p>
      ) : null}
    </form>
  );
}

const INPUT = "w-full rounded border border-slate-300 bg-white px-2 py-1 text-sm font-normal";
