// Turns a StepPrompt into llama.cpp tokens for the embedded backend. There is no server-side chat template here, so:
// - `chat` prompts go through the GGUF's own Jinja template (`tokenizer.chat_template`, rendered by node-llama-cpp's
//   JinjaTemplateChatWrapper) when the file has one, else through renderFallbackChat below. Either way a trailing
//   assistant message is continued: the prompt ends right after its text, with no end-of-turn (vLLM's
//   `continue_final_message`); otherwise a fresh assistant turn is opened (`add_generation_prompt`).
//   Message contents are always plain text (a "<|im_end|>" inside a message is not the special token); the template's
//   own text may hold special tokens. BOS comes from the template (`bos_token`), as with vLLM's chat endpoint. The
//   template's pieces and the contents are tokenized separately (vLLM tokenizes the rendered string as a whole), and a
//   system message is turned into a user one if the template drops system messages (node-llama-cpp's "auto").
// - `text` prompts are tokenized as llama.cpp's completion endpoint does: special-token text is recognised and BOS is
//   prepended when the model asks for it (`tokenizer.ggml.add_bos_token`) and the text does not start with it.
import { JinjaTemplateChatWrapper, type ChatHistoryItem, type LlamaModel, type Token } from "node-llama-cpp";
import type { ChatMessage, StepPrompt } from "./llm-client.ts";

const ROLE_TITLES: Record<ChatMessage["role"], string> = { system: "System", user: "User", assistant: "Assistant" };

/**
 * The chat format for GGUFs without a chat template (base models), one block per message:
 * `### System\n{content}\n\n### User\n{content}\n\n### Assistant\n{content}`. A trailing assistant message is left
 * open (nothing after its content); otherwise the prompt ends with an open `### Assistant\n`. BOS is prepended when the
 * model asks for it. Nothing stops generation at the next `### User`: callers pass their own stop strings.
 */
export function renderFallbackChat(messages: readonly ChatMessage[]): string {
  const last = messages.at(-1);
  const continued = last?.role === "assistant";
  const closed = continued ? messages.slice(0, -1) : messages;
  const blocks = closed.map((message) => `### ${ROLE_TITLES[message.role]}\n${message.content}\n\n`);
  return `${blocks.join("")}### Assistant\n${continued ? last.content : ""}`;
}

export type ChatFormat = "gguf-template" | "fallback";

export interface PromptRenderer {
  readonly chatFormat: ChatFormat;
  /** Throws (with node-llama-cpp's message) when the GGUF's template cannot render these messages. */
  tokens(prompt: StepPrompt): Token[];
}

function toChatHistory(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((message): ChatHistoryItem => {
    if (message.role === "system") return { type: "system", text: message.content };
    if (message.role === "user") return { type: "user", text: message.content };
    return { type: "model", response: [message.content] };
  });
  // The wrapper continues a trailing model message; an empty one is a fresh assistant turn.
  if (messages.at(-1)?.role !== "assistant") history.push({ type: "model", response: [] });
  return history;
}

export function createPromptRenderer(model: LlamaModel): PromptRenderer {
  const template = model.fileInfo.metadata.tokenizer?.chat_template;
  const bos = model.tokens.bos;
  const withBos = (tokens: Token[]): Token[] =>
    model.tokens.shouldPrependBosToken && bos != null && tokens[0] !== bos ? [bos, ...tokens] : tokens;

  let renderChat: (messages: readonly ChatMessage[]) => Token[];
  if (typeof template === "string" && template.trim() !== "") {
    // Lazily built: a template node-llama-cpp cannot analyse fails chat requests only, never text ones.
    let wrapper: JinjaTemplateChatWrapper | undefined;
    renderChat = (messages) => {
      wrapper ??= new JinjaTemplateChatWrapper({
        template,
        reasoning: null, // leave `enable_thinking` to the template's default, as vLLM does
        trimLeadingWhitespaceInResponses: false,
        joinAdjacentMessagesOfTheSameType: false,
      });
      const { contextText } = wrapper.generateContextState({ chatHistory: toChatHistory(messages) });
      return contextText.tokenize(model.tokenizer);
    };
  } else {
    renderChat = (messages) => withBos(model.tokenize(renderFallbackChat(messages), false));
  }

  return {
    chatFormat: typeof template === "string" && template.trim() !== "" ? "gguf-template" : "fallback",
    tokens(prompt) {
      if (prompt.kind === "chat") return renderChat(prompt.messages);
      return withBos(model.tokenize(prompt.text, true));
    },
  };
}
