// Builds an experiment's PRM from its `prm` config, and the search edge that uses it for one problem.
import { type LlmClient, createOpenAiClient } from "../llm/index.ts";
import type { StepScorer } from "../search/index.ts";
import { createJudgePrm } from "./judge-prm.ts";
import type { PrmConfig } from "../contracts/index.ts";
import type { ProcessRewardModel } from "./process-reward-model.ts";
import { createServedPrm } from "./served-prm.ts";

export interface PolicyEndpoint {
  /** The policy's client: the judge's default model. */
  llm: LlmClient;
  api: "chat" | "completions";
}

/** null for modes that score nothing during the search (none; rollout labels are written after it). */
export function createPrm(config: PrmConfig, policy: PolicyEndpoint): ProcessRewardModel | null {
  switch (config.mode) {
    case "none":
    case "rollout":
      return null;
    case "served":
      return createServedPrm({
        baseUrl: config.baseUrl!,
        model: config.model!,
        stepTag: config.stepTag,
        goodIndex: config.goodIndex,
        input: config.input,
        systemPrompt: config.systemPrompt,
        batchSize: config.batchSize,
        timeoutMs: config.timeoutMs,
        maxRetries: config.maxRetries,
      });
    case "judge": {
      const llm = config.baseUrl
        ? createOpenAiClient({ baseUrl: config.baseUrl, model: config.model!, timeoutMs: config.timeoutMs, maxRetries: config.maxRetries })
        : policy.llm;
      return createJudgePrm({ llm, api: config.api ?? policy.api });
    }
  }
}

/** Per tree: how many steps got a score, how many did not, and the last reason; stored in the tree's metrics. */
export interface PrmTally {
  mode: ProcessRewardModel["mode"];
  scored: number;
  failed: number;
  lastError: string | null;
}

/**
 * The search edge for one problem. A step the PRM could not score keeps prmScore null and is counted in the tally
 * (the tree goes on: a PRM is an annotation, and at most a selection hint); only a cancel propagates.
 */
export function prmStepScorer(prm: ProcessRewardModel, problem: string): { scoreSteps: StepScorer; tally(): PrmTally } {
  const tally: PrmTally = { mode: prm.mode, scored: 0, failed: 0, lastError: null };
  const scoreSteps: StepScorer = async (requests, { signal }) => {
    const results = await prm.scoreSteps(
      requests.map((r) => ({ problem, steps: r.steps })),
      signal,
    );
    return results.map((result) => {
      if (result.score !== null) {
        tally.scored += 1;
        return result.score;
      }
      tally.failed += 1;
      tally.lastError = result.error;
      return null;
    });
  };
  return { scoreSteps, tally: () => ({ ...tally }) };
}
