// Turns a failed attempt (an HTTP error status or a transport error) into a failure kind, and a final failure into the
// typed error a user reads. vLLM gives no machine-readable code for "wrong model" or "context too long", so those two
// are recognised from its (stable, documented) message wording (and llama-server's error type); everything else goes
// by status code.
import { LlmConfigError, LlmUnavailableError, isRetryableKind, type LlmError, type LlmFailureKind } from "./llm-errors.ts";
import type { HttpResponse } from "./http-request.ts";
import { readServerError } from "./openai-wire.ts";
import { parseRetryAfter } from "./retry-after.ts";

export interface AttemptFailure {
  kind: LlmFailureKind;
  status: number | null;
  serverMessage: string | null;
  /** From a Retry-After header on 429/5xx. */
  retryAfterMs: number | null;
  /** What went wrong in our own words (transport error code, schema issue), for the error message. */
  detail: string | null;
  cause?: unknown;
}

// vLLM: "maximum context length is …"; llama-server: "request (N tokens) exceeds the available context size (M tokens)".
const CONTEXT_LENGTH_PHRASES = [
  "maximum context length",
  "maximum model length",
  "max_model_len",
  "context length",
  "context size",
  "too long",
];

function namesMissingModel(message: string | null, code: string | null, model: string): boolean {
  if (code === "model_not_found") return true;
  if (!message || !model) return false;
  // Quoted forms only: a bare short model name ("m") would match almost any message.
  return [`\`${model}\``, `"${model}"`, `'${model}'`].some((quoted) => message.includes(quoted));
}

function mentionsContextLength(message: string | null, code: string | null, type: string | null): boolean {
  if (code === "context_length_exceeded" || type === "exceed_context_size_error") return true;
  const lower = message?.toLowerCase() ?? "";
  return CONTEXT_LENGTH_PHRASES.some((phrase) => lower.includes(phrase));
}

/** llama-server's own wording and error type for a prompt longer than a slot's context. */
function overflowsSlotContext(message: string | null, type: string | null): boolean {
  return type === "exceed_context_size_error" || (message ?? "").includes("exceeds the available context size");
}

function headerValue(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function classifyHttpFailure(response: HttpResponse, model: string, nowMs: number): AttemptFailure {
  const { status } = response;
  const { message, code, type } = readServerError(response.body);
  const failure = (kind: LlmFailureKind, retryAfterMs: number | null = null): AttemptFailure => ({
    kind,
    status,
    serverMessage: message,
    retryAfterMs,
    detail: null,
  });
  if (status === 408) return failure("timeout");
  if (status === 429) return failure("rate-limited", parseRetryAfter(headerValue(response, "retry-after"), nowMs));
  // llama-server answers 501 for a feature it lacks (e.g. an endpoint disabled at launch): asking again cannot help.
  if (status === 501) return failure("not-implemented");
  // Older llama-server builds sent the slot's context overflow as a 500; it is no more transient than the 400.
  if (status >= 500 && overflowsSlotContext(message, type)) return failure("context-too-long");
  if (status >= 500) return failure("server-error", parseRetryAfter(headerValue(response, "retry-after"), nowMs));
  if (status === 401 || status === 403) return failure("unauthorized");
  if (status >= 400 && namesMissingModel(message, code, model)) return failure("model-not-found");
  if (status >= 400 && mentionsContextLength(message, code, type)) return failure("context-too-long");
  if (status === 404) return failure("endpoint-not-found");
  if (status >= 400) return failure("bad-request");
  return { ...failure("unexpected-response"), detail: `HTTP ${status}` };
}

function errorCode(error: unknown): string | null {
  if (error && typeof error === "object" && "code" in error && typeof error.code === "string") return error.code;
  return null;
}

/** Any transport error that is not the caller's abort is a connection failure (or our own timeout): worth a retry. */
export function classifyTransportError(error: unknown, timedOut: boolean): AttemptFailure {
  const text = error instanceof Error ? error.message : String(error);
  const code = errorCode(error);
  return {
    kind: timedOut ? "timeout" : "connection",
    status: null,
    serverMessage: null,
    retryAfterMs: null,
    detail: code && !text.includes(code) ? `${code}: ${text}` : text,
    cause: error,
  };
}

export function malformedBodyFailure(status: number, error: unknown): AttemptFailure {
  const detail = error instanceof Error ? error.message : String(error);
  return { kind: "malformed-body", status, serverMessage: null, retryAfterMs: null, detail, cause: error };
}

export function unexpectedResponseFailure(status: number, issue: string): AttemptFailure {
  return { kind: "unexpected-response", status, serverMessage: null, retryAfterMs: null, detail: issue };
}

export interface FailureContext {
  url: string;
  model: string;
  attempts: number;
  timeoutMs: number;
}

function describeFailure(failure: AttemptFailure, context: FailureContext): string {
  const { url, model, timeoutMs } = context;
  const status = failure.status === null ? "" : ` (HTTP ${failure.status})`;
  switch (failure.kind) {
    case "model-not-found":
      return `the LLM server at ${url} has no model named "${model}"`;
    case "context-too-long":
      return `the prompt plus max_tokens is longer than the context window of model "${model}"`;
    case "unauthorized":
      return `the LLM server at ${url} refused the request${status}: check the API key`;
    case "endpoint-not-found":
      return `no OpenAI-compatible endpoint at ${url}${status}: check the base URL`;
    case "not-implemented":
      return `the LLM server at ${url} does not implement this request${status}`;
    case "bad-request":
      return `the LLM server at ${url} rejected the request${status}`;
    case "unexpected-response":
      return `the LLM server at ${url} sent a response that is not OpenAI-compatible${status}: ${failure.detail}`;
    case "timeout":
      return failure.status === 408 ? `the LLM server at ${url} timed out${status}` : `no response from ${url} within ${timeoutMs} ms`;
    case "rate-limited":
      return `the LLM server at ${url} is rate-limiting requests${status}`;
    case "server-error":
      return `the LLM server at ${url} failed${status}`;
    case "connection":
      return `could not reach the LLM server at ${url} (${failure.detail})`;
    case "malformed-body":
      return `the LLM server at ${url} sent a body that is not valid JSON${status}`;
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The error thrown to callers once no further attempt will be made. */
export function toLlmError(failure: AttemptFailure, context: FailureContext): LlmError {
  const serverSaid = failure.serverMessage ? `. Server said: ${failure.serverMessage}` : "";
  const details = {
    kind: failure.kind,
    url: context.url,
    status: failure.status,
    serverMessage: failure.serverMessage,
    attempts: context.attempts,
    reason: `${describeFailure(failure, context)}${serverSaid}`,
    retryAfterMs: failure.retryAfterMs,
  };
  const options = failure.cause === undefined ? undefined : { cause: failure.cause };
  if (!isRetryableKind(failure.kind)) {
    return new LlmConfigError(`${capitalise(describeFailure(failure, context))}${serverSaid}`, details, options);
  }
  const tries = context.attempts === 1 ? "1 attempt" : `${context.attempts} attempts`;
  return new LlmUnavailableError(
    `LLM request failed after ${tries}; the last one: ${describeFailure(failure, context)}${serverSaid}`,
    details,
    options,
  );
}
