"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "../trpc";

export function CreateLineageForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const create = useMutation(
    trpc.lineages.create.mutationOptions({
      onSuccess: (lineage) => {
        void queryClient.invalidateQueries({ queryKey: trpc.lineages.pathKey() });
        router.push(`/lineages/${lineage.id}`);
      },
    }),
  );
  return (
    <form
      className="grid gap-3 md:grid-cols-[1fr_2fr_auto] md:items-end"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ name, description: description || undefined });
      }}
      data-testid="create-lineage-form"
    >
      <label className="flex flex-col gap-1 text-xs font-medium text-slate-700">
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} className={INPUT} placeholder="e.g. qwen7b-mbpp-selfplay" data-testid="lineage-name-input" />
      </label>
      <label className="flex flex-col gap-1 text-xs font-medium text-slate-700">
        Description (optional)
        <input value={description} onChange={(e) => setDescription(e.target.value)} className={INPUT} placeholder="base model, data, training recipe" />
      </label>
      <button type="submit" disabled={create.isPending} className="rounded bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-50" data-testid="create-lineage">
        Create lineage
      </button>
      {create.isError ? (
        <p className="text-sm text-rose-700 md:col-span-3" data-testid="create-lineage-error">
          {create.error.message}
        </p>
      ) : null}
    </form>
  );
}

const INPUT = "w-full rounded border border-slate-300 bg-white px-2 py-1 text-sm font-normal";
