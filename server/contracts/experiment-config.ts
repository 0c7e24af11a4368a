// The experiment config: one zod schema shared by the CLI (`o1c run --config`), the dashboard form and the stored
// `Experiment.config`, so all three reject the same mistakes with the same field paths. Parsed once at the edge (router,
// CLI, config file, stored row); below it everything takes the typed ExperimentConfig.
import { z } from "zod";
import { httpUrlMessage } from "./field-messages.ts";
import { ValidationError, type FieldPath } from "../errors.ts";
import { formatFieldPath } from "./field-path.ts";
import { samplingSchema, searchParamsSchema } from "./search-config.ts";
import { prmConfigSchema } from "./prm-config.ts";
import { lineageSectionSchema } from "./lineage-config.ts";

export const EXPERIMENT_CONFIG_VERSION = 1;

/**
 * vanilla: step-wise natural-language CoT under MCTS; pseudocode: step-wise pseudocode CoT under the same MCTS (the
 * paper's Table 1 pair); sampling: a baseline, n = search.rollouts independent one-shot replies, no tree.
 */
export const REASONING_MODES = ["vanilla", "pseudocode", "sampling"] as const;
export type ReasoningModeName = (typeof REASONING_MODES)[number];
/** The paper's Table 1 compares these two, at the same search budget. */
export const TABLE1_MODES = ["vanilla", "pseudocode"] as const satisfies readonly ReasoningModeName[];
export const TEST_SOURCES = ["dataset-visible", "generated", "both"] as const;

/** Which problems of the dataset to run: by 1-based position, a seeded random sample, explicit ids, or all. */
export const problemSelectionSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("all") }).strict(),
  z
    .object({ kind: z.literal("range"), from: z.number().int().min(1), to: z.number().int().min(1) })
    .strict()
    .refine((r) => r.to >= r.from, { message: "`to` must be ≥ `from`", path: ["to"] }),
  z.object({ kind: z.literal("sample"), count: z.number().int().min(1), seed: z.number().int().min(0) }).strict(),
  z.object({ kind: z.literal("ids"), ids: z.array(z.string().min(1)).min(1) }).strict(),
]);

const httpUrl = z.url({ protocol: /^https?$/, error: httpUrlMessage("http://127.0.0.1:8000/v1") });

/** Most endpoints one experiment spreads over (a fleet of vLLM replicas serving the same model). */
export const MAX_LLM_ENDPOINTS = 32;

/** "http://a:8000", "http://a:8000/v1/" and "http://a:8000/v1" are one server (the client adds /v1 the same way). */
function sameServerKey(url: string): string {
  return url.trim().replace(/\/+$/, "").replace(/\/v1$/, "").toLowerCase();
}

/**
 * The policy model: an OpenAI-compatible server (vLLM, `baseUrl` + `model`), several replicas of one (`baseUrls` +
 * `model`: requests are spread over them, see server/llm/pooled-client.ts) or a GGUF file run in-process by llama.cpp.
 */
export const llmEndpointSchema = z
  .object({
    baseUrl: httpUrl.optional(),
    /** Instead of baseUrl: 2..32 servers that all serve `model`. */
    baseUrls: z
      .array(httpUrl)
      .min(2, "list at least 2 URLs (use baseUrl for a single server)")
      .max(MAX_LLM_ENDPOINTS, `at most ${MAX_LLM_ENDPOINTS} URLs`)
      .optional(),
    /** Path of a GGUF model for the in-process llama.cpp backend (CPU), instead of a server. */
    gguf: z.string().min(1).optional(),
    model: z.string().min(1, "name the served model (GET /v1/models lists them)").optional(),
    /** chat: continue a partial assistant message under the server's chat template; completions: raw prompt. */
    api: z.enum(["chat", "completions"]).default("chat"),
    timeoutMs: z.number().int().min(1_000).max(3_600_000).default(120_000),
    maxRetries: z.number().int().min(0).max(20).default(5),
    /** llama.cpp only: CPU threads (default: all cores). */
    threads: z.number().int().min(1).max(256).optional(),
  })
  .strict()
  .superRefine((llm, ctx) => {
    const given = [llm.baseUrl, llm.baseUrls, llm.gguf].filter((v) => v !== undefined && v !== "").length;
    if (given !== 1) {
      const message = llm.baseUrls
        ? "give exactly one of baseUrl (one server), baseUrls (several serving the same model) or gguf (a local model file)"
        : "give either baseUrl (an OpenAI-compatible server) or gguf (a local model file)";
      ctx.addIssue({ code: "custom", message, path: [llm.baseUrls && !llm.baseUrl ? "baseUrls" : "baseUrl"] });
    }
    const seen = new Map<string, number>();
    llm.baseUrls?.forEach((url, i) => {
      const first = seen.get(sameServerKey(url));
      if (first !== undefined) ctx.addIssue({ code: "custom", message: `the same server as baseUrls[${first}]`, path: ["baseUrls", i] });
      else seen.set(sameServerKey(url), i);
    });
    if ((llm.baseUrl || llm.baseUrls) && !llm.model) ctx.addIssue({ code: "custom", message: "name the served model (GET /v1/models lists them)", path: ["model"] });
  });

export type LlmEndpoint = z.output<typeof llmEndpointSchema>;

/** An unnamed experiment's name: "dataset · mode · model" (the experiments list shows no subtitle under it). */
export function defaultExperimentName(e: { dataset: string; mode: string; model: string }): string {
  return `${e.dataset} · ${e.mode} · ${e.model}`;
}

/** What the experiment list shows as the model and where it runs. */
export function describeLlm(llm: LlmEndpoint): { model: string; location: string } {
  // (No node:path here: the dashboard's form validates with this module in the browser.)
  if (llm.gguf) return { model: llm.model ?? llm.gguf.split("/").pop()!, location: `gguf:${llm.gguf}` };
  if (llm.baseUrls) return { model: llm.model!, location: `${llm.baseUrls[0]} (+${llm.baseUrls.length - 1} more)` };
  return { model: llm.model!, location: llm.baseUrl! };
}

/**
 * The sandbox's run limits, sized for a search (the sandbox's own defaults are these): a candidate that hangs costs
 * one per-test timeout per evaluation, not one per test. Reference solutions on a busy machine may need more.
 */
export const SANDBOX_SEARCH_LIMITS = Object.freeze({ testTimeoutMs: 3_000, programTimeoutMs: 10_000, timeoutsPerRun: 1 });

export const sandboxLimitsSchema = z
  .object({
    /** Wall-clock limit per test (and for the solution's top level). */
    testTimeoutMs: z.number().int().min(100).max(600_000).default(SANDBOX_SEARCH_LIMITS.testTimeoutMs),
    /** Wall-clock limit for one evaluation, all its tests included. */
    programTimeoutMs: z.number().int().min(100).max(3_600_000).default(SANDBOX_SEARCH_LIMITS.programTimeoutMs),
    /** Tests that may time out before the rest of an evaluation's tests are not run. */
    timeoutsPerRun: z.number().int().min(1).max(1_000).default(SANDBOX_SEARCH_LIMITS.timeoutsPerRun),
  })
  .strict()
  .refine((l) => l.programTimeoutMs >= l.testTimeoutMs, { message: "must be at least the per-test timeout", path: ["programTimeoutMs"] });

export type SandboxLimits = z.output<typeof sandboxLimitsSchema>;

export const experimentConfigSchema = z
  .object({
    version: z.literal(EXPERIMENT_CONFIG_VERSION).default(EXPERIMENT_CONFIG_VERSION),
    name: z.string().trim().min(1).max(200).optional(),
    /** Dataset name (as listed by `o1c datasets`). */
    dataset: z.string().min(1),
    problems: problemSelectionSchema.default({ kind: "all" }),
    mode: z.enum(REASONING_MODES),
    llm: llmEndpointSchema,
    sampling: samplingSchema.default(() => samplingSchema.parse({})),
    search: searchParamsSchema.default(() => searchParamsSchema.parse({})),
    /** Tests that give search rewards; hidden tests always and only judge. */
    testSource: z.enum(TEST_SOURCES).default("dataset-visible"),
    /**
     * The TCG run whose valid cases reward the search when testSource is generated/both. Pinned at creation (the
     * dataset's latest completed run when not given), so search, resume and exports use that run's cases only.
     */
    tcgRun: z.string().min(1).optional(),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
    /** Trees searched at once; LLM requests are further capped by the process-wide in-flight limit. */
    concurrency: z.number().int().min(1).max(256).default(8),
    /** Time limits of the sandbox runs: the search's evaluations and the hidden-test judging. */
    sandbox: sandboxLimitsSchema.default(() => sandboxLimitsSchema.parse({})),
    /** Process reward model: none, rollout labels, a served PRM or an LLM judge (server/prm/prm-config.ts). */
    prm: prmConfigSchema.default(() => prmConfigSchema.parse({})),
    /** Self-play: this experiment is iteration k of a lineage (server/lineage/). */
    lineage: lineageSectionSchema.optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.tcgRun !== undefined && config.testSource === "dataset-visible") {
      ctx.addIssue({
        code: "custom",
        message: `a TCG run only feeds a search whose testSource is generated or both (this one is dataset-visible)`,
        path: ["tcgRun"],
      });
    }
    // Each expansion asks for `children` samples of one prompt: greedy decoding would make them one step repeated,
    // and vLLM refuses the pair outright ("n must be 1 when using greedy sampling").
    if (config.sampling.temperature === 0 && config.search.children > 1) {
      ctx.addIssue({
        code: "custom",
        message: `temperature 0 (greedy) gives ${config.search.children} identical children per expansion; set sampling.temperature above 0 or search.children to 1`,
        path: ["sampling", "temperature"],
      });
    }
  });

export type ExperimentConfigInput = z.input<typeof experimentConfigSchema>;
export type ExperimentConfig = z.output<typeof experimentConfigSchema>;
export type ProblemSelection = z.output<typeof problemSelectionSchema>;

/** Validates a config; errors name the field path (and the file, when given). */
export function parseExperimentConfig(input: unknown, source = "config"): ExperimentConfig {
  return parseConfig(experimentConfigSchema, input, source);
}

/** Parses any config section; the first issue becomes a ValidationError naming the source and the field path. */
export function parseConfig<S extends z.ZodType>(schema: S, input: unknown, source: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map((p) => (typeof p === "number" ? p : String(p)));
  // The error names the field already ("<source> field search.rollouts: …"): not twice.
  const named = `${formatFieldPath(path)} `;
  const message = issue.message.startsWith(named) ? issue.message.slice(named.length) : issue.message;
  throw configFieldError(source, path, message, result.error);
}

/** A bad config field: "<source> field llm.baseUrls[1]: <message>", with the structured path for forms. */
export function configFieldError(source: string, path: FieldPath, message: string, cause?: unknown): ValidationError {
  return new ValidationError(message, `${source} field ${formatFieldPath(path)}`, { path, cause });
}


/** `--problems 1-50`, `--problems 7`, `--problems 3,9,12` (1-based positions), or `all`. */
export function parseProblemSelection(text: string): ProblemSelection {
  const value = text.trim();
  if (value === "all") return { kind: "all" };
  const range = /^(\d+)\s*-\s*(\d+)$/.exec(value);
  if (range) return positionRange(Number(range[1]), Number(range[2]));
  if (/^\d+$/.test(value)) return positionRange(Number(value), Number(value));
  const ids = value.split(",").map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0) throw new ValidationError("expected a range like 1-50, a position, a comma-separated list of ids, or 'all'", "--problems");
  return { kind: "ids", ids };
}

/**
 * A range of 1-based positions, checked here with reasons a user can act on: the schema's issues ("`to` must be ≥
 * `from`", "Too small: expected number to be >=1") name no flag and came out as a raw ZodError from the CLI.
 */
function positionRange(from: number, to: number): ProblemSelection {
  if (from < 1) throw new ValidationError("problems are numbered from 1", "--problems");
  if (to < from) throw new ValidationError("the range's end must be at least its start", "--problems");
  return { kind: "range", from, to };
}

/** The experiment's own top-level defaults (the sections' are SEARCH_DEFAULTS and SAMPLING_DEFAULTS), for the form. */
export const EXPERIMENT_DEFAULTS = {
  testSource: experimentConfigSchema.shape.testSource.parse(undefined),
  seed: experimentConfigSchema.shape.seed.parse(undefined),
  concurrency: experimentConfigSchema.shape.concurrency.parse(undefined),
  llmApi: llmEndpointSchema.shape.api.parse(undefined),
};
