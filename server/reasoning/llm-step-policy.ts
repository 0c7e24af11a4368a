// The StepPolicy the search uses in production: a reasoning mode's prompts sent through an LlmClient.
import type { LlmClient, StepChoice } from "../llm/index.ts";
import type { PolicyRequest, ProposedStep, ProposedSteps, StepPolicy } from "../search/index.ts";
import type { SearchVisibleProblem } from "./problem.ts";
import { toStepPrompt, type Prompt, type PromptApi } from "./prompt.ts";
import type { ReasoningMode } from "./reasoning-mode.ts";
import { cutAtStop } from "./step-format.ts";

export interface SamplingSettings {
  temperature: number;
  topP: number;
  /** Per step. */
  maxTokens: number;
}

/** The reference's sampling (temperature 0.8, top_p 0.95); 1024 tokens is ample for one step of pseudocode or code. */
export const REFERENCE_SAMPLING: SamplingSettings = { temperature: 0.8, topP: 0.95, maxTokens: 1024 };

export interface LlmStepPolicyOptions {
  llm: LlmClient;
  mode: ReasoningMode;
  problem: SearchVisibleProblem;
  /** Chat models continue the assistant message; base models take the raw text on /v1/completions. */
  api?: PromptApi;
  sampling?: Partial<SamplingSettings>;
  /** Request token logprobs (then each step's completion tokens are known exactly). */
  logprobs?: number;
}

/** The prompt of a path: the root prompt extended by each step in turn. */
export function promptForPath(mode: ReasoningMode, rootPrompt: Prompt, steps: readonly string[]): Prompt {
  return steps.reduce((prompt, text, i) => mode.extendPrompt(prompt, { stepNumber: i + 1, text }), rootPrompt);
}

function toProposedStep(mode: ReasoningMode, choice: StepChoice, stepNumber: number): ProposedStep {
  const parsed = mode.parseStep(cutAtStop(choice.text, mode.stepFormat.boundaries), stepNumber);
  return {
    text: parsed.text,
    actionKind: parsed.actionKind,
    code: parsed.code,
    isTerminal: parsed.isTerminal,
    prior: null,
    ...(choice.logprobs ? { completionTokens: choice.logprobs.length } : {}),
  };
}

export function createLlmStepPolicy(options: LlmStepPolicyOptions): StepPolicy {
  const { llm, mode } = options;
  const api = options.api ?? "chat";
  const sampling = { ...REFERENCE_SAMPLING, ...options.sampling };
  const root = mode.buildRootPrompt(options.problem);

  async function proposeSteps(request: PolicyRequest): Promise<ProposedSteps> {
    const stepNumber = request.steps.length + 1;
    const prompt = mode.openStep(promptForPath(mode, root, request.steps), stepNumber);
    const response = await llm.complete({
      prompt: toStepPrompt(prompt, api),
      n: request.n,
      stop: [...mode.stepFormat.stop],
      temperature: sampling.temperature,
      topP: sampling.topP,
      maxTokens: sampling.maxTokens,
      seed: request.seed,
      logprobs: options.logprobs,
      signal: request.signal,
    });
    return {
      steps: response.choices.map((choice) => toProposedStep(mode, choice, stepNumber)),
      usage: response.usage,
    };
  }

  return { proposeSteps };
}
