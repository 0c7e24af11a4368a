"use client";

import { useQuery } from "@tanstack/react-query";
import { LINEAGE_DEFINITIONS, type LineageSection } from "@/server/contracts";
import { FormField, INPUT_CLASS } from "../ui/form-field";
import { Panel } from "../ui/panel";
import { useTRPC } from "../trpc";

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
          <FormField label="Lineage" hint="An existing lineage, or a new name (created on launch)" error={errors["lineage.name"] ?? errors.lineage}>
            {(control) => (
              <>
                <input value={value.name} onChange={(e) => set({ name: e.target.value })} list="lineage-names" className={INPUT_CLASS} data-testid="field-lineage-name" {...control} />
                <datalist id="lineage-names">
                  {lineages.data?.map((l) => <option key={l.id} value={l.name} label={`latest iteration ${l.latestIteration ?? "–"}`} />)}
                </datalist>
              </>
            )}
          </FormField>
          <FormField label="Iteration" title={LINEAGE_DEFINITIONS.iteration} hint="0 = the base policy; k + 1 = trained on iteration k's exports" error={errors["lineage.iteration"]}>
            <input value={value.iteration} onChange={(e) => set({ iteration: e.target.value })} inputMode="numeric" className={INPUT_CLASS} data-testid="field-lineage-iteration" />
          </FormField>
          <FormField label="Trained on" title={LINEAGE_DEFINITIONS.trainedOn} hint="Optional, e.g. sft.jsonl + dpo.jsonl exported from iteration 0" error={errors["lineage.trainedOn"]}>
            <input value={value.trainedOn} onChange={(e) => set({ trainedOn: e.target.value })} className={INPUT_CLASS} data-testid="field-lineage-trained-on" />
          </FormField>
        </div>
      ) : null}
    </Panel>
  );
}


