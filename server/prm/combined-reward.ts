// The seed paper's combined reward for a complete reasoning path:
//   ϕ(R, r¹…rᵐ) = α(t)·R + (1 − α(t)) · (1/m) · Σ_{j=1..m} γ^j · r^j
// R is the outcome reward (pass rate on the tests), r^j the process reward of step j, t the training step (here: the
// self-play iteration or whatever the exporter is told), α(t) a schedule that moves weight from outcome to process.
import { ValidationError } from "../errors.ts";
import type { AlphaSchedule, CombinedRewardConfig } from "../contracts/index.ts";

export { REFERENCE_COMBINED_REWARD, type AlphaSchedule, type CombinedRewardConfig } from "../contracts/index.ts";

export function alphaAt(schedule: AlphaSchedule, t: number): number {
  if (!(t >= 0) || !Number.isFinite(t)) throw new ValidationError(`must be a finite number ≥ 0, got ${t}`, "combined reward t");
  switch (schedule.kind) {
    case "constant":
      return schedule.alpha;
    case "linear":
      return Math.max(schedule.alphaMin, 1 - schedule.k * t);
    case "logarithmic":
      return Math.max(schedule.alphaMin, 1 - schedule.k * Math.log1p(t));
  }
}

/**
 * ϕ for one path. `stepRewards` are r¹…rᵐ in path order (root excluded). With no steps (m = 0) there is no process
 * term, and ϕ = R rather than α·R, so a path is never penalised for having no scored steps.
 */
export function combinedReward(outcome: number, stepRewards: readonly number[], t: number, config: CombinedRewardConfig): number {
  const alpha = alphaAt(config.schedule, t);
  const m = stepRewards.length;
  if (m === 0) return outcome;
  const process = stepRewards.reduce((sum, r, i) => sum + config.gamma ** (i + 1) * r, 0) / m;
  return alpha * outcome + (1 - alpha) * process;
}

export function validateCombinedRewardConfig(config: CombinedRewardConfig, where: string): CombinedRewardConfig {
  const { schedule, gamma } = config;
  if (!(gamma >= 0 && gamma <= 1)) throw new ValidationError(`must be in [0, 1], got ${gamma}`, `${where}.gamma`);
  if (schedule.kind === "constant") {
    if (!(schedule.alpha >= 0 && schedule.alpha <= 1)) throw new ValidationError(`must be in [0, 1], got ${schedule.alpha}`, `${where}.alpha`);
  } else {
    if (!(schedule.alphaMin >= 0 && schedule.alphaMin <= 1)) throw new ValidationError(`must be in [0, 1], got ${schedule.alphaMin}`, `${where}.alphaMin`);
    if (!(schedule.k >= 0) || !Number.isFinite(schedule.k)) throw new ValidationError(`must be a finite number ≥ 0, got ${schedule.k}`, `${where}.k`);
  }
  return config;
}
