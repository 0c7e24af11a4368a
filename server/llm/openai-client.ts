// LlmClient for OpenAI-compatible servers (vLLM first): chat continuation or raw completions, n siblings per request,
// retries with backoff on transient failures (post-json-with-retries.ts, the one transport), typed errors for
// misconfiguration, and a shared in-flight limit.
// Servers that are not vLLM (llama-server) are met where they differ: an echoed prefill is stripped, n is split over
// several requests when the server serves fewer, and a usage that counts only choice 0 is completed.
import { DEFAULT_BACKOFF, type BackoffPolicy } from "./backoff.ts";
import { toLlmError, unexpectedResponseFailure } from "./classify-failure.ts";
import { systemClock, type Clock } from "./clock.ts";
import { continuedPrefill, stripEchoedPrefill } from "./echoed-prefill.ts";
import { reconcileUsage } from "./choice-usage.ts";
import type { LlmClient, StepChoice, StepRequest, StepResponse } from "./llm-client.ts";
import { LlmConfigError, LlmError } from "./llm-errors.ts";
import { followUpSeed, nLimitFromRefusal, numberChoices } from "./n-cap.ts";
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
  // Built once: a URL per request cost more than the rest of preparing it.
  const routes = { chat: routeUrl(apiBase, "chat/completions"), completions: routeUrl(apiBase, "completions") };

  function prepare(request: StepRequest): { url: URL; body: string; parse: (json: unknown) => ParsedResponse } {
    if (request.prompt.kind === "chat") {
      return {
        url: routes.chat,
        body: JSON.stringify(buildChatBody(model, request.prompt.messages, request)),
        parse: (json) => parseChatResponse(json, model),
      };
    }
    return {
      url: routes.completions,
      body: JSON.stringify(buildCompletionBody(model, request.prompt.text, request)),
      parse: (json) => parseCompletionResponse(json, model),
    };
  }

  /** One request, retried on transient failures by the shared transport: the parsed response, or the typed error. */
  async function sendWithRetries(request: StepRequest): Promise<{ response: StepResponse; firstChoiceUsage: boolean }> {
    const { url, body, parse } = prepare(request);
    return postJsonWithRetries({
      url,
      body,
      model,
      apiKey,
      timeoutMs,
      maxRetries,
      parse: (json) => {
        const parsed = parse(json);
        return parsed.ok ? { ok: true, value: { response: parsed.response, firstChoiceUsage: parsed.firstChoiceUsage } } : parsed;
      },
      inFlight,
      clock,
      random,
      backoff,
      signal: request.signal,
      priority: request.priority,
      onAttempt: () => void (stats.attempts += 1),
      onFailure: (kind) => countFailure(stats, kind),
      onRetry: () => void (stats.retries += 1),
    });
  }

  // What this client has learnt about its server (see n-cap.ts and choice-usage.ts).
  let choicesPerRequest: number | null = null;
  let serverUndercountsUsage = false;

  /**
   * The n choices of a request, from as many requests as the server needs to serve them; each part with an echoed
   * prefill stripped and its usage reconciled (choice-usage.ts).
   */
  async function collectChoices(request: StepRequest): Promise<StepResponse> {
    const prefill = request.prompt.kind === "chat" ? continuedPrefill(request.prompt.messages) : null;
    const parts: StepChoice[][] = [];
    const usage = { promptTokens: 0, completionTokens: 0, estimated: false };
    let servedBy = model;
    let received = 0;
    while (received < request.n) {
      const ask = Math.min(request.n - received, choicesPerRequest ?? request.n);
      let sent: { response: StepResponse; firstChoiceUsage: boolean };
      try {
        sent = await sendWithRetries({ ...request, n: ask, seed: followUpSeed(request.seed, received) });
      } catch (error) {
        const limit = error instanceof LlmConfigError && error.kind === "bad-request" ? nLimitFromRefusal(error.serverMessage) : null;
        if (limit === null || limit >= ask) throw error;
        choicesPerRequest = limit;
        continue;
      }
      const { response } = sent;
      if (received > 0) stats.splitRequests += 1;
      const served = response.choices.slice(0, ask);
      if (served.length === 0) {
        const url = request.prompt.kind === "chat" ? routes.chat : routes.completions;
        throw toLlmError(unexpectedResponseFailure(200, `no choices in the response (n = ${ask})`), { url: url.href, model, attempts: 1, timeoutMs });
      }
      if (served.length < ask) choicesPerRequest = served.length;
      const echo = stripEchoedPrefill(served, prefill);
      stats.echoedPrefills += echo.stripped;
      const reconciled = reconcileUsage(echo.choices, response.usage, request.maxTokens, serverUndercountsUsage || sent.firstChoiceUsage);
      serverUndercountsUsage ||= reconciled.undercounted;
      usage.promptTokens += reconciled.promptTokens;
      usage.completionTokens += reconciled.completionTokens;
      usage.estimated ||= reconciled.estimated;
      parts.push(echo.choices);
      servedBy = response.model;
      received += echo.choices.length;
    }
    const { estimated, ...counted } = usage;
    return { model: servedBy, choices: numberChoices(parts), usage: estimated ? { ...counted, estimated } : counted };
  }

  async function complete(request: StepRequest): Promise<StepResponse> {
    validateStepRequest(request);
    stats.calls += 1;
    try {
      const response = await collectChoices(request);
      stats.promptTokens += response.usage.promptTokens;
      stats.completionTokens += response.usage.completionTokens;
      if (response.usage.estimated) stats.estimatedUsage += 1;
      return response;
    } catch (error) {
      if (error instanceof LlmError) stats.failures += 1;
      throw error;
    }
  }

  return { model, apiBase: apiBase.href, complete, stats: () => copyLlmStats(stats) };
}
