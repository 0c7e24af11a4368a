// Typed failures of LLM requests. Callers branch on `kind` (or the class), never on message text.
import { UpstreamError } from "../errors.ts";

/** Failures worth another attempt: the server or the network may recover. */
export const RETRYABLE_FAILURE_KINDS = ["timeout", "rate-limited", "server-error", "connection", "malformed-body"] as const;

/** Failures another attempt cannot fix: the request or the configuration is wrong. */
export const CONFIG_FAILURE_KINDS = [
  "model-not-found",
  "context-too-long",
  "unauthorized",
  "endpoint-not-found",
  /** HTTP 501: the server does not implement what was asked (a feature, not a passing fault). */
  "not-implemented",
  "bad-request",
  "unexpected-response",
] as const;

export type RetryableFailureKind = (typeof RETRYABLE_FAILURE_KINDS)[number];
export type ConfigFailureKind = (typeof CONFIG_FAILURE_KINDS)[number];
export type LlmFailureKind = RetryableFailureKind | ConfigFailureKind;

export function isRetryableKind(kind: LlmFailureKind): kind is RetryableFailureKind {
  return (RETRYABLE_FAILURE_KINDS as readonly string[]).includes(kind);
}

export interface LlmErrorDetails {
  kind: LlmFailureKind;
  /** The endpoint that failed. */
  url: string;
  /** HTTP status of the last attempt, when there was a response. */
  status: number | null;
  /** The server's own error message, when it sent one. */
  serverMessage: string | null;
  attempts: number;
  /** What went wrong, without the "failed after N attempts" framing (a pooled client re-frames it). */
  reason?: string;
  /** The server's Retry-After on the last attempt, in ms. */
  retryAfterMs?: number | null;
}

/** The LLM server failed or answered wrongly (e.g. "Test connection" to an unreachable one): HTTP 502. */
export class LlmError extends UpstreamError {
  readonly kind: LlmFailureKind;
  readonly url: string;
  readonly status: number | null;
  readonly serverMessage: string | null;
  readonly attempts: number;
  readonly reason: string;
  readonly retryAfterMs: number | null;

  constructor(message: string, details: LlmErrorDetails, options?: ErrorOptions) {
    super(message, options);
    this.kind = details.kind;
    this.url = details.url;
    this.status = details.status;
    this.serverMessage = details.serverMessage;
    this.attempts = details.attempts;
    this.reason = details.reason ?? message;
    this.retryAfterMs = details.retryAfterMs ?? null;
  }
}

/** The request or the endpoint configuration is wrong (HTTP 4xx other than 408/429, 501, or a non-OpenAI response). */
export class LlmConfigError extends LlmError {}

/** The server kept failing with retryable errors until the retry budget ran out. */
export class LlmUnavailableError extends LlmError {}
