// The search core's parameters. Their defaults are the experiment config's (server/contracts/search-config.ts).
import { ValidationError } from "../errors.ts";
import { DEFAULT_SELECTION_GUIDE, EXPLORATION_SCHEDULES, GUIDE_KINDS, SEARCH_DEFAULTS, type ExplorationSchedule, type SelectionGuide } from "../contracts/index.ts";

export type { ExplorationSchedule, SelectionGuide };

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
  /**
   * Identical sibling samples become one node counting its copies (no visits wasted on twins). Off for the sampling
   * baseline, whose n replies are n independent draws that pass@k counts one by one.
   */
  mergeIdenticalSiblings: boolean;
}

export const DEFAULT_SEARCH_CONFIG: Omit<SearchConfig, "seed"> = {
  rollouts: SEARCH_DEFAULTS.rollouts,
  children: SEARCH_DEFAULTS.children,
  maxDepth: SEARCH_DEFAULTS.maxDepth,
  explorationWeight: SEARCH_DEFAULTS.explorationWeight,
  schedule: SEARCH_DEFAULTS.schedule,
  alpha: SEARCH_DEFAULTS.alpha,
  guide: DEFAULT_SELECTION_GUIDE,
  mergeIdenticalSiblings: true,
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
