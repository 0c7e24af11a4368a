// The OpenAI-compatible wire format as vLLM speaks it: request bodies out, zod-checked responses in. Where another
// server (llama.cpp's llama-server) answers in a different but unambiguous shape, both shapes are read.
import { z } from "zod";
import type { ChatMessage, StepChoice, StepRequest, StepResponse, TokenLogprob } from "./llm-client.ts";

type JsonBody = Record<string, unknown>;

function samplingFields(request: StepRequest): JsonBody {
  const fields: JsonBody = { n: request.n };
  if (request.stop && request.stop.length > 0) fields.stop = request.stop;
  if (request.includeStopInOutput) fields.include_stop_str_in_output = true;
  if (request.temperature !== undefined) fields.temperature = request.temperature;
  if (request.topP !== undefined) fields.top_p = request.topP;
  if (request.maxTokens !== undefined) fields.max_tokens = request.maxTokens;
  if (request.seed !== undefined) fields.seed = request.seed;
  return fields;
}

/** A trailing assistant message is continued in place rather than answered by a new turn. */
export function buildChatBody(model: string, messages: ChatMessage[], request: StepRequest): JsonBody {
  const continuing = messages.at(-1)?.role === "assistant";
  return {
    model,
    messages,
    ...samplingFields(request),
    ...(continuing ? { continue_final_message: true, add_generation_prompt: false } : {}),
    ...(request.logprobs !== undefined ? { logprobs: true, top_logprobs: request.logprobs } : {}),
  };
}

export function buildCompletionBody(model: string, prompt: string, request: StepRequest): JsonBody {
  return {
    model,
    prompt,
    ...samplingFields(request),
    ...(request.logprobs !== undefined ? { logprobs: request.logprobs } : {}),
  };
}

// Usage is optional on the wire (not every compatible server sends it); absent usage counts as zero tokens.
const usageSchema = z.object({ prompt_tokens: z.number().int().nonnegative(), completion_tokens: z.number().int().nonnegative() });

/** The chat API's logprobs: one entry per generated token. */
const tokenLogprobEntriesSchema = z.array(
  z.object({
    token: z.string(),
    logprob: z.number(),
    top_logprobs: z.array(z.object({ token: z.string(), logprob: z.number() })).nullable().optional(),
  }),
);
const chatLogprobsSchema = z.object({ content: tokenLogprobEntriesSchema.nullable().optional() });
/** The same shape on /v1/completions (llama-server), where `content` must be there to tell it from a broken body. */
const chatShapedCompletionLogprobsSchema = z.object({ content: tokenLogprobEntriesSchema });

/** The legacy completions logprobs (vLLM, OpenAI): parallel arrays. */
const legacyCompletionLogprobsSchema = z.object({
  tokens: z.array(z.string()),
  token_logprobs: z.array(z.number().nullable()),
  // One {token: logprob} map per position (null for an echoed first token).
  top_logprobs: z.array(z.record(z.string(), z.number()).nullable()).nullable().optional(),
});

// llama-server's own per-response statistics; their presence identifies its usage semantics.
const timingsSchema = z.object({ predicted_n: z.number() }).passthrough().nullable().optional();

const chatResponseSchema = z.object({
  model: z.string().optional(),
  choices: z.array(
    z.object({
      index: z.number().int().nonnegative(),
      message: z.object({ content: z.string().nullable().optional() }),
      finish_reason: z.string().nullable().optional(),
      logprobs: chatLogprobsSchema.nullable().optional(),
    }),
  ),
  usage: usageSchema.nullable().optional(),
  timings: timingsSchema,
});

const completionResponseSchema = z.object({
  model: z.string().optional(),
  choices: z.array(
    z.object({
      index: z.number().int().nonnegative(),
      text: z.string(),
      finish_reason: z.string().nullable().optional(),
      // llama-server answers /v1/completions with the chat shape; the legacy arrays are tried first.
      logprobs: z.union([legacyCompletionLogprobsSchema, chatShapedCompletionLogprobsSchema]).nullable().optional(),
    }),
  ),
  usage: usageSchema.nullable().optional(),
  timings: timingsSchema,
});

/**
 * `firstChoiceUsage`: the usage describes choice 0 only. llama-server builds a response with n choices from n
 * single-choice results and keeps the first one's `usage` (and `timings`, a field of its own that vLLM never sends).
 */
export type ParsedResponse = { ok: true; response: StepResponse; firstChoiceUsage: boolean } | { ok: false; issue: string };

function finish(model: string, choices: StepChoice[], usage: z.infer<typeof usageSchema> | null | undefined): StepResponse {
  return {
    model,
    choices: choices.sort((a, b) => a.index - b.index),
    usage: { promptTokens: usage?.prompt_tokens ?? 0, completionTokens: usage?.completion_tokens ?? 0 },
  };
}

function isFirstChoiceUsage(body: { choices: unknown[]; timings?: unknown }): boolean {
  return body.choices.length > 1 && body.timings != null;
}

function describeIssue(error: z.ZodError): string {
  const first = error.issues[0];
  return first ? `${first.path.join(".") || "(body)"}: ${first.message}` : "unexpected shape";
}

export function parseChatResponse(json: unknown, requestedModel: string): ParsedResponse {
  const parsed = chatResponseSchema.safeParse(json);
  if (!parsed.success) return { ok: false, issue: describeIssue(parsed.error) };
  const choices = parsed.data.choices.map(
    (choice): StepChoice => ({
      index: choice.index,
      text: choice.message.content ?? "",
      finishReason: choice.finish_reason ?? null,
      logprobs: readChatLogprobs(choice.logprobs),
    }),
  );
  return { ok: true, response: finish(parsed.data.model ?? requestedModel, choices, parsed.data.usage), firstChoiceUsage: isFirstChoiceUsage(parsed.data) };
}

function readChatLogprobs(logprobs: z.infer<typeof chatLogprobsSchema> | null | undefined): TokenLogprob[] | null {
  return logprobs?.content?.map((t) => withTop({ token: t.token, logprob: t.logprob }, t.top_logprobs)) ?? null;
}

function readCompletionLogprobs(
  logprobs: z.infer<typeof legacyCompletionLogprobsSchema> | z.infer<typeof chatShapedCompletionLogprobsSchema> | null | undefined,
): TokenLogprob[] | null {
  if (!logprobs) return null;
  if ("tokens" in logprobs) return zipLogprobs(logprobs.tokens, logprobs.token_logprobs, logprobs.top_logprobs);
  return readChatLogprobs(logprobs);
}

export function parseCompletionResponse(json: unknown, requestedModel: string): ParsedResponse {
  const parsed = completionResponseSchema.safeParse(json);
  if (!parsed.success) return { ok: false, issue: describeIssue(parsed.error) };
  const choices = parsed.data.choices.map(
    (choice): StepChoice => ({
      index: choice.index,
      text: choice.text,
      finishReason: choice.finish_reason ?? null,
      logprobs: readCompletionLogprobs(choice.logprobs),
    }),
  );
  return { ok: true, response: finish(parsed.data.model ?? requestedModel, choices, parsed.data.usage), firstChoiceUsage: isFirstChoiceUsage(parsed.data) };
}

/** Completions logprobs come as parallel arrays; a null entry (an echoed first token) has no probability to keep. */
function zipLogprobs(tokens: string[], logprobs: Array<number | null>, top?: Array<Record<string, number> | null> | null): TokenLogprob[] {
  const out: TokenLogprob[] = [];
  tokens.forEach((token, i) => {
    const logprob = logprobs[i];
    const alternatives = top?.[i];
    const topList = alternatives ? Object.entries(alternatives).map(([t, lp]) => ({ token: t, logprob: lp })) : null;
    if (logprob !== null && logprob !== undefined) out.push(withTop({ token, logprob }, topList));
  });
  return out;
}

/** Alternatives are attached only when the server sent some, so plain logprobs keep their old shape. */
function withTop(entry: TokenLogprob, top: Array<{ token: string; logprob: number }> | null | undefined): TokenLogprob {
  return top && top.length > 0 ? { ...entry, top: top.map((t) => ({ token: t.token, logprob: t.logprob })) } : entry;
}

const modelListSchema = z.object({
  data: z.array(
    z.object({ id: z.string(), owned_by: z.string().nullable().optional(), max_model_len: z.number().int().nullable().optional() }),
  ),
});

export interface ModelInfo {
  id: string;
  ownedBy: string | null;
  /** vLLM reports the served context length; other servers may not. */
  maxModelLen: number | null;
}

export function parseModelList(json: unknown): { ok: true; models: ModelInfo[] } | { ok: false; issue: string } {
  const parsed = modelListSchema.safeParse(json);
  if (!parsed.success) return { ok: false, issue: describeIssue(parsed.error) };
  return {
    ok: true,
    models: parsed.data.data.map((m) => ({ id: m.id, ownedBy: m.owned_by ?? null, maxModelLen: m.max_model_len ?? null })),
  };
}

// OpenAI (and llama-server) nest the error ({error: {message, code, type}}); vLLM puts it at the top level
// ({object: "error", message, type, code}).
const errorCodeSchema = z.union([z.string(), z.number()]).nullable().optional();
const errorBodySchema = z.union([
  z.object({ error: z.object({ message: z.string(), code: errorCodeSchema, type: z.string().nullable().optional() }) }),
  z.object({ message: z.string(), code: errorCodeSchema, type: z.string().nullable().optional() }),
  z.object({ error: z.string() }),
  z.object({ detail: z.string() }),
]);

export interface ServerError {
  message: string | null;
  code: string | null;
  /** The error's `type` ("exceed_context_size_error" on llama-server), when sent. */
  type: string | null;
}

export function readServerError(body: string): ServerError {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    const text = body.trim();
    return { message: text ? text.slice(0, 500) : null, code: null, type: null };
  }
  const parsed = errorBodySchema.safeParse(json);
  if (!parsed.success) return { message: body.trim().slice(0, 500) || null, code: null, type: null };
  const value = parsed.data;
  if ("detail" in value) return { message: value.detail, code: null, type: null };
  if ("message" in value) return { message: value.message, code: value.code == null ? null : String(value.code), type: value.type ?? null };
  if (typeof value.error === "string") return { message: value.error, code: null, type: null };
  return { message: value.error.message, code: value.error.code == null ? null : String(value.error.code), type: value.error.type ?? null };
}
