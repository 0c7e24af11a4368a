// The `prm` section of an experiment config. Zod only (no node: imports): the dashboard's form validates with it.
import { z } from "zod";
import { PRM_MODES } from "../definitions/index.ts";
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

/** Qwen2.5-Math-PRM's system turn, the one it was trained with (prm.systemPrompt overrides it). */
export const DEFAULT_PRM_SYSTEM_PROMPT = "Please reason step by step, and put your final answer within \\boxed{}.";

/** How rollout mode labels steps (LABEL_DEFINITIONS in definitions.ts). */
export const ROLLOUT_LABEL_KINDS = ["visit-weighted", "sampled"] as const;
export type RolloutLabelKind = (typeof ROLLOUT_LABEL_KINDS)[number];

const url = z.url({ protocol: /^https?$/, error: httpUrlMessage("http://127.0.0.1:8001") });

const alphaScheduleSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("constant"), alpha: z.number().min(0).max(1) }).strict(),
  z.object({ kind: z.literal("linear"), alphaMin: z.number().min(0).max(1), k: z.number().min(0) }).strict(),
  z.object({ kind: z.literal("logarithmic"), alphaMin: z.number().min(0).max(1), k: z.number().min(0) }).strict(),
]);

/**
 * Where ϕ's process reward r^j of a step comes from (server/prm/path-rewards.ts, the one place ϕ is computed):
 * - prm-or-value: the step's PRM score; without one its value Q/N; an unvisited step its visit-weighted label.
 * - value: Q/N (an unvisited step: its visit-weighted label), PRM scores ignored.
 * - visit-weighted: the step's visit-weighted rollout label (LABEL_DEFINITIONS.visitWeighted) only.
 */
export const STEP_SCORE_SOURCES = ["prm-or-value", "value", "visit-weighted"] as const;
export type StepScoreSource = (typeof STEP_SCORE_SOURCES)[number];

/** ϕ(R, r¹…rᵐ) settings for the per-path combined reward (combined-reward.ts); the reference's by default. */
export const combinedRewardSchema = z
  .object({
    schedule: alphaScheduleSchema.default(REFERENCE_COMBINED_REWARD.schedule),
    gamma: z.number().min(0).max(1).default(REFERENCE_COMBINED_REWARD.gamma),
    /**
     * The training step t at which α(t) is read. Absent: the experiment's self-play iteration, else 0. Given, it is
     * used as is: a lineage iteration never overrides it (only an export's --phi-t does, for that file).
     */
    t: z.number().min(0).optional(),
    stepScore: z.enum(STEP_SCORE_SOURCES).default("prm-or-value"),
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
    /**
     * served: chat sends system/user/assistant messages rendered by the PRM's chat template (what Qwen2.5-Math-PRM
     * expects; one path per request); text sends "problem\n\nstep<tag>\n…" strings, batched.
     */
    input: z.enum(["chat", "text"]).default("chat"),
    /** served, chat input: the system turn (default: Qwen2.5-Math-PRM's own). */
    systemPrompt: z.string().min(1).default(DEFAULT_PRM_SYSTEM_PROMPT),
    /** served, text input: inputs per /pooling request. */
    batchSize: z.number().int().min(1).max(512).default(16),
    timeoutMs: z.number().int().min(1_000).max(3_600_000).default(60_000),
    maxRetries: z.number().int().min(0).max(20).default(3),
    /**
     * rollout only: visit-weighted (free: the search's own rollouts, weighted by visits) or sampled (Math-Shepherd:
     * samplesPerStep independent completions from every step through the policy, about k·depth extra calls per step).
     */
    labels: z.enum(ROLLOUT_LABEL_KINDS).default("visit-weighted"),
    /** sampled labels: k, the completions sampled from each step. */
    samplesPerStep: z.number().int().min(1).max(64).default(4),
    guide: prmGuideSchema.default(() => prmGuideSchema.parse({})),
    combinedReward: combinedRewardSchema.default(() => combinedRewardSchema.parse({})),
  })
  .strict()
  .superRefine((prm, ctx) => {
    if (prm.mode === "served" && !prm.baseUrl) ctx.addIssue({ code: "custom", message: "a served PRM needs the vLLM server's URL", path: ["baseUrl"] });
    if (prm.labels === "sampled" && prm.mode !== "rollout") {
      ctx.addIssue({ code: "custom", message: "sampled labels are a rollout-mode labelling: set mode to rollout (served and judge PRMs score steps themselves)", path: ["labels"] });
    }
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

/** The experiment's PRM in a few words, for its page's header (runs that differ only in their PRM look alike without). */
export function describePrm(prm: Pick<PrmConfig, "mode" | "model" | "labels" | "samplesPerStep" | "guide">): string {
  const guide = prm.guide.weight > 0 ? `, guiding selection (w=${prm.guide.weight}, ${prm.guide.kind})` : "";
  switch (prm.mode) {
    case "none":
      return "no PRM";
    case "rollout":
      return prm.labels === "sampled" ? `PRM: rollout labels, sampled (Math-Shepherd, k=${prm.samplesPerStep})` : "PRM: rollout labels, visit-weighted";
    default:
      return `PRM: ${prm.mode}${prm.model ? ` ${prm.model}` : ""}${guide}`;
  }
}
