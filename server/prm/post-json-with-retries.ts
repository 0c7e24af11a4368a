// A JSON POST with the LLM client's retry policy (server/llm): 408/429/5xx, timeouts, resets and unparseable bodies
// are retried with equal-jitter backoff (Retry-After wins); anything else throws the typed LlmError at once.
import { DEFAULT_BACKOFF, computeRetryDelayMs, type BackoffPolicy, toLlmError, unexpectedResponseFailure, type Clock, exchangeJson, isRetryableKind, type Semaphore } from "../llm/index.ts";

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
  /** Called before each retry (for counters). */
  onRetry?: () => void;
}

export async function postJsonWithRetries<T>(post: RetryingPost<T>): Promise<T> {
  const backoff = post.backoff ?? DEFAULT_BACKOFF;
  for (let attempt = 1; ; attempt += 1) {
    const result = await post.inFlight.run(async () => {
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
    }, post.signal);
    if (result.ok) return result.value;
    const { failure } = result;
    if (!isRetryableKind(failure.kind) || attempt > post.maxRetries) {
      throw toLlmError(failure, { url: post.url.href, model: post.model, attempts: attempt, timeoutMs: post.timeoutMs });
    }
    post.onRetry?.();
    await post.clock.sleep(computeRetryDelayMs(attempt - 1, failure.retryAfterMs, backoff, post.random), post.signal);
  }
}
