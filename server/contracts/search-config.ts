// The search and sampling sections of an experiment config, with their defaults written once: the reference code's
// R = 15 rollouts, n = 3 children, c = 2, depth 5, α = 0 (DESIGN.md). The search core, the CLI help and the form's
// initial values all read them from here.
import { z } from "zod";

export const EXPLORATION_SCHEDULES = ["const", "linear", "exponential"] as const;
export type ExplorationSchedule = (typeof EXPLORATION_SCHEDULES)[number];

export const GUIDE_KINDS = ["value-mix", "prior"] as const;
export type GuideKind = (typeof GUIDE_KINDS)[number];

/**
 * How much PRM scores steer selection (search/select-child.ts). weight 0 (the default) ignores them: selection is the
 * reference's UCT exactly.
 */
export interface SelectionGuide {
  kind: GuideKind;
  /** w in [0, 1]. */
  weight: number;
}

export const DEFAULT_SELECTION_GUIDE: SelectionGuide = { kind: "value-mix", weight: 0 };

export const samplingSchema = z
  .object({
    temperature: z.number().min(0).max(2).default(0.8),
    topP: z.number().gt(0).max(1).default(0.95),
    maxTokens: z.number().int().min(1).max(32_768).default(1024),
  })
  .strict();

export const searchParamsSchema = z
  .object({
    rollouts: z.number().int().min(1).max(10_000).default(15),
    children: z.number().int().min(1).max(64).default(3),
    maxDepth: z.number().int().min(1).max(64).default(5),
    explorationWeight: z.number().min(0).max(100).default(2),
    schedule: z.enum(EXPLORATION_SCHEDULES).default("const"),
    alpha: z.number().min(0).max(1).default(0),
    /** At most this many search-visible tests score a terminal (reference: 10). */
    maxTests: z.number().int().min(1).max(1_000).default(10),
  })
  .strict();

export type SearchParams = z.output<typeof searchParamsSchema>;
export type Sampling = z.output<typeof samplingSchema>;

/** The defaults above as values (what an empty section parses to). */
export const SEARCH_DEFAULTS: SearchParams = searchParamsSchema.parse({});
export const SAMPLING_DEFAULTS: Sampling = samplingSchema.parse({});
