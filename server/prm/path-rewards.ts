// ϕ for every complete path (root → terminal) of a tree, for the exporter and the node inspector. R is the terminal's
// reward on the search-visible tests; r¹…rᵐ are the path's steps (root excluded, terminal included) scored by the PRM,
// or, for a step without a PRM score, by its rollout soft label (the share of completions below it that pass).
import { alphaAt, combinedReward, type CombinedRewardConfig } from "./combined-reward.ts";
import { computeRolloutLabels, passesVisibleTests, type LabelNode } from "./rollout-labels.ts";

export interface PathRewardNode extends LabelNode {
  reward: number | null;
  prmScore: number | null;
}

export interface PathRewardSettings extends CombinedRewardConfig {
  /** The training step t at which α(t) is read. */
  t: number;
}

export type StepRewardSource = "prm" | "soft-label";

export interface PathReward {
  terminalId: string;
  /** Node ids from depth 1 to the terminal. */
  path: string[];
  /** R: the terminal's reward (0 when it has none). */
  outcome: number;
  /** r¹…rᵐ in path order. */
  stepRewards: number[];
  stepSources: StepRewardSource[];
  alpha: number;
  gamma: number;
  /** ϕ(R, r¹…rᵐ). */
  phi: number;
}

export function pathRewards<N extends PathRewardNode>(nodes: readonly N[], settings: PathRewardSettings): PathReward[] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const labels = computeRolloutLabels(nodes, passesVisibleTests);
  const alpha = alphaAt(settings.schedule, settings.t);
  const out: PathReward[] = [];
  for (const terminal of nodes) {
    if (!terminal.isTerminal) continue;
    const path: N[] = [];
    for (let node: N | undefined = terminal; node && node.parentId !== null; node = byId.get(node.parentId)) path.unshift(node);
    const stepSources = path.map((node): StepRewardSource => (node.prmScore !== null ? "prm" : "soft-label"));
    // A step on a path to a terminal always has a soft label (the terminal lies below it).
    const stepRewards = path.map((node) => node.prmScore ?? labels.get(node.id)?.soft ?? 0);
    const outcome = terminal.reward ?? 0;
    out.push({
      terminalId: terminal.id,
      path: path.map((node) => node.id),
      outcome,
      stepRewards,
      stepSources,
      alpha,
      gamma: settings.gamma,
      phi: combinedReward(outcome, stepRewards, settings.t, settings),
    });
  }
  return out;
}
