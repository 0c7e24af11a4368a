// The paper's combined reward ϕ(R, r¹…rᵐ) of a complete path, carried in SFT and PRM records so an RL or reward-
// weighted trainer can use it. R is the terminal's outcome reward (pass rate on the search-visible tests). A step's
// process reward r^j is its PRM score when a PRM scored it, else its value Q/N from the search, else (a step no
// rollout visited) its soft rollout label — the best available estimate of "how good is this step", in that order.
import { alphaAt, combinedReward, REFERENCE_COMBINED_REWARD, type CombinedRewardConfig, type StepLabel } from "../prm/index.ts";
import type { PhiOptions } from "./export-options.ts";
import type { ExportExperiment, ExportNode } from "./export-tree.ts";

export interface PathPhi {
  phi: number;
  /** α(t) and t used. */
  phiAlpha: number;
  phiT: number;
  /** r¹…rᵐ in path order. */
  stepRewards: number[];
}

export function stepReward(node: ExportNode, label: StepLabel | undefined): number {
  if (node.prmScore !== null) return node.prmScore;
  if (node.visits > 0) return node.valueSum / node.visits;
  return label?.soft ?? node.reward ?? 0;
}

/** The experiment's own ϕ settings (its config's prm.combinedReward), when its config has them. */
function configuredPhi(experiment: ExportExperiment): Partial<CombinedRewardConfig> & { t?: number } {
  const prm = (experiment.config as { prm?: { combinedReward?: Partial<CombinedRewardConfig> & { t?: number } } }).prm;
  return prm?.combinedReward ?? {};
}

/** Options first, then the experiment's settings, then the reference (α(t) = max(0.1, 1 − 0.01t), γ = 0.9). */
export function resolvePhi(experiment: ExportExperiment, options: PhiOptions): { t: number; config: CombinedRewardConfig } {
  const configured = configuredPhi(experiment);
  return {
    // A lineage's iteration is the natural t of its data; an explicit --phi-t wins over both.
    t: options.t ?? experiment.iteration ?? configured.t ?? 0,
    config: {
      schedule: options.schedule ?? configured.schedule ?? REFERENCE_COMBINED_REWARD.schedule,
      gamma: options.gamma ?? configured.gamma ?? REFERENCE_COMBINED_REWARD.gamma,
    },
  };
}

export function pathPhi(steps: readonly ExportNode[], terminal: ExportNode, labels: ReadonlyMap<string, StepLabel>, phi: { t: number; config: CombinedRewardConfig }): PathPhi {
  const stepRewards = steps.map((s) => stepReward(s, labels.get(s.id)));
  return {
    phi: combinedReward(terminal.reward ?? 0, stepRewards, phi.t, phi.config),
    phiAlpha: alphaAt(phi.config.schedule, phi.t),
    phiT: phi.t,
    stepRewards,
  };
}
