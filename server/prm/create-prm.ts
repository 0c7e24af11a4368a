// Builds an experiment's PRM from its `prm` config, and the search edge that uses it for one problem.
import { type LlmClient, createOpenAiClient } from "../llm/index.ts";
import type { StepScorer } from "../search/index.ts";
import { createJudgePrm } from "./judge-prm.ts";
import type { PrmConfig } from "../contracts/index.ts";
import type { ProcessRewardModel, PrmUsage } from "./process-reward-model.ts";
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
      const counted = countUsage(llm);
      return { ...createJudgePrm({ llm: counted.llm, api: config.api ?? policy.api }), usage: counted.usage };
    }
  }
}

/** Every request the judge makes goes through this, so its tokens are counted in the experiment's (apart from the policy's). */
function countUsage(llm: LlmClient): { llm: LlmClient; usage: () => PrmUsage } {
  const total: PrmUsage = { promptTokens: 0, completionTokens: 0, requests: 0 };
  return {
    llm: {
      async complete(request) {
        const response = await llm.complete(request);
        total.promptTokens += response.usage.promptTokens;
        total.completionTokens += response.usage.completionTokens;
        total.requests += 1;
        return response;
      },
    },
    usage: () => ({ ...total }),
  };
}

/** Per tree: how many steps got a score, how many did not, and the last reason; stored in the tree's metrics. */
export interface PrmTally {
  mode: ProcessRewardModel["mode"];
  scored: number;
  failed: number;
  lastError: string | null;
  /** Tokens of the PRM's requests in this attempt at the tree: the judge's LLM calls, or the prompt tokens vLLM reports for a served PRM's pooling requests. */
  usage?: PrmUsage;
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
  return { scoreSteps, tally: () => ({ ...tally, usage: prm.usage?.() ?? { promptTokens: 0, completionTokens: 0, requests: 0 } }) };
}
