// The `prm` section of an experiment config. Zod only (no node: imports): the dashboard's form validates with it.
import { z } from "zod";
import { httpUrlMessage } from "./field-messages.ts";
import { DEFAULT_SELECTION_GUIDE, GUIDE_KINDS } from "./search-config.ts";

/** ϕ's settings (server/prm/combined-reward.ts computes it); the reference's by default. */
export type AlphaSchedule =
  | { kind: "constant"; alpha: number }
  /** α(t) = max(α_min, 1 − k·t); the reference uses α_min 0.1, k 0.01. */
  | { kind: "linear"; alphaMin: number; k: number }
  /** α(t) = max(α_min, 1 − k·ln(1 + t)). */
  | { kind: "logarithmic"; alphaMin: number; k: number };

export interface CombinedRewardConfig {
  schedule: AlphaSchedule;
  /** Discount γ of later steps' process rewards (reference 0.9). */
  gamma: number;
}

export const REFERENCE_COMBINED_REWARD: CombinedRewardConfig = { schedule: { kind: "linear", alphaMin: 0.1, k: 0.01 }, gamma: 0.9 };

export const PRM_MODES = ["none", "rollout", "served", "judge"] as const;
export type PrmMode = (typeof PRM_MODES)[number];

/** What a node's PRM score means under each mode; the explorer's legend and inspector show these. */
export const PRM_MODE_DEFINITIONS: Record<PrmMode, string> = {
  none: "No process reward model: nodes carry no PRM score.",
  rollout:
    "Rollout labels (no model): after the search each step's PRM score is its Math-Shepherd soft label, the share of " +
    "completions below it that pass every search-visible test.",
  served:
    "A PRM served by vLLM's pooling API: the probability of the 'good' class at the step tag after the step, given the " +
    "problem and the path to it.",
  judge:
    "An LLM judge: P(+) = e^lp(+) / (e^lp(+) + e^lp(−)) from the logprobs of '+' and '−' after a Rating tag that follows " +
    "the step, given the problem and the path to it.",
};

const url = z.url({ protocol: /^https?$/, error: httpUrlMessage("http://127.0.0.1:8001") });

const alphaScheduleSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("constant"), alpha: z.number().min(0).max(1) }).strict(),
  z.object({ kind: z.literal("linear"), alphaMin: z.number().min(0).max(1), k: z.number().min(0) }).strict(),
  z.object({ kind: z.literal("logarithmic"), alphaMin: z.number().min(0).max(1), k: z.number().min(0) }).strict(),
]);

/** ϕ(R, r¹…rᵐ) settings for the per-path combined reward (combined-reward.ts); the reference's by default. */
export const combinedRewardSchema = z
  .object({
    schedule: alphaScheduleSchema.default(REFERENCE_COMBINED_REWARD.schedule),
    gamma: z.number().min(0).max(1).default(REFERENCE_COMBINED_REWARD.gamma),
    /** The training step t at which α(t) is read (e.g. the self-play iteration). */
    t: z.number().min(0).default(0),
  })
  .strict();

export const prmGuideSchema = z
  .object({
    /** w in [0, 1]; 0 leaves selection exactly as without a PRM. */
    weight: z.number().min(0).max(1).default(DEFAULT_SELECTION_GUIDE.weight),
    kind: z.enum(GUIDE_KINDS).default(DEFAULT_SELECTION_GUIDE.kind),
  })
  .strict();

export const prmConfigSchema = z
  .object({
    mode: z.enum(PRM_MODES).default("none"),
    /** served: the vLLM server (its root or …/v1; /pooling is at the root). judge: defaults to the policy endpoint. */
    baseUrl: url.optional(),
    model: z.string().min(1).optional(),
    /** judge only: chat (continue an assistant message) or completions (raw prompt); default: the policy's api. */
    api: z.enum(["chat", "completions"]).optional(),
    /** served: the text appended after every step, at whose position the PRM classifies (Qwen2.5-Math-PRM: <extra_0>). */
    stepTag: z.string().min(1).default("<extra_0>"),
    /** served: which class of the per-token output is "good" (Qwen2.5-Math-PRM: [bad, good] → 1). */
    goodIndex: z.number().int().min(0).max(63).default(1),
    /** served: inputs per /pooling request. */
    batchSize: z.number().int().min(1).max(512).default(16),
    timeoutMs: z.number().int().min(1_000).max(3_600_000).default(60_000),
    maxRetries: z.number().int().min(0).max(20).default(3),
    guide: prmGuideSchema.default(() => prmGuideSchema.parse({})),
    combinedReward: combinedRewardSchema.default(() => combinedRewardSchema.parse({})),
  })
  .strict()
  .superRefine((prm, ctx) => {
    if (prm.mode === "served" && !prm.baseUrl) ctx.addIssue({ code: "custom", message: "a served PRM needs the vLLM server's URL", path: ["baseUrl"] });
    if (prm.baseUrl && !prm.model) ctx.addIssue({ code: "custom", message: "name the served PRM model (GET /v1/models lists them)", path: ["model"] });
    if (prm.guide.weight > 0 && (prm.mode === "none" || prm.mode === "rollout")) {
      ctx.addIssue({
        code: "custom",
        message: "guiding the search needs scores during the search: use mode served or judge (rollout labels exist only afterwards)",
        path: ["guide", "weight"],
      });
    }
  });

export type PrmConfig = z.output<typeof prmConfigSchema>;
export type CombinedRewardSettings = z.output<typeof combinedRewardSchema>;
export const DEFAULT_PRM_CONFIG: PrmConfig = prmConfigSchema.parse({});
