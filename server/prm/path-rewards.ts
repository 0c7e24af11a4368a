// ϕ for complete paths (root → terminal) — the one function every consumer uses: the node inspector, the SFT and PRM
// exports (and anything else that shows or writes ϕ), so the same path never gets two different ϕ. R is the terminal's
// reward on the search-visible tests; r¹…rᵐ are the path's steps (root excluded, terminal included) scored from the
// configured source (STEP_SCORE_SOURCES in the contracts); t is resolved by resolvePhiT, with the reason recorded.
import { alphaAt, combinedReward, type CombinedRewardConfig } from "./combined-reward.ts";
import { computeRolloutLabels, passesVisibleTests, type LabelNode, type StepLabel } from "./rollout-labels.ts";
import type { StepScoreSource } from "../contracts/index.ts";

export interface PathRewardNode extends LabelNode {
  reward: number | null;
  prmScore: number | null;
  /** Q: the sum of rewards backpropagated through the node (value = Q/N). */
  valueSum: number;
}

/** How t was chosen: an export option, the experiment's config, its lineage iteration, or nothing given (0). */
export type PhiTSource = "option" | "config" | "iteration" | "default";

export interface PhiSettings extends CombinedRewardConfig {
  /** The training step t at which α(t) is read. */
  t: number;
  tSource: PhiTSource;
  stepScore: StepScoreSource;
}

/** Which score a step's r^j actually is. */
export type StepRewardSource = "prm" | "value" | "visit-weighted";

export interface PathPhi {
  /** ϕ(R, r¹…rᵐ). */
  phi: number;
  /** α(t), t and where t came from. */
  phiAlpha: number;
  phiT: number;
  phiTSource: PhiTSource;
  /** r¹…rᵐ in path order, and the source of each. */
  stepRewards: number[];
  stepSources: StepRewardSource[];
}

export interface PathReward extends PathPhi {
  terminalId: string;
  /** Node ids from depth 1 to the terminal. */
  path: string[];
  /** R: the terminal's reward (0 when it has none). */
  outcome: number;
  gamma: number;
}

/**
 * t for α(t): an explicit option first (an export's --phi-t), then an explicit t in the experiment's config, then the
 * experiment's lineage iteration, else 0. A configured t is a decision; an iteration is only a sensible default.
 */
export function resolvePhiT(option: number | null | undefined, configured: number | undefined, iteration: number | null): { t: number; tSource: PhiTSource } {
  if (option !== null && option !== undefined) return { t: option, tSource: "option" };
  if (configured !== undefined) return { t: configured, tSource: "config" };
  if (iteration !== null) return { t: iteration, tSource: "iteration" };
  return { t: 0, tSource: "default" };
}

/** A step's process reward r^j from the configured source; every step on a path to a terminal has a label. */
export function stepScore(node: PathRewardNode, label: StepLabel | undefined, source: StepScoreSource): { score: number; source: StepRewardSource } {
  if (source === "prm-or-value" && node.prmScore !== null) return { score: node.prmScore, source: "prm" };
  if (source !== "visit-weighted" && node.visits > 0) return { score: node.valueSum / node.visits, source: "value" };
  return { score: label?.visitWeighted ?? node.reward ?? 0, source: "visit-weighted" };
}

/** ϕ of one path: `steps` from depth 1 to `terminal`, labels from computeRolloutLabels over the whole tree. */
export function pathPhi(steps: readonly PathRewardNode[], terminal: PathRewardNode, labels: ReadonlyMap<string, StepLabel>, settings: PhiSettings): PathPhi {
  const scored = steps.map((s) => stepScore(s, labels.get(s.id), settings.stepScore));
  const stepRewards = scored.map((s) => s.score);
  return {
    phi: combinedReward(terminal.reward ?? 0, stepRewards, settings.t, settings),
    phiAlpha: alphaAt(settings.schedule, settings.t),
    phiT: settings.t,
    phiTSource: settings.tSource,
    stepRewards,
    stepSources: scored.map((s) => s.source),
  };
}

/** ϕ of every complete path of a tree; `labels` defaults to the search-visible notion of passing. */
export function pathRewards<N extends PathRewardNode>(nodes: readonly N[], settings: PhiSettings, labels: ReadonlyMap<string, StepLabel> = computeRolloutLabels(nodes, passesVisibleTests)): PathReward[] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const out: PathReward[] = [];
  for (const terminal of nodes) {
    if (!terminal.isTerminal) continue;
    const path: N[] = [];
    for (let node: N | undefined = terminal; node && node.parentId !== null; node = byId.get(node.parentId)) path.unshift(node);
    out.push({
      terminalId: terminal.id,
      path: path.map((node) => node.id),
      outcome: terminal.reward ?? 0,
      gamma: settings.gamma,
      ...pathPhi(path, terminal, labels, settings),
    });
  }
  return out;
}
