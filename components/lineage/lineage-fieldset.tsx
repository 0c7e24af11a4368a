"use client";

import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { LINEAGE_DEFINITIONS } from "@/server/lineage/definitions";
import type { LineageSection } from "@/server/lineage/lineage-config";
import { Panel } from "../ui/panel";
import { useTRPC } from "../trpc";
import { InfoMark } from "../ui/info-mark";

export interface LineageFormState {
  enabled: boolean;
  name: string;
  iteration: string;
  trainedOn: string;
}

export const EMPTY_LINEAGE: LineageFormState = { enabled: false, name: "", iteration: "0", trainedOn: "" };

/** The config's `lineage` section from the fields; undefined when the experiment is in no lineage. Validated with the config. */
export function lineageSection(state: LineageFormState): LineageSection | undefined {
  if (!state.enabled) return undefined;
  const iteration = state.iteration.trim() === "" ? undefined : Number(state.iteration);
  return { name: state.name, iteration: iteration as number, trainedOn: state.trainedOn || undefined };
}

/** Optional "Self-play lineage" section of the New experiment form; errors are keyed by config path (lineage.iteration). */
export function LineageFieldset({ value, onChange, errors }: { value: LineageFormState; onChange(next: LineageFormState): void; errors: Record<string, string> }) {
  const trpc = useTRPC();
  const lineages = useQuery({ ...trpc.lineages.list.queryOptions(), enabled: value.enabled });
  const set = (patch: Partial<LineageFormState>) => onChange({ ...value, ...patch });
  return (
    <Panel title="Self-play lineage">
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={value.enabled} onChange={(e) => set({ enabled: e.target.checked })} data-testid="field-lineage-enabled" />
        This experiment is an iteration of a self-play lineage
      </label>
      {value.enabled ? (
        <div className="mt-3 grid gap-4 md:grid-cols-3">
          <Field label="Lineage" hint="An existing lineage, or a new name (created on launch)" error={errors["lineage.name"] ?? errors.lineage}>
            <input value={value.name} onChange={(e) => set({ name: e.target.value })} list="lineage-names" className={INPUT} data-testid="field-lineage-name" />
            <datalist id="lineage-names">
              {lineages.data?.map((l) => <option key={l.id} value={l.name} label={`latest iteration ${l.latestIteration ?? "–"}`} />)}
            </datalist>
          </Field>
          <Field label="Iteration" title={LINEAGE_DEFINITIONS.iteration} hint="0 = the base policy; k + 1 = trained on iteration k's exports" error={errors["lineage.iteration"]}>
            <input value={value.iteration} onChange={(e) => set({ iteration: e.target.value })} inputMode="numeric" className={INPUT} data-testid="field-lineage-iteration" />
          </Field>
          <Field label="Trained on" title={LINEAGE_DEFINITIONS.trainedOn} hint="Optional, e.g. sft.jsonl + dpo.jsonl exported from iteration 0" error={errors["lineage.trainedOn"]}>
            <input value={value.trainedOn} onChange={(e) => set({ trainedOn: e.target.value })} className={INPUT} data-testid="field-lineage-trained-on" />
          </Field>
        </div>
      ) : null}
    </Panel>
  );
}

const INPUT = "w-full rounded border border-slate-300 bg-white px-2 py-1 text-sm";

function Field({ label, title, hint, error, children }: { label: string; title?: string; hint: string; error?: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <span className="text-xs font-medium text-slate-700" title={title}>
        {label}
        {title ? <InfoMark /> : null}
      </span>
      {children}
      <span className="text-xs text-slate-500">{hint}</span>
      {error ? (
        <span className="text-xs font-medium text-rose-700" data-testid="field-error">
          {error}
        </span>
      ) : null}
    </div>
  );
}
