"use client";

// The "Process reward model" section of the New experiment form: which PRM scores the steps (none, rollout labels,
// a vLLM-served PRM, an LLM judge), its endpoint, and whether its scores guide selection. Validated with the config.
import { LABEL_DEFINITIONS, PRM_MODE_DEFINITIONS, PRM_MODES, type PrmMode, GUIDE_KINDS, type GuideKind, type RolloutLabelKind } from "@/server/contracts";
import { FormField, INPUT_CLASS } from "../ui/form-field";
import { Panel } from "../ui/panel";

export interface PrmFormState {
  mode: PrmMode;
  baseUrl: string;
  model: string;
  stepTag: string;
  goodIndex: string;
  batchSize: string;
  guideWeight: string;
  guideKind: GuideKind;
  labels: RolloutLabelKind;
  samplesPerStep: string;
}

export const EMPTY_PRM: PrmFormState = {
  mode: "none",
  baseUrl: "",
  model: "",
  stepTag: "<extra_0>",
  goodIndex: "1",
  batchSize: "16",
  guideWeight: "0",
  guideKind: "value-mix",
  labels: "visit-weighted",
  samplesPerStep: "4",
};

const GUIDE_HINTS: Record<GuideKind, string> = {
  "value-mix": "value-mix: exploitation term (1−w)·Q/N + w·PRM",
  prior: "prior: PUCT-style bonus w·c·PRM·√N_parent/(1+N), and fresh children drawn partly by PRM score",
};

/** The config's `prm` section from the fields (numbers as typed; the zod schema reports bad ones by path). */
export function prmSection(state: PrmFormState) {
  const num = (text: string) => (text.trim() === "" ? undefined : Number(text));
  const remote = state.mode === "served" || state.mode === "judge";
  return {
    mode: state.mode,
    ...(remote && state.baseUrl.trim() ? { baseUrl: state.baseUrl.trim() } : {}),
    ...(remote && state.model.trim() ? { model: state.model.trim() } : {}),
    ...(state.mode === "served" ? { stepTag: state.stepTag, goodIndex: num(state.goodIndex), batchSize: num(state.batchSize) } : {}),
    ...(state.mode === "rollout" ? { labels: state.labels, ...(state.labels === "sampled" ? { samplesPerStep: num(state.samplesPerStep) } : {}) } : {}),
    guide: { weight: num(state.guideWeight), kind: state.guideKind },
  };
}

export function PrmFieldset({ value, onChange, errors }: { value: PrmFormState; onChange(next: PrmFormState): void; errors: Record<string, string> }) {
  const set = (patch: Partial<PrmFormState>) => onChange({ ...value, ...patch });
  const remote = value.mode === "served" || value.mode === "judge";
  return (
    <Panel title="Process reward model">
      <div className="grid gap-4 md:grid-cols-3">
        <FormField label="PRM" hint={PRM_MODE_DEFINITIONS[value.mode]} error={errors["prm.mode"]}>
          <select value={value.mode} onChange={(e) => set({ mode: e.target.value as PrmMode })} className={INPUT_CLASS} data-testid="field-prm-mode">
            {PRM_MODES.map((mode) => (
              <option key={mode} value={mode}>
                {mode}
              </option>
            ))}
          </select>
        </FormField>
        {remote ? (
          <>
            <FormField
              label={value.mode === "served" ? "PRM server" : "Judge endpoint"}
              hint={value.mode === "served" ? "vLLM serving the PRM with --runner pooling (its root or …/v1; /pooling is at the root)" : "Optional: OpenAI-compatible base URL; empty = the policy's endpoint"}
              error={errors["prm.baseUrl"]}
            >
              <input value={value.baseUrl} onChange={(e) => set({ baseUrl: e.target.value })} className={INPUT_CLASS} placeholder="http://127.0.0.1:8001" data-testid="field-prm-url" />
            </FormField>
            <FormField label="PRM model" hint={value.mode === "served" ? "As the server names it" : "Empty = the policy model"} error={errors["prm.model"]}>
              <input value={value.model} onChange={(e) => set({ model: e.target.value })} className={INPUT_CLASS} data-testid="field-prm-model" />
            </FormField>
          </>
        ) : null}
        {value.mode === "rollout" ? (
          <>
            <FormField label="Labels" hint={value.labels === "sampled" ? LABEL_DEFINITIONS.sampled : LABEL_DEFINITIONS.visitWeighted} error={errors["prm.labels"]}>
              <select value={value.labels} onChange={(e) => set({ labels: e.target.value as RolloutLabelKind })} className={INPUT_CLASS} data-testid="field-prm-labels">
                <option value="visit-weighted">visit-weighted (free: the search&apos;s own rollouts)</option>
                <option value="sampled">sampled, Math-Shepherd (k completions per step)</option>
              </select>
            </FormField>
            {value.labels === "sampled" ? (
              <FormField label="Samples per step (k)" hint="Independent completions sampled from every step; about k·depth extra LLM calls per step" error={errors["prm.samplesPerStep"]}>
                <input value={value.samplesPerStep} onChange={(e) => set({ samplesPerStep: e.target.value })} className={INPUT_CLASS} inputMode="numeric" />
              </FormField>
            ) : null}
          </>
        ) : null}
        {value.mode === "served" ? (
          <>
            <FormField label="Step tag" hint="Appended after every step; the PRM classifies at its position (Qwen2.5-Math-PRM: <extra_0>)" error={errors["prm.stepTag"]}>
              <input value={value.stepTag} onChange={(e) => set({ stepTag: e.target.value })} className={INPUT_CLASS} />
            </FormField>
            <FormField label="Good class index" hint="Which output class means a good step (Qwen2.5-Math-PRM: 1)" error={errors["prm.goodIndex"]}>
              <input value={value.goodIndex} onChange={(e) => set({ goodIndex: e.target.value })} className={INPUT_CLASS} inputMode="numeric" />
            </FormField>
            <FormField label="Batch size" hint="Paths per /pooling request" error={errors["prm.batchSize"]}>
              <input value={value.batchSize} onChange={(e) => set({ batchSize: e.target.value })} className={INPUT_CLASS} inputMode="numeric" />
            </FormField>
          </>
        ) : null}
        {remote ? (
          <>
            <FormField label="Guide weight w" hint="0 = the PRM only annotates the tree; > 0 blends its scores into selection (0–1)" error={errors["prm.guide.weight"]}>
              <input value={value.guideWeight} onChange={(e) => set({ guideWeight: e.target.value })} className={INPUT_CLASS} inputMode="decimal" data-testid="field-prm-guide-weight" />
            </FormField>
            <FormField label="Guide as" hint={GUIDE_HINTS[value.guideKind]} error={errors["prm.guide.kind"]}>
              <select value={value.guideKind} onChange={(e) => set({ guideKind: e.target.value as GuideKind })} className={INPUT_CLASS}>
                {GUIDE_KINDS.map((kind) => (
                  <option key={kind} value={kind}>
                    {kind}
                  </option>
                ))}
              </select>
            </FormField>
          </>
        ) : null}
      </div>
    </Panel>
  );
}


