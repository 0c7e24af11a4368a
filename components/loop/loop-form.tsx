"use client";

// "New loop": the Self-play page's form for loop.json. The server validates with loop.json's schema (the same as
// `o1c loop run`) and names the field; the error is shown under that field.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { byField, serverIssues, type FieldErrors } from "../ui/field-errors";
import { DatasetSelect, useLaunchDataset } from "../datasets/dataset-select";
import { useRememberedEndpoint } from "../llm/remembered-endpoint";
import { FormField, FormFieldGroup, INPUT_CLASS } from "../ui/form-field";
import { useTRPC } from "../trpc";

const RECIPES = ["sft", "dpo", "prm", "tcg"] as const;

interface FormState {
  name: string;
  dataset: string;
  trainProblems: string;
  evalProblems: string;
  iterations: string;
  mode: "pseudocode" | "vanilla";
  rollouts: string;
  baseUrl: string;
  model: string;
  baseModel: string;
  accumulate: boolean;
  backend: "command" | "ray";
  recipes: string[];
  command: string;
  rayAddress: string;
  rayEntrypoint: string;
  outputRoot: string;
  publishKind: "vllm-lora" | "endpoint";
  endpoints: string;
}

const INITIAL: FormState = {
  name: "",
  dataset: "",
  trainProblems: "1-40",
  evalProblems: "41-60",
  iterations: "2",
  mode: "pseudocode",
  rollouts: "15",
  baseUrl: "http://127.0.0.1:8000/v1",
  model: "",
  baseModel: "",
  accumulate: true,
  backend: "command",
  recipes: ["sft", "dpo"],
  command: "",
  rayAddress: "http://127.0.0.1:8265",
  rayEntrypoint: "",
  outputRoot: "",
  publishKind: "vllm-lora",
  endpoints: "",
};

const num = (text: string) => (text.trim() === "" ? undefined : Number(text));
const blank = (text: string) => (text.trim() === "" ? undefined : text.trim());

function toConfig(f: FormState, dataset: string) {
  return {
    name: f.name.trim(),
    dataset,
    trainProblems: f.trainProblems,
    evalProblems: f.evalProblems,
    iterations: num(f.iterations),
    mode: f.mode,
    search: { rollouts: num(f.rollouts) },
    llm: { baseUrl: f.baseUrl.trim(), model: f.model.trim() },
    accumulate: f.accumulate,
    training: {
      backend: f.backend,
      recipes: RECIPES.filter((r) => f.recipes.includes(r)),
      baseModel: blank(f.baseModel),
      outputRoot: f.outputRoot.trim(),
      ...(f.backend === "command" ? { command: blank(f.command) } : { ray: { address: f.rayAddress.trim(), entrypoint: blank(f.rayEntrypoint) } }),
    },
    publish:
      f.publishKind === "vllm-lora"
        ? { kind: "vllm-lora" as const }
        : {
            kind: "endpoint" as const,
            endpoints: f.endpoints
              .split("\n")
              .map((line) => line.trim())
              .filter(Boolean)
              .map((line) => {
                const [baseUrl = "", model = ""] = line.split(/\s+/);
                return { baseUrl, model };
              }),
          },
  };
}

export function LoopForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<FormState>(INITIAL);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const datasets = useQuery(trpc.datasets.list.queryOptions());
  const rememberEndpoint = useRememberedEndpoint((remembered) => setForm((f) => ({ ...f, ...remembered })));
  const start = useMutation(
    trpc.loops.start.mutationOptions({
      onSuccess: async ({ id }, { config }) => {
        // What was launched (the variables; the route takes the config unparsed), not the latest render's form.
        const launched = config as ReturnType<typeof toConfig>;
        rememberEndpoint(launched.llm);
        rememberDataset(launched.dataset);
        await queryClient.invalidateQueries(trpc.loops.list.pathFilter());
        router.push(`/loops/${id}`);
      },
      onError: (e) => {
        // Field errors carry their structured path in loop.json (the service's ValidationError); the rest is shown whole.
        const issues = serverIssues(e.data);
        setErrors(byField(issues));
        setFormError(issues.length ? null : e.message);
      },
    }),
  );
  const set = <K extends keyof FormState>(key: K) => (value: FormState[K]) => setForm((f) => ({ ...f, [key]: value }));
  const [dataset, rememberDataset] = useLaunchDataset(datasets.data, form.dataset);
  const errorFor = (...fields: string[]) => {
    const key = Object.keys(errors).find((k) => fields.some((f) => k === f || k.startsWith(`${f}.`)));
    return key === undefined ? undefined : errors[key];
  };
  const text = (key: keyof FormState, testId: string, placeholder?: string) => (
    <input value={form[key] as string} onChange={(e) => set(key)(e.target.value as never)} className={INPUT_CLASS} data-testid={testId} placeholder={placeholder} />
  );

  return (
    <form
      className="flex flex-col gap-4"
      data-testid="loop-form"
      onSubmit={(e) => {
        e.preventDefault();
        setErrors({});
        setFormError(null);
        start.mutate({ config: toConfig(form, dataset) });
      }}
    >
      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-4">
        <FormField label="Name" hint="Also the lineage's name; running a loop of this name again resumes it" error={errorFor("name")}>
          {text("name", "loop-field-name")}
        </FormField>
        <FormField label="Dataset" error={errorFor("dataset")}>
          <DatasetSelect datasets={datasets.data} value={dataset} onChange={set("dataset")} testId="loop-field-dataset" />
        </FormField>
        <FormField label="Train problems" hint="Searched for training data (1-40, ids, or all)" error={errorFor("trainProblems")}>
          {text("trainProblems", "loop-field-train")}
        </FormField>
        <FormField label="Held-out problems" hint="Evaluated every iteration, never trained on; must not overlap" error={errorFor("evalProblems")}>
          {text("evalProblems", "loop-field-eval")}
        </FormField>
        <FormField label="Iterations K" hint="Policies 1..K are trained; 0 is the base" error={errorFor("iterations")}>
          {text("iterations", "loop-field-iterations")}
        </FormField>
        <FormField label="Mode" error={errorFor("mode")}>
          <select value={form.mode} onChange={(e) => set("mode")(e.target.value as FormState["mode"])} className={INPUT_CLASS} data-testid="loop-field-mode">
            <option value="pseudocode">pseudocode</option>
            <option value="vanilla">vanilla</option>
          </select>
        </FormField>
        <FormField label="Rollouts per problem" error={errorFor("search")}>
          {text("rollouts", "loop-field-rollouts")}
        </FormField>
        <FormField label="Accumulate data (D ∪ D′)" hint="Train each policy on all earlier iterations' data">
          <input type="checkbox" checked={form.accumulate} onChange={(e) => set("accumulate")(e.target.checked)} className="self-start" data-testid="loop-field-accumulate" />
        </FormField>
        <FormField label="LLM endpoint" hint="vLLM with --enable-lora for runtime LoRA publishing" error={errorFor("llm.baseUrl", "llm")}>
          {text("baseUrl", "loop-field-base-url")}
        </FormField>
        <FormField label="Base model (served name)" error={errorFor("llm.model")}>
          {text("model", "loop-field-model")}
        </FormField>
        <FormField label="Base model for training" hint="Hugging Face id or path; default: the served name" error={errorFor("training.baseModel")}>
          {text("baseModel", "loop-field-train-base")}
        </FormField>
        <FormField label="Output folder" hint="Data files and adapters (shared with vLLM / the cluster)" error={errorFor("training.outputRoot")}>
          {text("outputRoot", "loop-field-output", "/data/o1c-loops")}
        </FormField>
        <FormFieldGroup label="Recipes" hint="In order; DPO continues SFT's adapter" error={errorFor("training.recipes")}>
          <div className="flex gap-3 text-sm">
            {RECIPES.map((r) => (
              <label key={r} className="flex items-center gap-1">
                <input
                  type="checkbox"
                  checked={form.recipes.includes(r)}
                  onChange={(e) => set("recipes")(e.target.checked ? [...form.recipes, r] : form.recipes.filter((x) => x !== r))}
                  data-testid={`loop-recipe-${r}`}
                />
                {r}
              </label>
            ))}
          </div>
        </FormFieldGroup>
        <FormField label="Training backend" error={errorFor("training.backend", "training.ray")}>
          <select value={form.backend} onChange={(e) => set("backend")(e.target.value as FormState["backend"])} className={INPUT_CLASS} data-testid="loop-field-backend">
            <option value="command">command (TRL on this machine)</option>
            <option value="ray">Ray cluster (Jobs API)</option>
          </select>
        </FormField>
        {form.backend === "command" ? (
          <div className="md:col-span-2">
            <FormField label="Command template" hint="Empty: the shipped TRL script. Placeholders {recipe} {data} {output} {base_model} {iteration} {init} {recipes_dir}" error={errorFor("training.command")}>
              {text("command", "loop-field-command")}
            </FormField>
          </div>
        ) : (
          <>
            <FormField label="Ray dashboard" error={errorFor("training.ray.address")}>
              {text("rayAddress", "loop-field-ray-address")}
            </FormField>
            <FormField label="Ray entrypoint template" hint="Empty: the shipped TRL script" error={errorFor("training.ray.entrypoint")}>
              {text("rayEntrypoint", "loop-field-ray-entrypoint")}
            </FormField>
          </>
        )}
        <FormField label="Publish" error={errorFor("publish")}>
          <select value={form.publishKind} onChange={(e) => set("publishKind")(e.target.value as FormState["publishKind"])} className={INPUT_CLASS} data-testid="loop-field-publish">
            <option value="vllm-lora">vLLM runtime LoRA</option>
            <option value="endpoint">my own endpoints</option>
          </select>
        </FormField>
        {form.publishKind === "endpoint" ? (
          <FormField label="Endpoints" hint="One line per trained policy: base URL, space, model" error={errorFor("publish.endpoints")}>
            <textarea value={form.endpoints} onChange={(e) => set("endpoints")(e.target.value)} className={INPUT_CLASS} rows={3} data-testid="loop-field-endpoints" />
          </FormField>
        ) : null}
      </div>
      {formError ? (
        <p className="text-sm font-medium text-rose-700" data-testid="loop-form-error">
          {formError}
        </p>
      ) : null}
      <div>
        <button type="submit" disabled={start.isPending} className="rounded bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-50" data-testid="loop-start">
          {start.isPending ? "Starting…" : "Start loop"}
        </button>
      </div>
    </form>
  );
}
