// Turning prompts and completions into TRL's two formats. Standard: plain strings, the prompt rendered exactly as the
// completions API received it. Conversational: {role, content} messages, as the chat API received them.
import type { ChatMessage } from "../llm/index.ts";
import { toChatMessages, toRawText, type Prompt } from "../reasoning/index.ts";
import type { ExportStyle } from "./export-options.ts";

export type TextOrMessages = string | ChatMessage[];

/**
 * A prompt and what follows it. In the conversational format a partial assistant message (the steps so far, the
 * opener of the next) moves from the prompt to the front of the completion: trainers then never depend on a chat
 * template's "continue the final message" support, and for DPO the shared prefix cancels between chosen and rejected,
 * so the loss is the same as with the prefix in the prompt. Joined back, prompt + completion is exactly the request's
 * messages plus the generated text.
 */
export function promptAndCompletions(prompt: Prompt, completions: readonly string[], style: ExportStyle): { prompt: TextOrMessages; completions: TextOrMessages[] } {
  if (style === "standard") return { prompt: toRawText(prompt), completions: [...completions] };
  const head = toChatMessages({ ...prompt, assistant: "" });
  return { prompt: head, completions: completions.map((text) => [{ role: "assistant", content: prompt.assistant + text }]) };
}
