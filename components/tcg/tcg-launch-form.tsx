"use client";

// "Generate tests": launches a Test Case Generator run through the server's runner (tcg.start), the browser's
// counterpart of `o1c tcg`. The same zod schema as the CLI and the server checks the fields before anything is sent.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { TCG_DEFAULT_CASES, tcgConfigSchema, type TcgConfigInput } from "@/server/contracts";
import { DatasetSelect, useLaunchDataset } from "../datasets/dataset-select";
import { FormField, INPUT_CLASS } from "../ui/form-field";
import { useTRPC } from "../trpc";
import { ConnectionResult, ModelField } from "../llm/model-field";
import { modelAfterConnectionTest, useRememberedEndpoint } from "../llm/remembered-endpoint";
import { byField, fieldErrors, serverIssues } from "../ui/field-errors";

type Errors = Record<string, string>;

interface FormState {
  dataset: string;
  from: string;
  to: string;
  baseUrl: string;
  model: string;
  api: "chat" | "completions";
  cases: string;
}

const INITIAL: FormState = { dataset: "", from: "1", to: "10", baseUrl: "http://127.0.0.1:8000/v1", model: "", api: "chat", cases: String(TCG_DEFAULT_CASES) };

/** Blank → undefined (the schema's default or its "required" message); anything else → a number, NaN included. */
const num = (text: string) => (text.trim() === "" ? undefined : Number(text));

function toConfig(f: FormState): TcgConfigInput {
  return {
    dataset: f.dataset,
    problems: { kind: "range", from: num(f.from)!, to: num(f.to)! },
    llm: { baseUrl: f.baseUrl.trim(), model: f.model.trim() || undefined, api: f.api },
    cases: num(f.cases),
  };
}

function validate(config: TcgConfigInput): Errors {
  return fieldErrors(tcgConfigSchema, config);
}

export function TcgLaunchForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<FormState>(INITIAL);
  const [errors, setErrors] = useState<Errors>({});
  const datasets = useQuery(trpc.datasets.list.queryOptions());
  const models = useMutation(trpc.experiments.listModels.mutationOptions());
  const rememberEndpoint = useRememberedEndpoint((remembered) => setForm((f) => ({ ...f, ...remembered })));
  const start = useMutation(
    trpc.tcg.start.mutationOptions({
      onSuccess: async ({ runId }, config) => {
        // What was launched (the variables), not the latest render's form.
        rememberEndpoint({ baseUrl: config.llm.baseUrl ?? "", model: config.llm.model ?? "" });
        rememberDataset(config.dataset);
        // The run list was cached when this page loaded; coming back to it must show the new run.
        await queryClient.invalidateQueries(trpc.tcg.list.pathFilter());
        router.push(`/tcg/${runId}`);
      },
      onError: (error) => {
        const found = serverIssues(error.data);
        if (found.length) setErrors(byField(found));
      },
    }),
  );
  const set = <K extends keyof FormState>(key: K) => (value: FormState[K]) => setForm((f) => ({ ...f, [key]: value }));
  const [dataset, rememberDataset] = useLaunchDataset(datasets.data, form.dataset);
  const problemCount = datasets.data?.find((d) => d.name === dataset)?.problemCount;

  function submit() {
    const config = toConfig({ ...form, dataset });
    const found = validate(config);
    setErrors(found);
    if (Object.keys(found).length === 0) start.mutate(tcgConfigSchema.parse(config));
  }

  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      data-testid="tcg-form"
    >
      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-4">
        <FormField label="Dataset" hint="Problems with a reference solution get their cases validated" error={errors.dataset}>
          <DatasetSelect datasets={datasets.data} value={dataset} onChange={set("dataset")} testId="tcg-field-dataset" />
        </FormField>
        <FormField label="Problems from" hint={`1-based position in dataset order${problemCount ? ` (1–${problemCount})` : ""}`} error={errors["problems.from"] ?? errors.problems}>
          <input value={form.from} onChange={(e) => set("from")(e.target.value)} className={INPUT_CLASS} inputMode="numeric" data-testid="tcg-field-from" />
        </FormField>
        <FormField label="Problems to" hint="Last position, inclusive" error={errors["problems.to"]}>
          <input value={form.to} onChange={(e) => set("to")(e.target.value)} className={INPUT_CLASS} inputMode="numeric" data-testid="tcg-field-to" />
        </FormField>
        <FormField label="Cases per problem" hint="Test cases asked for per problem (the paper's template asks for 3, the default)" error={errors.cases}>
          <input value={form.cases} onChange={(e) => set("cases")(e.target.value)} className={INPUT_CLASS} inputMode="numeric" data-testid="tcg-field-cases" />
        </FormField>
        <FormField label="LLM endpoint" hint="OpenAI-compatible base URL (vLLM: http://host:8000/v1)" error={errors["llm.baseUrl"] ?? errors.llm}>
          <input value={form.baseUrl} onChange={(e) => set("baseUrl")(e.target.value)} className={INPUT_CLASS} data-testid="tcg-field-base-url" />
        </FormField>
        <ModelField value={form.model} onChange={set("model")} error={errors["llm.model"]} models={models} onTest={() =>
            models.mutate(
              { baseUrl: form.baseUrl.trim() },
              {
                onSuccess: (served) => {
                  const model = modelAfterConnectionTest(form.model, served);
                  if (model !== null) set("model")(model);
                },
              },
            )
          } testIdPrefix="tcg-" />
        <FormField label="API" hint="chat: under the server's chat template; completions: raw prompt (base models)" error={errors["llm.api"]}>
          <select value={form.api} onChange={(e) => set("api")(e.target.value as FormState["api"])} className={INPUT_CLASS} data-testid="tcg-field-api">
            <option value="chat">chat</option>
            <option value="completions">completions</option>
          </select>
        </FormField>
        <ConnectionResult models={models} testId="tcg-connection-result" className="self-center text-xs" />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" disabled={start.isPending} className="rounded bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-50" data-testid="tcg-launch">
          {start.isPending ? "Starting…" : "Generate tests"}
        </button>
        {Object.keys(errors).length > 0 ? (
          <span className="text-sm text-rose-700" data-testid="tcg-form-errors">
            Fix the highlighted fields.
          </span>
        ) : null}
        {start.isError && !Object.keys(errors).length ? (
          <span className="text-sm text-rose-700" data-testid="tcg-launch-error">
            {start.error.message}
          </span>
        ) : null}
      </div>
    </form>
  );
}
