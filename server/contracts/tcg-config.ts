// The options of one Test Case Generator run: one zod schema for the CLI and the stored `TcgRun.config`, so both
// reject the same mistakes with the same field paths.
import { z } from "zod";
import { llmEndpointSchema, parseConfig, problemSelectionSchema } from "./experiment-config.ts";

export const TCG_CONFIG_VERSION = 1;

/** The paper's TCG evaluation samples with temperature 0.7, top_p 0.9 (reference tcg_test.py). */
export const tcgSamplingSchema = z
  .object({
    temperature: z.number().min(0).max(2).default(0.7),
    topP: z.number().gt(0).max(1).default(0.9),
    maxTokens: z.number().int().min(1).max(32_768).default(1024),
  })
  .strict();

export const tcgConfigSchema = z
  .object({
    version: z.literal(TCG_CONFIG_VERSION).default(TCG_CONFIG_VERSION),
    /** Dataset name (as listed by `o1c datasets`). */
    dataset: z.string().min(1),
    problems: problemSelectionSchema.default({ kind: "all" }),
    llm: llmEndpointSchema,
    /** Test cases asked for per problem: the paper's template asks for 3. */
    cases: z.number().int().min(1).max(100).default(3),
    sampling: tcgSamplingSchema.default(() => tcgSamplingSchema.parse({})),
    /** Seeds the LLM requests (servers that honour it sample reproducibly). */
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
    /** Problems processed at once (LLM request + validation). */
    concurrency: z.number().int().min(1).max(64).default(4),
    /** Agreement: at most this many distinct stored terminal programs per problem are judged. */
    agreementCandidates: z.number().int().min(0).max(1_000).default(20),
  })
  .strict();

export type TcgConfigInput = z.input<typeof tcgConfigSchema>;
export type TcgConfig = z.output<typeof tcgConfigSchema>;

export function parseTcgConfig(input: unknown, source = "tcg config"): TcgConfig {
  return parseConfig(tcgConfigSchema, input, source);
}

/** The form's starting value: the schema's own default. */
export const TCG_DEFAULT_CASES: number = tcgConfigSchema.shape.cases.parse(undefined);
