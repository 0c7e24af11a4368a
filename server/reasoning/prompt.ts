// A prompt that only ever grows at its end: system and user messages are fixed per problem, the assistant text
// accumulates steps. Rendered as chat messages or as one raw text, a child's prompt is its parent's plus the new step,
// byte for byte, which is what lets vLLM's automatic prefix cache reuse the parent's KV blocks.
import type { ChatMessage, StepPrompt } from "../llm/index.ts";

export interface Prompt {
  /** Template id and version, e.g. "pseudocode@1", recorded with every tree. */
  templateId: string;
  system: string | null;
  user: string;
  /** The assistant's text so far (steps, then the opener of the step being asked for). */
  assistant: string;
}

/** A trailing non-empty assistant message is continued by the server; an empty one opens a fresh assistant turn. */
export function toChatMessages(prompt: Prompt): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (prompt.system !== null) messages.push({ role: "system", content: prompt.system });
  messages.push({ role: "user", content: prompt.user });
  if (prompt.assistant !== "") messages.push({ role: "assistant", content: prompt.assistant });
  return messages;
}

/** For base models on /v1/completions. */
export function toRawText(prompt: Prompt): string {
  return `${prompt.system === null ? "" : `${prompt.system}\n\n`}${prompt.user}\n\n${prompt.assistant}`;
}

export type PromptApi = "chat" | "completions";

export function toStepPrompt(prompt: Prompt, api: PromptApi): StepPrompt {
  return api === "chat" ? { kind: "chat", messages: toChatMessages(prompt) } : { kind: "text", text: toRawText(prompt) };
}

export function appendAssistant(prompt: Prompt, text: string): Prompt {
  return { ...prompt, assistant: prompt.assistant + text };
}
