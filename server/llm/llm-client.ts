// The one interface every LLM backend implements (vLLM over HTTP now, llama.cpp in-process later).
// A request asks for `n` sibling continuations of one prompt: vLLM computes the shared prompt once for all of them.

export type ChatRole = "system" | "user" | "assistant";

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

/**
 * The prompt of a step request.
 * - `chat`: when the last message is the assistant's, the backend continues it (vLLM `continue_final_message: true,
 *   add_generation_prompt: false`), so a partial step is extended under the server's chat template; otherwise the
 *   backend opens a fresh assistant turn.
 * - `text`: a raw prompt for base models (`/v1/completions`).
 */
export type StepPrompt = { kind: "chat"; messages: ChatMessage[] } | { kind: "text"; text: string };

export interface StepRequest {
  prompt: StepPrompt;
  /** Sibling samples from one prompt pass. */
  n: number;
  /** Generation ends before the first of these (the step delimiter); the stop string is not in the text... */
  stop?: string[];
  /** ...unless this is set. */
  includeStopInOutput?: boolean;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  /** Makes sampling reproducible on servers that honour it (vLLM does, per request). */
  seed?: number;
  /** Ask for per-token log-probabilities with this many top alternatives (0 = only the sampled token). */
  logprobs?: number;
  /**
   * Order among requests waiting for the process's in-flight limit (semaphore.ts): lowest first, default 0. Not sent
   * to the server.
   */
  priority?: number;
  signal?: AbortSignal;
}

export interface TokenLogprob {
  token: string;
  logprob: number;
  /** The most likely alternatives at this position (when `logprobs` > 0 was asked and the server sent them). */
  top?: Array<{ token: string; logprob: number }>;
}

export interface StepChoice {
  index: number;
  text: string;
  /** "stop" (stop string or end of sequence), "length" (max_tokens reached), or what the server said. */
  finishReason: string | null;
  logprobs: TokenLogprob[] | null;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  /** Set when the server counted only some choices and the client estimated the rest from their text length. */
  estimated?: boolean;
}

export interface StepResponse {
  /** Ordered by `index`. */
  choices: StepChoice[];
  /** Prompt tokens are counted once per request sent (n may take several), completion tokens summed over all choices. */
  usage: TokenUsage;
  model: string;
}

export interface LlmClient {
  complete(request: StepRequest): Promise<StepResponse>;
}
