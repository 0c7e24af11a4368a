// The reward room: OpenRLHF's remote reward protocol over our search reward (search-visible tests in the sandbox).
export { DEFAULT_MAX_BATCH, RewardRequestError, parseLabel, parseRewardRequest } from "./reward-request.ts";
export { createRewardService, type RewardPrmBlend, type RewardResponse, type RewardService, type RewardServiceOptions } from "./reward-service.ts";
export { registerRewardService, rewardHttpResponse } from "./reward-registry.ts";
export { responseSteps } from "./response-steps.ts";
export { REWARD_PRM_ENV, rewardBlendFromEnv } from "./reward-prm-config.ts";
