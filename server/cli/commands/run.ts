import { experimentUrl } from "../dashboard-url.ts";
import { readFile } from "node:fs/promises";
import { prepareDatabase } from "../../bootstrap.ts";
import { closeDatabase, type Db } from "../../db/index.ts";
import { ValidationError } from "../../errors.ts";
import { createLlmFactory, type LlmFactory, LLAMA_CPP_GGUF_ENV } from "../../llm/index.ts";
import { describeLlm, parseExperimentConfig, type ExperimentConfig, METRIC_DEFINITIONS } from "../../contracts/index.ts";
import { createExperiment } from "../../experiments/index.ts";
import { runExperiment, type RunProgress } from "../../engine/index.ts";
import type { ExperimentMetrics } from "../../evaluation/index.ts";
import { createSandbox } from "../../sandbox/index.ts";
import { CliUsageError, parseCommandArgs, problemsFlag, type Command } from "../command.ts";

const RUN_OPTIONS = {
  config: { type: "string" },
  dataset: { type: "string" },
  problems: { type: "string" },
  mode: { type: "string" },
  llm: { type: "string", multiple: true },
  model: { type: "string" },
  gguf: { type: "string" },
  threads: { type: "string" },
  api: { type: "string" },
  rollouts: { type: "string" },
  children: { type: "string" },
  c: { type: "string" },
  schedule: { type: "string" },
  "max-depth": { type: "string" },
  alpha: { type: "string" },
  seed: { type: "string" },
  "test-source": { type: "string" },
  "tcg-run": { type: "string" },
  concurrency: { type: "string" },
  name: { type: "string" },
  lineage: { type: "string" },
  iteration: { type: "string" },
  "trained-on": { type: "string" },
  json: { type: "boolean", default: false },
} as const;

export const runCommand: Command = {
  name: "run",
  usage: "run --dataset D --mode M (--llm URL[,URL…] --model NAME | --gguf PATH) [options] | run --config FILE",
  summary: "run an MCTS experiment and print Pass@1, ASPR, pass@k, tokens",
  help: [
    "Usage: o1c run --dataset NAME [--problems 1-50] --mode pseudocode|vanilla|sampling --llm URL --model NAME",
    "               [--rollouts R] [--children n] [--c 2] [--schedule const|linear|exponential] [--max-depth 5]",
    "               [--alpha 0] [--seed S] [--concurrency K] [--api chat|completions] [--name N] [--json]",
    "       o1c run --config experiment.json [--json]",
    "",
    "  --mode       pseudocode: the paper's Action 1/2/3 steps; vanilla: natural-language steps, same search;",
    "               sampling: the baseline, R independent one-shot replies and no tree",
    "  --problems   1-based positions (1-50, 7) or comma-separated dataset ids; default all",
    "  --llm        OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1 (vLLM); several servers of the same model:",
    "               repeat it (--llm URL1 --llm URL2) or list them (--llm URL1,URL2): requests go to the least busy one",
    `  --gguf       instead of --llm: a GGUF model run in-process by llama.cpp on the CPU (or env ${LLAMA_CPP_GGUF_ENV}); --threads N`,
    "  --rollouts   R rollouts per problem (default 15); --children n samples per expansion (default 3)",
    "  --c          UCT exploration weight (default 2); --alpha weight of the compile term in the reward (default 0)",
    "  --lineage    self-play: record the run as iteration --iteration K (0 = base policy) of lineage NAME (created",
    "               on first use); --trained-on TEXT says what this policy was trained on (e.g. iteration K-1's exports)",
    "  --test-source  tests that reward the search: dataset-visible (default), generated (valid `o1c tcg` cases) or both",
    "  --tcg-run      with generated/both: the TCG run whose cases are used (default: the dataset's latest completed run);",
    "                 the run is pinned in the experiment's config, so a resume and its exports use the same cases",
    "  --json       print the final metrics as JSON on stdout, with the experimentId and its dashboard url",
    "",
    "The config file holds the same fields as the dashboard form (server/contracts/experiment-config.ts).",
  ].join("\n"),
  async run(argv) {
    const { values } = parseCommandArgs(argv, RUN_OPTIONS, false);
    const config = withLineageFlags(values.config ? await configFromFile(values.config) : configFromFlags(values), values);
    try {
      const { prisma } = await prepareDatabase();
      let experimentId = "";
      const metrics = await createAndRun(prisma, config, values.json ? null : process.stderr, (id) => (experimentId = id));
      if (metrics === null) {
        console.error("Cancelled.");
        return 1;
      }
      if ("failed" in metrics) {
        console.error(`Experiment ${metrics.experimentId} failed: ${metrics.failed}`);
        return 1;
      }
      console.log(values.json ? JSON.stringify({ experimentId, url: experimentUrl(experimentId), ...metrics }, null, 2) : formatMetrics(metrics));
      return 0;
    } finally {
      await closeDatabase();
    }
  },
};

async function configFromFile(file: string): Promise<ExperimentConfig> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new ValidationError(`cannot read the config file (${(error as NodeJS.ErrnoException).code})`, file);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`not valid JSON: ${(error as Error).message}`, file);
  }
  return parseExperimentConfig(json, file);
}

type RunFlags = Partial<Record<keyof typeof RUN_OPTIONS, string | boolean | string[]>>;

/** `--llm A --llm B,C` → baseUrl A alone, or baseUrls [A, B, C] (the config schema checks each URL). */
function llmServersFromFlags(flag: RunFlags["llm"]): { baseUrl: string } | { baseUrls: string[] } {
  const urls = [flag ?? []].flat().flatMap((value) => String(value).split(",")).map((url) => url.trim()).filter(Boolean);
  if (urls.length === 0) throw new CliUsageError("--llm needs a URL");
  return urls.length === 1 ? { baseUrl: urls[0]! } : { baseUrls: urls };
}

function configFromFlags(values: RunFlags): ExperimentConfig {
  for (const required of ["dataset", "mode"] as const) {
    if (!values[required]) throw new CliUsageError(`--${required} is required (or give --config FILE)`);
  }
  const gguf = values.gguf ?? process.env[LLAMA_CPP_GGUF_ENV];
  if (!values.llm && !gguf) throw new CliUsageError(`give --llm URL --model NAME (a server), or --gguf PATH / ${LLAMA_CPP_GGUF_ENV} (a local model)`);
  const search = {
    rollouts: numberFlag(values, "rollouts"),
    children: numberFlag(values, "children"),
    explorationWeight: numberFlag(values, "c"),
    schedule: values.schedule,
    maxDepth: numberFlag(values, "max-depth"),
    alpha: numberFlag(values, "alpha"),
  };
  return parseExperimentConfig(
    {
      name: values.name,
      dataset: values.dataset,
      problems: problemsFlag(values.problems),
      mode: values.mode,
      llm: {
        ...(values.llm ? llmServersFromFlags(values.llm) : { gguf: String(gguf) }),
        model: values.model,
        threads: numberFlag(values, "threads"),
        ...(values.api ? { api: values.api } : {}),
      },
      search: Object.fromEntries(Object.entries(search).filter(([, v]) => v !== undefined)),
      seed: numberFlag(values, "seed"),
      ...(values["test-source"] ? { testSource: values["test-source"] } : {}),
      ...(values["tcg-run"] ? { tcgRun: values["tcg-run"] } : {}),
      concurrency: numberFlag(values, "concurrency"),
    },
    "command line",
  );
}

/** `--lineage NAME --iteration K [--trained-on TEXT]` (with --config too: the flags set the config's lineage section). */
function withLineageFlags(config: ExperimentConfig, values: RunFlags): ExperimentConfig {
  if (values.lineage === undefined) {
    if (values.iteration !== undefined || values["trained-on"] !== undefined) throw new CliUsageError("--iteration and --trained-on need --lineage NAME");
    return config;
  }
  if (values.iteration === undefined) throw new CliUsageError("--lineage needs --iteration K (0 = the base policy)");
  const lineage = { name: values.lineage, iteration: numberFlag(values, "iteration"), trainedOn: values["trained-on"] };
  return parseExperimentConfig({ ...config, lineage }, "command line");
}

function numberFlag(values: RunFlags, name: keyof typeof RUN_OPTIONS): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new CliUsageError(`--${name} must be a number, got '${raw}'`);
  return value;
}

/** How a run ended without metrics worth printing: every problem failed, or the LLM server was unreachable. */
export interface FailedRun {
  experimentId: string;
  failed: string;
}

/** Creates the experiment and runs it here. Returns null when it was cancelled. */
export async function createAndRun(
  prisma: Db,
  config: ExperimentConfig,
  progressTo: NodeJS.WriteStream | null,
  onCreated?: (experimentId: string) => void,
): Promise<ExperimentMetrics | FailedRun | null> {
  const experiment = await createExperiment(prisma, config);
  onCreated?.(experiment.id);
  progressTo?.write(`Experiment ${experiment.id}: ${experiment.problems} problems (${config.mode}, ${describeLlm(config.llm).model})\n`);
  const sandbox = await createSandbox();
  if (sandbox.isolation === "unsafe-none") progressTo?.write("WARNING: the sandbox runs WITHOUT isolation (O1C_SANDBOX=unsafe-no-isolation).\n");
  const llms = createLlmFactory();
  try {
    const result = await runExperiment(prisma, experiment.id, {
      sandbox,
      createLlm: (endpoint) => llms.create(endpoint),
      onTreeFinished: progressTo ? (p) => drawProgress(progressTo, p) : undefined,
    });
    if (progressTo?.isTTY) progressTo.write("\n");
    for (const line of describeEndpointSpread(llms)) progressTo?.write(`${line}\n`);
    if (result.status === "failed") return { experimentId: experiment.id, failed: result.error ?? "failed" };
    return result.metrics;
  } finally {
    await llms.close();
    await sandbox.close();
  }
}

/** With several servers: how many attempts each got and how many failed, so an uneven or broken fleet shows. */
function describeEndpointSpread(llms: LlmFactory): string[] {
  return llms.endpointSpread().flatMap(({ endpoints }) => {
    const total = endpoints.reduce((sum, e) => sum + e.requests, 0);
    return [
      `LLM requests per endpoint (attempts sent, share of all, failed attempts, most in flight at once):`,
      ...endpoints.map((e) => {
        const share = total ? `${((e.requests / total) * 100).toFixed(0)}%` : "n/a";
        return `  ${e.url}  ${e.requests} (${share}), ${e.failures} failed, ${e.inFlightMax} at once${e.healthy ? "" : ", cooling down after failures"}`;
      }),
    ];
  });
}

function drawProgress(out: NodeJS.WriteStream, p: RunProgress) {
  const failed = p.failed ? `, ${p.failed} failed` : "";
  if (!out.isTTY) {
    out.write(`problems done: ${p.done}/${p.total}${failed}\n`);
    return;
  }
  const width = 30;
  const filled = Math.round((p.done / Math.max(1, p.total)) * width);
  out.write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${p.done}/${p.total} problems${failed}`);
}

function percent(value: number | null): string {
  return value === null ? "n/a" : `${(value * 100).toFixed(1)}%`;
}

export function formatMetrics(m: ExperimentMetrics): string {
  // Over a tree's terminals this is not the unbiased pass@k of i.i.d. samples (METRIC_DEFINITIONS.terminalSuccessAtK).
  const passAtK = Object.entries(m.passAtK).map(([k, v]) => `terminal success@${k} ${percent(v)}`).join(", ");
  return [
    `Problems: ${m.problems} judged${m.failedProblems ? `, ${m.failedProblems} failed` : ""}${m.unjudgedProblems ? `, ${m.unjudgedProblems} without hidden tests (not scored)` : ""}`,
    `Pass@1:   ${percent(m.pass1)} final answer (best by Q/N), ${percent(m.pass1FirstTerminal ?? null)} first terminal (no selection)`,
    `ASPR:     ${percent(m.aspr)}`,
    `${passAtK} (for sampling mode: unbiased pass@k over i.i.d. samples)`,
    `PRM:      ${(m.prmPromptTokens ?? 0) + (m.prmCompletionTokens ?? 0)} tokens (${m.prmTokensPerProblem?.toFixed(0) ?? "n/a"} per problem), apart from the policy's`,
    `Tokens:   ${m.promptTokens + m.completionTokens} (${m.promptTokens} prompt + ${m.completionTokens} completion), ${m.tokensPerProblem?.toFixed(0) ?? "n/a"} per problem; LLM calls per problem ${m.llmCallsPerProblem?.toFixed(1) ?? "n/a"}; retries ${m.llmRetries}`,
    `Wall time: ${(m.wallMs / 1000).toFixed(1)} s`,
    "",
    METRIC_DEFINITIONS.pass1,
    METRIC_DEFINITIONS.pass1FirstTerminal,
    METRIC_DEFINITIONS.aspr,
    METRIC_DEFINITIONS.selection,
  ].join("\n");
}
