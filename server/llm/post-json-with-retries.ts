// The one HTTP transport with retries: a JSON POST under the in-flight limit, where 408/429/5xx, timeouts, resets and
// unparseable bodies are retried with equal-jitter backoff (Retry-After wins) and anything else throws the typed
// LlmError at once. The OpenAI client (chat / completions) and the served PRM (/pooling) both post through it; the
// pooled client fails over between OpenAI clients (each with its own transport) and only adds the fleet's rules.
import { DEFAULT_BACKOFF, computeRetryDelayMs, type BackoffPolicy } from "./backoff.ts";
import { toLlmError, unexpectedResponseFailure } from "./classify-failure.ts";
import type { Clock } from "./clock.ts";
import { exchangeJson } from "./json-exchange.ts";
import { isRetryableKind, type LlmFailureKind } from "./llm-errors.ts";
import type { Semaphore } from "./semaphore.ts";

export interface RetryingPost<T> {
  url: URL;
  body: string;
  model: string;
  apiKey?: string;
  timeoutMs: number;
  maxRetries: number;
  parse: (json: unknown) => { ok: true; value: T } | { ok: false; issue: string };
  inFlight: Semaphore;
  clock: Clock;
  random: () => number;
  backoff?: BackoffPolicy;
  signal?: AbortSignal;
  /** Place among requests waiting for `inFlight` (lowest first). */
  priority?: number;
  /** Counters: each attempt on the wire, each failed attempt (by kind), each retry, the final failure. */
  onAttempt?: () => void;
  onFailure?: (kind: LlmFailureKind) => void;
  onRetry?: () => void;
  onGiveUp?: () => void;
}

export async function postJsonWithRetries<T>(post: RetryingPost<T>): Promise<T> {
  const backoff = post.backoff ?? DEFAULT_BACKOFF;
  for (let attempt = 1; ; attempt += 1) {
    const result = await post.inFlight.run(async () => {
      post.onAttempt?.();
      const exchanged = await exchangeJson({
        url: post.url,
        method: "POST",
        body: post.body,
        apiKey: post.apiKey,
        model: post.model,
        timeoutMs: post.timeoutMs,
        nowMs: post.clock.now,
        signal: post.signal,
      });
      if (!exchanged.ok) return exchanged;
      const parsed = post.parse(exchanged.json);
      return parsed.ok ? { ok: true as const, value: parsed.value } : { ok: false as const, failure: unexpectedResponseFailure(exchanged.status, parsed.issue) };
    }, post.signal, post.priority);
    if (result.ok) return result.value;
    const { failure } = result;
    post.onFailure?.(failure.kind);
    if (!isRetryableKind(failure.kind) || attempt > post.maxRetries) {
      post.onGiveUp?.();
      throw toLlmError(failure, { url: post.url.href, model: post.model, attempts: attempt, timeoutMs: post.timeoutMs });
    }
    post.onRetry?.();
    await post.clock.sleep(computeRetryDelayMs(attempt - 1, failure.retryAfterMs, backoff, post.random), post.signal);
  }
}
