// The prm room's door: what other rooms, app/ and components/ may import from it.
export * from "./combined-reward.ts";
export * from "./create-prm.ts";
export * from "./path-rewards.ts";
export * from "./rollout-labels.ts";
export * from "./rollout-scores.ts";
export * from "./sampled-labels.ts";
export * from "./judge-prompt.ts";
export type { ProcessRewardModel, PrmRequest, PrmResult, PrmUsage } from "./process-reward-model.ts";
export { createServedPrm, type ServedPrm, type ServedPrmOptions } from "./served-prm.ts";
