// The search's edge to the language model: given the steps of a path, propose n next steps. The search knows nothing
// of prompts or HTTP; server/reasoning/llm-step-policy.ts builds this from an LlmClient and a reasoning mode, and
// tests script it.

export interface PolicyRequest {
  /** Step texts from depth 1 to the node being expanded (empty when expanding the root). */
  steps: readonly string[];
  /** Children wanted. */
  n: number;
  /** Sampling seed for this expansion, drawn from the search's seeded random stream. */
  seed: number;
  signal?: AbortSignal;
}

export interface ProposedStep {
  text: string;
  /** What the step does, in the reasoning mode's words (structure / refine / code / vanilla). */
  actionKind: string;
  /** The Python code the step carries, if any. */
  code: string | null;
  /** The reasoning mode considers the path finished after this step (e.g. it holds a python block). */
  isTerminal: boolean;
  /** A prior for the step (e.g. from logprobs or a PRM); null when the policy has none. */
  prior?: number | null;
  /** This step's own completion tokens, when the backend can tell them apart from its siblings'. */
  completionTokens?: number;
}

export interface ProposedSteps {
  steps: ProposedStep[];
  /** For the whole request: the prompt is processed once for all siblings. */
  usage: { promptTokens: number; completionTokens: number };
}

export interface StepPolicy {
  proposeSteps(request: PolicyRequest): Promise<ProposedSteps>;
}
