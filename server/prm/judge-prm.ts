// Any chat or completions model as a PRM: one request per step with max_tokens 1 and top logprobs, scored as P(+)
// (judge-prompt.ts). Works with a policy-sized model when no PRM is served; greedy (temperature 0) and seeded, so a
// step's score is reproducible on servers that honour the seed.
import type { LlmClient } from "../llm/index.ts";
import { buildJudgePrompt, plusProbability } from "./judge-prompt.ts";
import { failed, scored, type PrmRequest, type PrmResult, type ProcessRewardModel } from "./process-reward-model.ts";

export interface JudgePrmOptions {
  llm: LlmClient;
  api: "chat" | "completions";
  /** Alternatives asked for at the rated position (vLLM allows up to 20 by default). */
  topLogprobs?: number;
}

export function createJudgePrm(options: JudgePrmOptions): ProcessRewardModel {
  const topLogprobs = options.topLogprobs ?? 20;

  async function scoreOne(request: PrmRequest, signal?: AbortSignal): Promise<PrmResult> {
    try {
      const response = await options.llm.complete({
        prompt: buildJudgePrompt(request.problem, request.steps, options.api),
        n: 1,
        maxTokens: 1,
        temperature: 0,
        seed: 0,
        logprobs: topLogprobs,
        signal,
      });
      const first = response.choices[0]?.logprobs?.[0];
      if (!first) throw new Error("the judge's response carries no logprobs (does the backend support them?)");
      return scored(plusProbability(first.top ?? [first]));
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      return failed(error);
    }
  }

  return {
    mode: "judge",
    scoreSteps: (requests, signal) => Promise.all(requests.map((r) => scoreOne(r, signal))),
  };
}
