// The ϕ settings of an export: options first, then the experiment's config (prm.combinedReward), then the reference.
// ϕ itself is computed by the prm room's pathPhi, the same function the node inspector uses.
import { REFERENCE_COMBINED_REWARD, resolvePhiT, type PhiSettings } from "../prm/index.ts";
import type { PhiOptions } from "./export-options.ts";
import type { ExportExperiment } from "./export-tree.ts";

export function resolvePhi(experiment: ExportExperiment, options: PhiOptions): PhiSettings {
  const configured = experiment.config.prm.combinedReward;
  return {
    ...resolvePhiT(options.t, configured.t, experiment.iteration),
    schedule: options.schedule ?? configured.schedule ?? REFERENCE_COMBINED_REWARD.schedule,
    gamma: options.gamma ?? configured.gamma ?? REFERENCE_COMBINED_REWARD.gamma,
    stepScore: configured.stepScore,
  };
}
