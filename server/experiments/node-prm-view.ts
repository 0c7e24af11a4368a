// The inspector's PRM panel for one node: the score and the mode that produced it, the node's Math-Shepherd rollout
// labels (from the whole tree), and for a terminal its path's combined reward ϕ under the experiment's settings (the
// same pathPhi the exports use).
import type { Db } from "../db/index.ts";
import { pathRewards, resolvePhiT, type PathReward, computeRolloutLabels, passesVisibleTests, type StepLabel } from "../prm/index.ts";
import { type PrmMode, type StepScoreSource, parseExperimentConfig } from "../contracts/index.ts";

export interface NodePrmView {
  mode: PrmMode;
  score: number | null;
  labels: StepLabel;
  /** Terminals only. */
  combined: (PathReward & { t: number; stepScore: StepScoreSource }) | null;
}

export async function nodePrmView(prisma: Db, node: { id: string; treeId: string; isTerminal: boolean; prmScore: number | null }): Promise<NodePrmView> {
  const tree = await prisma.searchTree.findUniqueOrThrow({ where: { id: node.treeId }, select: { experiment: { select: { config: true, iteration: true } } } });
  const { prm } = parseExperimentConfig(tree.experiment.config);
  // Small columns of every node: labels need the whole subtree, ϕ the path (a few hundred kB at 10,000 nodes).
  const nodes = await prisma.treeNode.findMany({
    where: { treeId: node.treeId },
    select: { id: true, parentId: true, isTerminal: true, visits: true, valueSum: true, reward: true, prmScore: true },
  });
  const allLabels = computeRolloutLabels(nodes, passesVisibleTests);
  const labels = allLabels.get(node.id) ?? { completions: 0, passing: 0, hard: null, visitWeighted: null };
  let combined: NodePrmView["combined"] = null;
  if (node.isTerminal) {
    // Over the whole tree: an unvisited step falls back to its visit-weighted label, which needs every completion.
    const { schedule, gamma, stepScore } = prm.combinedReward;
    const settings = { schedule, gamma, stepScore, ...resolvePhiT(null, prm.combinedReward.t, tree.experiment.iteration) };
    const reward = pathRewards(nodes, settings, allLabels).find((p) => p.terminalId === node.id);
    combined = reward ? { ...reward, t: settings.t, stepScore } : null;
  }
  return { mode: prm.mode, score: node.prmScore, labels, combined };
}
