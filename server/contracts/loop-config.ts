// loop.json: a self-play loop's plan. One zod schema for the CLI, the Self-play form and the stored
// SelfPlayLoop.config; errors name the field ("loop.json field training.recipes[1]").
import { z } from "zod";
import { httpUrlMessage } from "./field-messages.ts";
import { ValidationError } from "../errors.ts";
import { REASONING_MODES, configFieldError, parseConfig, parseProblemSelection, type ProblemSelection } from "./experiment-config.ts";
import { formatFieldPath } from "./field-path.ts";
import { samplingSchema, searchParamsSchema } from "./search-config.ts";
import { lineageNameSchema } from "./lineage-config.ts";
import { checkCommandTemplate, DEFAULT_COMMAND_TEMPLATE, LOOP_RECIPES, TRAINING_BACKENDS } from "./training-config.ts";

export const MAX_LOOP_ITERATIONS = 50;

const httpUrl = z.url({ protocol: /^https?$/, error: httpUrlMessage("http://127.0.0.1:8000/v1") });

/** `--problems` syntax: "1-50", "7", "3,9,12" (dataset ids) or "all". */
const problemsText = z.string().trim().min(1, "give problems like 1-50, a list of ids, or all");

const templateText = z.string().trim().min(1, "is empty");

export const loopConfigSchema = z
  .object({
    name: lineageNameSchema,
    description: z.string().trim().max(2_000).optional(),
    dataset: z.string().min(1),
    trainProblems: problemsText,
    /** Held out: evaluated every iteration, never searched for training data. */
    evalProblems: problemsText,
    /** K: policies 1..K are trained; iteration 0 is the base policy. */
    iterations: z.number().int().min(1).max(MAX_LOOP_ITERATIONS),
    mode: z.enum(REASONING_MODES),
    search: searchParamsSchema.default(() => searchParamsSchema.parse({})),
    sampling: samplingSchema.default(() => samplingSchema.parse({})),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
    concurrency: z.number().int().min(1).max(256).default(8),
    llm: z
      .object({
        baseUrl: httpUrl,
        /** The base policy's served name (iteration 0). */
        model: z.string().min(1, "name the served model"),
        api: z.enum(["chat", "completions"]).default("chat"),
        timeoutMs: z.number().int().min(1_000).max(3_600_000).default(120_000),
        maxRetries: z.number().int().min(0).max(20).default(5),
      })
      .strict(),
    /** D ∪ D′: each policy trains on the data of every iteration so far (the paper's merge), else on the latest. */
    accumulate: z.boolean().default(true),
    training: z
      .object({
        backend: z.enum(TRAINING_BACKENDS),
        /** In order; `dpo` continues `sft`'s adapter when both run; `tcg` is TCG SFT then DPO. */
        recipes: z.array(z.enum(LOOP_RECIPES, { error: `must be one of ${LOOP_RECIPES.join(", ")}` })).min(1, "list at least one recipe"),
        /** What the trainer loads (a Hugging Face id or a path), when it differs from the served name. */
        baseModel: z.string().min(1).optional(),
        /** command backend: the command template ({recipe} {data} {output} {base_model} {iteration} {init} {recipes_dir}). */
        command: templateText.optional(),
        /** Extra environment for command jobs. */
        env: z.record(z.string(), z.string()).optional(),
        ray: z
          .object({
            address: httpUrl,
            /** The entrypoint template, same placeholders; paths must be visible to the cluster (shared storage). */
            entrypoint: templateText.optional(),
            runtimeEnv: z.record(z.string(), z.unknown()).optional(),
            entrypointNumGpus: z.number().min(0).optional(),
            entrypointNumCpus: z.number().min(0).optional(),
          })
          .strict()
          .optional(),
        /** Data files and adapters go under <outputRoot>/<loop name>/. */
        outputRoot: z.string().min(1),
      })
      .strict()
      .superRefine((t, ctx) => {
        if (t.backend === "ray" && !t.ray) ctx.addIssue({ code: "custom", message: "the ray backend needs ray.address", path: ["ray"] });
        if (t.backend === "command" && t.ray) ctx.addIssue({ code: "custom", message: "ray settings are for backend \"ray\"", path: ["ray"] });
        if (new Set(t.recipes).size !== t.recipes.length) ctx.addIssue({ code: "custom", message: "a recipe is listed twice", path: ["recipes"] });
        const dpo = t.recipes.indexOf("dpo");
        if (dpo >= 0 && t.recipes.includes("sft") && t.recipes.indexOf("sft") > dpo) ctx.addIssue({ code: "custom", message: "dpo starts from sft's adapter: list sft first", path: ["recipes"] });
      }),
    publish: z.discriminatedUnion("kind", [
      z
        .object({
          kind: z.literal("vllm-lora"),
          /** The vLLM server to load adapters into (default llm.baseUrl). */
          baseUrl: httpUrl.optional(),
        })
        .strict(),
      z
        .object({
          kind: z.literal("endpoint"),
          /** One per trained policy (iterations 1..K), in order. */
          endpoints: z.array(z.object({ baseUrl: httpUrl, model: z.string().min(1) }).strict()).min(1),
        })
        .strict(),
    ]),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.publish.kind === "endpoint" && c.publish.endpoints.length !== c.iterations) {
      ctx.addIssue({ code: "custom", message: `give one endpoint per trained policy (${c.iterations})`, path: ["publish", "endpoints"] });
    }
  });

export type LoopConfigInput = z.input<typeof loopConfigSchema>;
export type LoopConfig = z.output<typeof loopConfigSchema>;

export function parseLoopConfig(input: unknown, source = "loop.json"): LoopConfig {
  const config = parseConfig(loopConfigSchema, input, source);
  for (const field of ["trainProblems", "evalProblems"] as const) problemSelection(config, field, source);
  const templatePath = config.training.backend === "ray" ? ["training", "ray", "entrypoint"] : ["training", "command"];
  const template = config.training.backend === "ray" ? config.training.ray?.entrypoint : config.training.command;
  if (template) {
    try {
      checkCommandTemplate(template, `${source} field ${formatFieldPath(templatePath)}`);
    } catch (error) {
      if (error instanceof ValidationError) throw configFieldError(source, templatePath, error.reason, error);
      throw error;
    }
  }
  return config;
}

export function problemSelection(config: LoopConfig, field: "trainProblems" | "evalProblems", source = "loop.json"): ProblemSelection {
  try {
    return parseProblemSelection(config[field]);
  } catch (error) {
    throw configFieldError(source, [field], (error as Error).message.replace(/^--problems: /, ""), error);
  }
}

/** The template the jobs run: the loop's own, or the shipped TRL script. */
export function trainingTemplate(config: LoopConfig): string {
  return (config.training.backend === "ray" ? config.training.ray?.entrypoint : config.training.command) ?? DEFAULT_COMMAND_TEMPLATE;
}
