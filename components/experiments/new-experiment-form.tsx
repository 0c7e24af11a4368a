"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { EXPERIMENT_DEFAULTS, SAMPLING_DEFAULTS, SANDBOX_SEARCH_LIMITS, SEARCH_DEFAULTS, TABLE1_MODES, experimentConfigSchema, problemSelectionSchema, summarizeProblemSelection, type ExperimentConfigInput, type ReasoningModeName } from "@/server/contracts";
import { DatasetSelect, useLaunchDataset } from "../datasets/dataset-select";
import { FormField, INPUT_CLASS } from "../ui/form-field";
import { Panel } from "../ui/panel";
import { useTRPC } from "../trpc";
import { EMPTY_LINEAGE, LineageFieldset, lineageSection, type LineageFormState } from "../lineage/lineage-fieldset";
import { EMPTY_PRM, PrmFieldset, prmSection, type PrmFormState } from "../prm/prm-fieldset";
import { ConnectionResult, ModelField } from "../llm/model-field";
import { modelAfterConnectionTest, useRememberedEndpoint } from "../llm/remembered-endpoint";
import { byField, fieldIssues, serverIssues, type FieldIssue } from "../ui/field-errors";

type Errors = Record<string, string>;

interface FormState {
  name: string;
  dataset: string;
  selection: "all" | "range" | "sample" | "ids";
  from: string;
  to: string;
  count: string;
  sampleSeed: string;
  ids: string;
  mode: ReasoningModeName;
  pair: boolean;
  baseUrl: string;
  /** Further servers of the same model, one URL per line (llm.baseUrls). */
  moreBaseUrls: string;
  model: string;
  api: "chat" | "completions";
  rollouts: string;
  children: string;
  explorationWeight: string;
  schedule: "const" | "linear" | "exponential";
  maxDepth: string;
  alpha: string;
  maxTests: string;
  testSource: "dataset-visible" | "generated" | "both";
  /** The TCG run whose cases a generated/both search uses; "" = the dataset's latest completed run. */
  tcgRun: string;
  temperature: string;
  topP: string;
  maxTokens: string;
  seed: string;
  concurrency: string;
  testTimeoutMs: string;
  programTimeoutMs: string;
  timeoutsPerRun: string;
}

/** The form starts from the config schema's defaults (server/contracts), so the two never disagree. */
const INITIAL: FormState = {
  name: "",
  dataset: "",
  selection: "range",
  from: "1",
  to: "10",
  count: "20",
  sampleSeed: "0",
  ids: "",
  mode: "pseudocode",
  pair: false,
  baseUrl: "http://127.0.0.1:8000/v1",
  moreBaseUrls: "",
  model: "",
  api: EXPERIMENT_DEFAULTS.llmApi,
  rollouts: String(SEARCH_DEFAULTS.rollouts),
  children: String(SEARCH_DEFAULTS.children),
  explorationWeight: String(SEARCH_DEFAULTS.explorationWeight),
  schedule: SEARCH_DEFAULTS.schedule,
  maxDepth: String(SEARCH_DEFAULTS.maxDepth),
  alpha: String(SEARCH_DEFAULTS.alpha),
  maxTests: String(SEARCH_DEFAULTS.maxTests),
  testSource: EXPERIMENT_DEFAULTS.testSource,
  tcgRun: "",
  temperature: String(SAMPLING_DEFAULTS.temperature),
  topP: String(SAMPLING_DEFAULTS.topP),
  maxTokens: String(SAMPLING_DEFAULTS.maxTokens),
  seed: String(EXPERIMENT_DEFAULTS.seed),
  concurrency: String(EXPERIMENT_DEFAULTS.concurrency),
  testTimeoutMs: String(SANDBOX_SEARCH_LIMITS.testTimeoutMs),
  programTimeoutMs: String(SANDBOX_SEARCH_LIMITS.programTimeoutMs),
  timeoutsPerRun: String(SANDBOX_SEARCH_LIMITS.timeoutsPerRun),
};

const num = (text: string) => (text.trim() === "" ? undefined : Number(text));

/** "N problems selected: …" for the selection as typed, once it parses and the dataset's size is known. */
function selectionSummary(f: FormState, datasetSize: number | undefined) {
  if (datasetSize === undefined) return null;
  const parsed = problemSelectionSchema.safeParse(toConfig(f, f.mode).problems);
  return parsed.success ? summarizeProblemSelection(parsed.data, datasetSize) : null;
}

function toConfig(f: FormState, mode: FormState["mode"]): ExperimentConfigInput {
  const problems =
    f.selection === "all"
      ? { kind: "all" as const }
      : f.selection === "range"
        ? { kind: "range" as const, from: num(f.from)!, to: num(f.to)! }
        : f.selection === "sample"
          ? { kind: "sample" as const, count: num(f.count)!, seed: num(f.sampleSeed)! }
          : { kind: "ids" as const, ids: f.ids.split(",").map((s) => s.trim()).filter(Boolean) };
  return {
    name: f.name.trim() ? (f.pair ? `${f.name.trim()} · ${mode}` : f.name.trim()) : undefined,
    dataset: f.dataset,
    problems,
    mode,
    llm: { ...llmServers(f), model: f.model.trim() || undefined, api: f.api },
    sampling: { temperature: num(f.temperature), topP: num(f.topP), maxTokens: num(f.maxTokens) },
    search: {
      rollouts: num(f.rollouts),
      children: num(f.children),
      explorationWeight: num(f.explorationWeight),
      schedule: f.schedule,
      maxDepth: num(f.maxDepth),
      alpha: num(f.alpha),
      maxTests: num(f.maxTests),
    },
    testSource: f.testSource,
    tcgRun: f.testSource !== "dataset-visible" && f.tcgRun ? f.tcgRun : undefined,
    seed: num(f.seed),
    concurrency: num(f.concurrency),
    sandbox: { testTimeoutMs: num(f.testTimeoutMs), programTimeoutMs: num(f.programTimeoutMs), timeoutsPerRun: num(f.timeoutsPerRun) },
  } as ExperimentConfigInput;
}

const extraUrls = (f: FormState) => f.moreBaseUrls.split("\n").map((s) => s.trim()).filter(Boolean);

/** One server is `baseUrl`; with more endpoints listed, all of them (the first field's one first) are `baseUrls`. */
function llmServers(f: FormState): { baseUrl: string } | { baseUrls: string[] } {
  const more = extraUrls(f);
  return more.length === 0 ? { baseUrl: f.baseUrl.trim() } : { baseUrls: [f.baseUrl.trim(), ...more] };
}

/** Errors on llm.baseUrls[k ≥ 1] belong to line k of "More endpoints" (read from zod's structured issue path). */
function moreEndpointsError(issues: readonly FieldIssue[], errors: Errors): string | undefined {
  const line = issues.find(({ path: [section, field, index] }) => section === "llm" && field === "baseUrls" && typeof index === "number" && index >= 1);
  if (line) return `line ${String(line.path[2])}: ${line.message}`;
  return errors["llm.baseUrls"];
}

export function NewExperimentForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [form, setForm] = useState<FormState>(INITIAL);
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const errors: Errors = byField(issues);
  const [lineage, setLineage] = useState<LineageFormState>(EMPTY_LINEAGE);
  const [prm, setPrm] = useState<PrmFormState>(EMPTY_PRM);
  const datasets = useQuery(trpc.datasets.list.queryOptions());
  const models = useMutation(trpc.experiments.listModels.mutationOptions());
  const checks = useMutation(trpc.experiments.checkEndpoints.mutationOptions());
  const rememberEndpoint = useRememberedEndpoint((remembered) => setForm((f) => ({ ...f, ...remembered })));
  const launch = useMutation(
    trpc.experiments.launch.mutationOptions({
      onSuccess: (created, { configs }) => {
        // What was launched (the variables), not the form: this callback is the latest render's, and the form may
        // have changed while the endpoint check ran.
        const launched = configs[0]!;
        rememberEndpoint({ baseUrl: launched.llm.baseUrl ?? launched.llm.baseUrls?.[0] ?? "", model: launched.llm.model ?? "" });
        rememberDataset(launched.dataset);
        router.push(created.length === 1 ? `/experiments/${created[0]!.id}` : `/experiments/${created[0]!.id}?compare=${created[1]!.id}`);
      },
      onError: (error) => {
        const found = serverIssues(error.data, 2);
        if (found.length) setIssues(found);
      },
    }),
  );
  const set = <K extends keyof FormState>(key: K) => (value: FormState[K]) => setForm((f) => ({ ...f, [key]: value }));
  const [dataset, rememberDataset] = useLaunchDataset(datasets.data, form.dataset);
  /** Why the endpoint check before launch failed; the launch then waits for "Launch anyway" or a fix. */
  const [unreachable, setUnreachable] = useState<string | null>(null);

  const datasetSize = datasets.data?.find((d) => d.name === dataset)?.problemCount;
  const datasetId = datasets.data?.find((d) => d.name === dataset)?.id;
  const tcgRuns = useQuery(trpc.tcg.list.queryOptions({ datasetId }, { enabled: datasetId !== undefined && form.testSource !== "dataset-visible" }));
  const completedTcgRuns = (tcgRuns.data ?? []).filter((run) => run.status === "completed");
  // A run chosen on another dataset (the dataset changed since) is not this one's: back to "latest".
  const tcgRun = completedTcgRuns.some((run) => run.id === form.tcgRun) ? form.tcgRun : "";
  const selection = selectionSummary(form, datasetSize);

  function validConfigs() {
    const filled = { ...form, dataset, tcgRun };
    const modes = form.pair ? TABLE1_MODES : [form.mode];
    // A Table 1 pair goes into the same iteration: two rows of it on the lineage page.
    const configs = modes.map((mode) => ({ ...toConfig(filled, mode), lineage: lineageSection(lineage), prm: prmSection(prm) }));
    const found = fieldIssues(experimentConfigSchema, configs[0]!);
    // Past the dataset's end or an oversized sample: refused here with the dataset's size (the server says the same).
    if (selection && !selection.ok) found.push({ path: ["problems"], message: selection.error });
    setIssues(found);
    // Sent as entered: the router parses it (the edge); validating here only shows the errors early.
    return found.length === 0 ? configs : null;
  }

  /**
   * Launching against a server that does not answer would only show up minutes later as a failed experiment, so the
   * endpoints are checked first (the same check as "Test connection"); a failure asks before launching.
   */
  async function submit() {
    setUnreachable(null);
    const configs = validConfigs();
    if (!configs) return;
    const urls = [form.baseUrl.trim(), ...extraUrls(form)];
    let found: Awaited<ReturnType<typeof checks.mutateAsync>>;
    try {
      found = await checks.mutateAsync({ baseUrls: urls, model: form.model.trim() || undefined });
    } catch (error) {
      setUnreachable((error as Error).message);
      return;
    }
    const failing = found.filter((c) => !c.ok);
    if (failing.length > 0) setUnreachable(failing.map((c) => `${c.url}: ${c.problem}`).join("; "));
    else launch.mutate({ configs });
  }

  function launchAnyway() {
    setUnreachable(null);
    const configs = validConfigs();
    if (configs) launch.mutate({ configs });
  }

  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      data-testid="experiment-form"
    >
      <Panel title="Problems">
        <div className="grid gap-4 md:grid-cols-3">
          <FormField label="Name" hint="Optional; default: dataset · mode · model" error={errors.name}>
            <input value={form.name} onChange={(e) => set("name")(e.target.value)} className={INPUT_CLASS} data-testid="field-name" />
          </FormField>
          <FormField label="Dataset" error={errors.dataset}>
            <DatasetSelect datasets={datasets.data} value={dataset} onChange={set("dataset")} testId="field-dataset" />
          </FormField>
          <FormField label="Selection" hint="Positions are 1-based, in dataset order" error={errors.problems}>
            <select value={form.selection} onChange={(e) => set("selection")(e.target.value as FormState["selection"])} className={INPUT_CLASS} data-testid="field-selection">
              <option value="range">range of positions</option>
              <option value="sample">random sample (seeded)</option>
              <option value="ids">picked ids</option>
              <option value="all">all problems</option>
            </select>
          </FormField>
          {form.selection === "range" ? (
            <>
              <FormField label="From" error={errors["problems.from"]}>
                <input value={form.from} onChange={(e) => set("from")(e.target.value)} className={INPUT_CLASS} inputMode="numeric" data-testid="field-from" />
              </FormField>
              <FormField label="To" error={errors["problems.to"]}>
                <input value={form.to} onChange={(e) => set("to")(e.target.value)} className={INPUT_CLASS} inputMode="numeric" data-testid="field-to" />
              </FormField>
            </>
          ) : null}
          {form.selection === "sample" ? (
            <>
              <FormField label="Sample size" error={errors["problems.count"]}>
                <input value={form.count} onChange={(e) => set("count")(e.target.value)} className={INPUT_CLASS} inputMode="numeric" />
              </FormField>
              <FormField label="Sample seed" error={errors["problems.seed"]}>
                <input value={form.sampleSeed} onChange={(e) => set("sampleSeed")(e.target.value)} className={INPUT_CLASS} inputMode="numeric" />
              </FormField>
            </>
          ) : null}
          {form.selection === "ids" ? (
            <FormField label="Problem ids" hint="Comma-separated dataset ids, e.g. 11, 12, 17" error={errors["problems.ids"]}>
              <input value={form.ids} onChange={(e) => set("ids")(e.target.value)} className={INPUT_CLASS} />
            </FormField>
          ) : null}
        </div>
        {selection && (selection.ok || errors.problems !== selection.error) ? (
          <p className={`mt-2 text-sm ${selection.ok ? "text-slate-600" : "text-rose-700"}`} aria-live="polite" data-testid="selection-summary">
            {selection.ok ? selection.text : selection.error}
          </p>
        ) : null}
      </Panel>

      <Panel title="Reasoning and policy model">
        <div className="grid gap-4 md:grid-cols-3">
          <FormField label="Reasoning mode" hint="pseudocode: the paper's Action 1/2/3 steps; vanilla: natural-language steps, same search; sampling: baseline, n = rollouts independent one-shot replies, no tree" error={errors.mode}>
            <select value={form.mode} onChange={(e) => set("mode")(e.target.value as FormState["mode"])} className={INPUT_CLASS} disabled={form.pair} data-testid="field-mode">
              <option value="pseudocode">pseudocode</option>
              <option value="vanilla">vanilla</option>
              <option value="sampling">sampling (baseline)</option>
            </select>
          </FormField>
          <FormField label="Table 1 pair" hint="Launch vanilla (CoT) and pseudocode on the same problems with the same search budget, to compare side by side">
            {(control) => (
              <span className="flex items-center gap-2 text-sm">
                <input type="checkbox" checked={form.pair} onChange={(e) => set("pair")(e.target.checked)} data-testid="field-pair" {...control} />
                <label htmlFor={control.id}>run both modes</label>
              </span>
            )}
          </FormField>
          <FormField label="API" hint="chat: continue the assistant message under the chat template; completions: raw prompt (base models)">
            <select value={form.api} onChange={(e) => set("api")(e.target.value as FormState["api"])} className={INPUT_CLASS}>
              <option value="chat">chat</option>
              <option value="completions">completions</option>
            </select>
          </FormField>
          <FormField label="LLM endpoint" hint="OpenAI-compatible base URL (vLLM: http://host:8000/v1)" error={errors["llm.baseUrl"] ?? errors["llm.baseUrls.0"] ?? errors.llm}>
            <input value={form.baseUrl} onChange={(e) => set("baseUrl")(e.target.value)} className={INPUT_CLASS} data-testid="field-base-url" />
          </FormField>
          <FormField
            label="More endpoints"
            hint="Optional: more servers of the same model, one URL per line; each request goes to the one with the fewest in flight, and a failing one is skipped for a while"
            error={moreEndpointsError(issues, errors)}
          >
            <textarea value={form.moreBaseUrls} onChange={(e) => set("moreBaseUrls")(e.target.value)} className={INPUT_CLASS} rows={2} placeholder="http://host2:8000/v1" data-testid="field-more-base-urls" />
          </FormField>
          <ModelField
            value={form.model}
            onChange={set("model")}
            error={errors["llm.model"]}
            models={models}
            onTest={() => {
              models.mutate(
                { baseUrl: form.baseUrl.trim() },
                {
                  onSuccess: (served) => {
                    const model = modelAfterConnectionTest(form.model, served);
                    if (model !== null) set("model")(model);
                  },
                },
              );
              if (extraUrls(form).length > 0) checks.mutate({ baseUrls: [form.baseUrl.trim(), ...extraUrls(form)], model: form.model.trim() || undefined });
              else checks.reset();
            }}
            testIdPrefix=""
          />
          <ConnectionResult models={models} testId="connection-result">
            {checks.isError ? <span className="block text-rose-700">{checks.error.message}</span> : null}
            {checks.data ? (
              <ul className="mt-1" data-testid="endpoint-checks">
                {checks.data.map((c) => (
                  <li key={c.url} className={c.ok ? "text-emerald-700" : "text-rose-700"}>
                    {c.ok ? "✓" : "✗"} {c.url}
                    {c.ok ? (form.model.trim() ? ` serves ${form.model.trim()}` : " answers") : `: ${c.problem}`}
                  </li>
                ))}
              </ul>
            ) : null}
          </ConnectionResult>
        </div>
      </Panel>

      <Panel title="Search">
        <div className="grid gap-4 md:grid-cols-4">
          <NumberField label="Rollouts R" hint="MCTS rollouts per problem (paper: 15)" value={form.rollouts} onChange={set("rollouts")} error={errors["search.rollouts"]} testId="field-rollouts" />
          <NumberField label="Children n" hint="Steps sampled per expansion, one request (paper: 3)" value={form.children} onChange={set("children")} error={errors["search.children"]} />
          <NumberField label="Exploration c" hint="UCT weight: Q/N + c·√(ln N_parent / N) (paper: 2)" value={form.explorationWeight} onChange={set("explorationWeight")} error={errors["search.explorationWeight"]} />
          <FormField label="c schedule" hint="const; linear c(1−0.9 i/R); exponential c·0.1^(i/R)" error={errors["search.schedule"]}>
            <select value={form.schedule} onChange={(e) => set("schedule")(e.target.value as FormState["schedule"])} className={INPUT_CLASS}>
              <option value="const">const</option>
              <option value="linear">linear</option>
              <option value="exponential">exponential</option>
            </select>
          </FormField>
          <NumberField label="Max depth" hint="Steps before a path is cut off as terminal (paper: 5)" value={form.maxDepth} onChange={set("maxDepth")} error={errors["search.maxDepth"]} />
          <NumberField label="α" hint="Reward = α·compiles + (1−α)·visible pass rate (paper: 0)" value={form.alpha} onChange={set("alpha")} error={errors["search.alpha"]} />
          <NumberField label="Max tests" hint="Search-visible tests that score a terminal (paper: 10)" value={form.maxTests} onChange={set("maxTests")} error={errors["search.maxTests"]} />
          <FormField label="Search tests" hint="Which tests reward the search: the dataset's visible ones, the valid generated ones (Tests (TCG) page), or both; hidden tests only judge" error={errors.testSource}>
            <select value={form.testSource} onChange={(e) => set("testSource")(e.target.value as FormState["testSource"])} className={INPUT_CLASS} data-testid="field-test-source">
              <option value="dataset-visible">dataset-visible</option>
              <option value="generated">generated (valid TCG cases)</option>
              <option value="both">both</option>
            </select>
          </FormField>
          {form.testSource !== "dataset-visible" ? (
            <FormField
              label="TCG run"
              hint="Whose generated cases reward the search; the run is pinned when the experiment is created, so a later test-generation run changes neither its resume nor its exports"
              error={errors.tcgRun}
            >
              <select value={tcgRun} onChange={(e) => set("tcgRun")(e.target.value)} className={INPUT_CLASS} data-testid="field-tcg-run">
                <option value="">{tcgRuns.isPending ? "loading runs…" : completedTcgRuns.length > 0 ? "latest completed run" : "none completed on this dataset yet"}</option>
                {completedTcgRuns.map((run) => (
                  <option key={run.id} value={run.id}>
                    {run.name}
                  </option>
                ))}
              </select>
            </FormField>
          ) : null}
          <NumberField label="Seed" hint="Same seed, same server → same trees" value={form.seed} onChange={set("seed")} error={errors.seed} />
          <NumberField label="Temperature" hint="Sampling temperature (paper: 0.8)" value={form.temperature} onChange={set("temperature")} error={errors["sampling.temperature"]} />
          <NumberField label="top_p" hint="Nucleus sampling (paper: 0.95)" value={form.topP} onChange={set("topP")} error={errors["sampling.topP"]} />
          <NumberField label="Max tokens / step" hint="Generation limit for one step" value={form.maxTokens} onChange={set("maxTokens")} error={errors["sampling.maxTokens"]} />
          <NumberField label="Concurrent problems" hint="Trees searched at once (LLM requests are capped at 64 in flight)" value={form.concurrency} onChange={set("concurrency")} error={errors.concurrency} />
        </div>
      </Panel>

      <Panel title="Advanced: sandbox limits">
        <details data-testid="sandbox-limits" open={["sandbox.testTimeoutMs", "sandbox.programTimeoutMs", "sandbox.timeoutsPerRun"].some((k) => errors[k]) || undefined}>
          <summary className="cursor-pointer text-sm text-slate-600">
            Time limits of the generated code&apos;s runs (the search&apos;s evaluations and the hidden-test judging); the defaults are sized for a search
          </summary>
          <div className="mt-3 grid gap-4 md:grid-cols-3">
            <NumberField label="Per-test timeout (ms)" hint="Wall clock per test, and for the code's top level" value={form.testTimeoutMs} onChange={set("testTimeoutMs")} error={errors["sandbox.testTimeoutMs"]} testId="field-test-timeout" />
            <NumberField label="Per-program timeout (ms)" hint="Wall clock for one evaluation, all its tests" value={form.programTimeoutMs} onChange={set("programTimeoutMs")} error={errors["sandbox.programTimeoutMs"]} testId="field-program-timeout" />
            <NumberField label="Timeouts per run" hint="Tests that may time out before the rest are skipped: a hung candidate costs this many timeouts" value={form.timeoutsPerRun} onChange={set("timeoutsPerRun")} error={errors["sandbox.timeoutsPerRun"]} testId="field-timeouts-per-run" />
          </div>
        </details>
      </Panel>

      <PrmFieldset value={prm} onChange={setPrm} errors={errors} />

      <LineageFieldset value={lineage} onChange={setLineage} errors={errors} />

      {unreachable !== null ? (
        <div className="flex flex-wrap items-center gap-3 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900" role="alert" data-testid="connection-confirm">
          <span className="basis-full">
            The LLM endpoint did not pass the connection check: {unreachable}. An experiment launched now will most likely fail.
          </span>
          <button type="button" onClick={launchAnyway} className="rounded border border-amber-400 bg-white px-3 py-1 hover:bg-amber-100" data-testid="launch-anyway">
            Launch anyway
          </button>
          <button type="button" onClick={() => setUnreachable(null)} className="rounded px-3 py-1 hover:bg-amber-100" data-testid="launch-cancel">
            Cancel
          </button>
        </div>
      ) : null}

      <div className="flex items-center gap-3">
        <button type="submit" disabled={launch.isPending || checks.isPending} className="rounded bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-50" data-testid="launch">
          {checks.isPending ? "Checking the endpoint…" : launch.isPending ? "Launching…" : form.pair ? "Launch Table 1 pair" : "Launch experiment"}
        </button>
        {Object.keys(errors).length > 0 ? (
          <span className="text-sm text-rose-700" data-testid="form-errors">
            Fix the highlighted fields.
          </span>
        ) : null}
        {launch.isError ? <span className="text-sm text-rose-700">{launch.error.message}</span> : null}
      </div>
    </form>
  );
}



function NumberField(props: { label: string; hint: string; value: string; onChange(value: string): void; error?: string; testId?: string }) {
  return (
    <FormField label={props.label} hint={props.hint} error={props.error}>
      <input value={props.value} onChange={(e) => props.onChange(e.target.value)} className={INPUT_CLASS} inputMode="decimal" data-testid={props.testId} />
    </FormField>
  );
}
