// Chat continuation: vLLM answers a continued assistant message with the new text only, llama-server (some builds)
// with the prefill in front of it. Left in, every step past the first would repeat the whole path so far.
import type { StepChoice } from "./llm-client.ts";

/** The partial assistant message a chat request continues, or null when it opens a fresh turn. */
export function continuedPrefill(messages: ReadonlyArray<{ role: string; content: string }>): string | null {
  const last = messages.at(-1);
  return last?.role === "assistant" && last.content.length > 0 ? last.content : null;
}

/**
 * Strips the prefill when every choice starts with it: an echoing server echoes on each choice, while a model that
 * happens to begin by repeating the whole partial message on all n samples is not a real case. Returns how many
 * choices were stripped (0 when the server did not echo).
 */
export function stripEchoedPrefill(choices: StepChoice[], prefill: string | null): { choices: StepChoice[]; stripped: number } {
  if (prefill === null || choices.length === 0 || !choices.every((c) => c.text.startsWith(prefill))) return { choices, stripped: 0 };
  return { choices: choices.map((c) => ({ ...c, text: c.text.slice(prefill.length) })), stripped: choices.length };
}
