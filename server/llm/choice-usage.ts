// Usage of a response with several choices. vLLM counts the completion tokens of all n choices; llama-server reports
// the usage of choice 0 only. Undercounting silently would make a llama-server run look n times cheaper than it was,
// so when the count covers choice 0 only (the server is known to do that, see openai-wire.ts, or the count is provably
// too small for its choices) the other choices are counted by the client: exactly from their logprobs or a full
// max_tokens when that is known, otherwise estimated from text length at choice 0's rate (and flagged as estimated).
import type { StepChoice, TokenUsage } from "./llm-client.ts";

export interface ReconciledUsage extends TokenUsage {
  /** Some completion tokens were estimated by the client rather than counted by the server. */
  estimated: boolean;
  /** The server's count covered fewer choices than it sent (so later responses are treated the same way). */
  undercounted: boolean;
}

/** A choice's own token count when it is known without the server's usage: its logprobs, or a full max_tokens. */
function knownTokens(choice: StepChoice, maxTokens: number | undefined): number | null {
  if (choice.logprobs) return choice.logprobs.length;
  if (choice.finishReason === "length" && maxTokens !== undefined) return maxTokens;
  return null;
}

/**
 * The fewest tokens the choices together can hold: known counts, else one token each (even an empty text ended on a
 * generated stop or end-of-sequence token, which servers count).
 */
function minimumTokens(choices: readonly StepChoice[], maxTokens: number | undefined): number {
  return choices.reduce((sum, c) => sum + (knownTokens(c, maxTokens) ?? 1), 0);
}

/**
 * `firstChoiceOnly`: the response (or an earlier one from this server) is known to count choice 0 only. Without
 * that, a response is judged on its own: completion tokens below what its choices must hold means choice 0 only.
 */
export function reconcileUsage(
  choices: readonly StepChoice[],
  reported: TokenUsage,
  maxTokens: number | undefined,
  firstChoiceOnly: boolean,
): ReconciledUsage {
  const fits = { ...reported, estimated: false, undercounted: false };
  if (choices.length < 2) return fits;
  const undercounted = firstChoiceOnly || reported.completionTokens < minimumTokens(choices, maxTokens);
  if (!undercounted) return fits;
  const first = choices[0]!;
  // Choice 0's tokens per character, from the server's own count of it.
  const rate = first.text.length > 0 ? reported.completionTokens / first.text.length : null;
  let estimated = false;
  const others = choices.slice(1).reduce((sum, choice) => {
    const known = knownTokens(choice, maxTokens);
    if (known !== null) return sum + known;
    estimated = true;
    // No rate from an empty choice 0: one token per character is the upper end for ASCII text.
    return sum + Math.max(1, Math.round(choice.text.length * (rate ?? 1)));
  }, 0);
  return { promptTokens: reported.promptTokens, completionTokens: reported.completionTokens + others, estimated, undercounted: true };
}
