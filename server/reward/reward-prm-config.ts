// O1C_REWARD_PRM: optional JSON that makes the reward service blend a served PRM into its rewards by ϕ, e.g.
//   O1C_REWARD_PRM='{"baseUrl":"http://127.0.0.1:8001","model":"Qwen/Qwen2.5-Math-PRM-7B","t":3}'
// (schedule and gamma default to the reference's: α(t) = max(0.1, 1 − 0.01·t), γ = 0.9).
import { z } from "zod";
import { ValidationError } from "../errors.ts";
import { combinedRewardSchema, formatFieldPath } from "../contracts/index.ts";
import { createServedPrm } from "../prm/index.ts";
import type { RewardPrmBlend } from "./reward-service.ts";

export const REWARD_PRM_ENV = "O1C_REWARD_PRM";

const rewardPrmSchema = z
  .object({
    baseUrl: z.url({ protocol: /^https?$/ }),
    model: z.string().min(1),
    stepTag: z.string().min(1).default("<extra_0>"),
    goodIndex: z.number().int().min(0).default(1),
    batchSize: z.number().int().min(1).max(1_024).default(64),
    timeoutMs: z.number().int().min(1_000).default(60_000),
  })
  .extend(combinedRewardSchema.shape)
  .strict();

export function rewardBlendFromEnv(env: Record<string, string | undefined> = process.env): RewardPrmBlend | undefined {
  const raw = env[REWARD_PRM_ENV]?.trim();
  if (!raw) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new ValidationError(`not valid JSON: ${(error as Error).message}`, REWARD_PRM_ENV);
  }
  const parsed = rewardPrmSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationError(issue.message, `${REWARD_PRM_ENV} field ${formatFieldPath(issue.path)}`);
  }
  const c = parsed.data;
  const prm = createServedPrm({ baseUrl: c.baseUrl, model: c.model, stepTag: c.stepTag, goodIndex: c.goodIndex, batchSize: c.batchSize, timeoutMs: c.timeoutMs, maxRetries: 2 });
  // An RL trainer has no self-play iteration to fall back on: t is what the setting says, else 0 (α = 1 − 0).
  return { prm, combined: { schedule: c.schedule, gamma: c.gamma }, t: c.t ?? 0 };
}
