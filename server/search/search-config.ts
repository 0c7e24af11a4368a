// Search parameters with the reference defaults (DESIGN.md: R = 15 rollouts, n = 3 children, c = 2, depth 5, α = 0).
import { ValidationError } from "../errors.ts";

export const EXPLORATION_SCHEDULES = ["const", "linear", "exponential"] as const;
export type ExplorationSchedule = (typeof EXPLORATION_SCHEDULES)[number];

export const GUIDE_KINDS = ["value-mix", "prior"] as const;
export type GuideKind = (typeof GUIDE_KINDS)[number];

/**
 * How much PRM scores steer selection (see select-child.ts). weight 0 (the default) ignores them: selection is the
 * reference's UCT exactly.
 */
export interface SelectionGuide {
  kind: GuideKind;
  /** w in [0, 1]. */
  weight: number;
}

export interface SearchConfig {
  seed: number;
  /** R: rollouts per tree. */
  rollouts: number;
  /** n: children per expansion (one LLM request). */
  children: number;
  /** Nodes at this depth are terminal whatever they hold. */
  maxDepth: number;
  /** c in UCT. */
  explorationWeight: number;
  schedule: ExplorationSchedule;
  /** α in r = α·compile + (1−α)·pass_rate. */
  alpha: number;
  /** PRM guidance of selection; off (weight 0) by default. */
  guide: SelectionGuide;
}

export const DEFAULT_SEARCH_CONFIG: Omit<SearchConfig, "seed"> = {
  rollouts: 15,
  children: 3,
  maxDepth: 5,
  explorationWeight: 2,
  schedule: "const",
  alpha: 0,
  guide: { kind: "value-mix", weight: 0 },
};

export type SearchConfigInput = Partial<SearchConfig> & { seed: number };

function requireInteger(value: number, min: number, where: string): void {
  if (!Number.isInteger(value) || value < min) throw new ValidationError(`must be an integer ≥ ${min}, got ${value}`, where);
}

export function resolveSearchConfig(input: SearchConfigInput): SearchConfig {
  const config: SearchConfig = { ...DEFAULT_SEARCH_CONFIG, ...input };
  requireInteger(config.seed, 0, "search.seed");
  requireInteger(config.rollouts, 1, "search.rollouts");
  requireInteger(config.children, 1, "search.children");
  requireInteger(config.maxDepth, 1, "search.maxDepth");
  if (!(config.explorationWeight >= 0) || !Number.isFinite(config.explorationWeight)) {
    throw new ValidationError(`must be a finite number ≥ 0, got ${config.explorationWeight}`, "search.explorationWeight");
  }
  if (!EXPLORATION_SCHEDULES.includes(config.schedule)) {
    throw new ValidationError(`must be one of ${EXPLORATION_SCHEDULES.join(", ")}`, "search.schedule");
  }
  if (!(config.alpha >= 0 && config.alpha <= 1)) throw new ValidationError(`must be in [0, 1], got ${config.alpha}`, "search.alpha");
  if (!GUIDE_KINDS.includes(config.guide.kind)) throw new ValidationError(`must be one of ${GUIDE_KINDS.join(", ")}`, "search.guide.kind");
  if (!(config.guide.weight >= 0 && config.guide.weight <= 1)) {
    throw new ValidationError(`must be in [0, 1], got ${config.guide.weight}`, "search.guide.weight");
  }
  return config;
}
