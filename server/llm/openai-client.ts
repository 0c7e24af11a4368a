// LlmClient for OpenAI-compatible servers (vLLM first): chat continuation or raw completions, n siblings per request,
// retries with backoff on transient failures (post-json-with-retries.ts), typed errors for misconfiguration, and a shared in-flight limit.
import { DEFAULT_BACKOFF, type BackoffPolicy } from "./backoff.ts";
import { systemClock, type Clock } from "./clock.ts";
import type { LlmClient, StepRequest, StepResponse } from "./llm-client.ts";
import { postJsonWithRetries } from "./post-json-with-retries.ts";
import { copyLlmStats, countFailure, createLlmStats, type LlmStats } from "./llm-stats.ts";
import { resolveApiBase, routeUrl } from "./openai-base-url.ts";
import {
  buildChatBody,
  buildCompletionBody,
  parseChatResponse,
  parseCompletionResponse,
  type ParsedResponse,
} from "./openai-wire.ts";
import { sharedLlmSemaphore, type Semaphore } from "./semaphore.ts";
import { requireInteger, validateStepRequest } from "./validate-request.ts";

export interface OpenAiClientOptions {
  /** Server address; `/v1` is added unless present (http://gpu:8000 → http://gpu:8000/v1). */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Deadline of one attempt (a non-streamed generation of n samples). */
  timeoutMs?: number;
  /** Attempts after the first, on 408/429/5xx, timeouts, connection errors and unparseable bodies. */
  maxRetries?: number;
  /** Process-wide limiter by default, shared by all trees; a permit is held only while a request is on the wire. */
  inFlight?: Semaphore;
  backoff?: Partial<BackoffPolicy>;
  clock?: Clock;
  /** Jitter source in [0, 1). */
  random?: () => number;
}

export interface OpenAiClient extends LlmClient {
  readonly model: string;
  readonly apiBase: string;
  /** A snapshot of this client's counters. */
  stats(): LlmStats;
}

export const DEFAULT_LLM_TIMEOUT_MS = 120_000;
export const DEFAULT_LLM_MAX_RETRIES = 4;

export function createOpenAiClient(options: OpenAiClientOptions): OpenAiClient {
  const apiBase = resolveApiBase(options.baseUrl);
  const { model, apiKey } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS;
  const maxRetries = options.maxRetries ?? DEFAULT_LLM_MAX_RETRIES;
  requireInteger(timeoutMs, 1, "llm timeoutMs");
  requireInteger(maxRetries, 0, "llm maxRetries");
  const inFlight = options.inFlight ?? sharedLlmSemaphore();
  const backoff: BackoffPolicy = { ...DEFAULT_BACKOFF, ...options.backoff };
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const stats = createLlmStats();

  function prepare(request: StepRequest): { url: URL; body: string; parse: (json: unknown) => ParsedResponse } {
    if (request.prompt.kind === "chat") {
      return {
        url: routeUrl(apiBase, "chat/completions"),
        body: JSON.stringify(buildChatBody(model, request.prompt.messages, request)),
        parse: (json) => parseChatResponse(json, model),
      };
    }
    return {
      url: routeUrl(apiBase, "completions"),
      body: JSON.stringify(buildCompletionBody(model, request.prompt.text, request)),
      parse: (json) => parseCompletionResponse(json, model),
    };
  }

  async function complete(request: StepRequest): Promise<StepResponse> {
    validateStepRequest(request);
    stats.calls += 1;
    const { url, body, parse } = prepare(request);
    const response = await postJsonWithRetries({
      url,
      body,
      model,
      apiKey,
      timeoutMs,
      maxRetries,
      parse: (json) => {
        const parsed = parse(json);
        return parsed.ok ? { ok: true, value: parsed.response } : parsed;
      },
      inFlight,
      clock,
      random,
      backoff,
      signal: request.signal,
      onAttempt: () => void (stats.attempts += 1),
      onFailure: (kind) => countFailure(stats, kind),
      onRetry: () => void (stats.retries += 1),
      onGiveUp: () => void (stats.failures += 1),
    });
    stats.promptTokens += response.usage.promptTokens;
    stats.completionTokens += response.usage.completionTokens;
    return response;
  }

  return { model, apiBase: apiBase.href, complete, stats: () => copyLlmStats(stats) };
}
