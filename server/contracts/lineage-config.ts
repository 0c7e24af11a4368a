// The `lineage` section of an experiment config and the rules for lineage fields. Zod only, no server imports: the
// dashboard's form validates with this module in the browser, the CLI and createExperiment with the same rules.
import { z } from "zod";

export const LINEAGE_NAME_MAX = 100;
export const ITERATION_MAX = 10_000;
export const TRAINED_ON_MAX = 2_000;

export const lineageNameSchema = z
  .string()
  .trim()
  .min(1, "name the lineage")
  .max(LINEAGE_NAME_MAX, `at most ${LINEAGE_NAME_MAX} characters`);

export const iterationSchema = z
  .number({ error: "must be a whole number ≥ 0 (0 = the base policy)" })
  .int("must be a whole number ≥ 0 (0 = the base policy)")
  .min(0, "must be a whole number ≥ 0 (0 = the base policy)")
  .max(ITERATION_MAX, `at most ${ITERATION_MAX}`);

/** Free text; an empty string means "not recorded". */
export const trainedOnSchema = z
  .string()
  .trim()
  .max(TRAINED_ON_MAX, `at most ${TRAINED_ON_MAX} characters`)
  .transform((text) => (text === "" ? undefined : text));

/** Self-play: the experiment is iteration `iteration` of the lineage `name` (created on first use). */
export const lineageSectionSchema = z
  .object({
    name: lineageNameSchema,
    iteration: iterationSchema,
    /** What this iteration's policy was trained on, e.g. "sft.jsonl + dpo.jsonl exported from iteration 0". */
    trainedOn: trainedOnSchema.optional(),
  })
  .strict();

export type LineageSection = z.output<typeof lineageSectionSchema>;
