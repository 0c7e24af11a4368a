// LlmClient over several OpenAI-compatible servers serving the same model (llm.baseUrls). Each attempt goes to the
// endpoint with the fewest requests in flight (endpoint-pool.ts). A failed attempt is re-sent at once to another
// healthy endpoint this call has not tried yet; only when every healthy endpoint has failed it does the call wait
// the usual backoff (or the server's Retry-After) and go round again. A call makes at most maxRetries + 1 attempts in
// all, counted across endpoints, so with the default 5 retries it reaches up to 6 endpoints; when they are spent the
// error is an LlmUnavailableError (the job queue backs off and retries the tree later) or, for a request no server
// can serve (context too long, unknown model), the LlmConfigError at once.
// The process-wide in-flight limit is kept: a permit is held around each attempt (the endpoint is picked after the
// permit is granted, so the choice sees the current loads), and it caps the process, not each endpoint.
import { DEFAULT_BACKOFF, computeRetryDelayMs, type BackoffPolicy } from "./backoff.ts";
import { systemClock, type Clock } from "./clock.ts";
import type { EndpointPool } from "./endpoint-pool.ts";
import type { LlmClient, StepRequest, StepResponse } from "./llm-client.ts";
import { LlmConfigError, LlmError, LlmUnavailableError, isRetryableKind } from "./llm-errors.ts";
import { copyLlmStats, countFailure, createLlmStats, type LlmStats } from "./llm-stats.ts";
import { DEFAULT_LLM_MAX_RETRIES } from "./openai-client.ts";
import { sharedLlmSemaphore, type Semaphore } from "./semaphore.ts";
import { requireInteger, validateStepRequest } from "./validate-request.ts";

export interface PooledClientOptions {
  /** Shared routing state; one per process and endpoint set (see create-llm-client.ts). */
  pool: EndpointPool;
  /** Attempts after the first, counted across endpoints. */
  maxRetries?: number;
  /** Process-wide limiter by default. */
  inFlight?: Semaphore;
  backoff?: Partial<BackoffPolicy>;
  clock?: Clock;
  random?: () => number;
}

/** This client's traffic to one endpoint. */
export interface EndpointStats {
  url: string;
  /** Attempts sent there. */
  requests: number;
  /** Attempts that failed there (any kind, including ones another endpoint then served). */
  failures: number;
  /** Most of this client's attempts in flight there at once. */
  inFlightMax: number;
  /** Process-wide: not in cool-down right now. */
  healthy: boolean;
}

export interface PooledLlmStats extends LlmStats {
  perEndpoint: EndpointStats[];
}

export interface PooledClient extends LlmClient {
  readonly model: string;
  readonly urls: readonly string[];
  stats(): PooledLlmStats;
}

export function createPooledClient(options: PooledClientOptions): PooledClient {
  const { pool } = options;
  const maxRetries = options.maxRetries ?? DEFAULT_LLM_MAX_RETRIES;
  requireInteger(maxRetries, 0, "llm maxRetries");
  const inFlight = options.inFlight ?? sharedLlmSemaphore();
  const backoff: BackoffPolicy = { ...DEFAULT_BACKOFF, ...options.backoff };
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const stats = createLlmStats();
  const own = pool.endpoints.map((e) => ({ url: e.url, requests: 0, failures: 0, inFlight: 0, inFlightMax: 0 }));

  /** One attempt on the endpoint the pool picks: the response, or the typed failure (a cancel is rethrown). */
  async function attemptOnce(request: StepRequest, avoid: ReadonlySet<number>): Promise<{ index: number; response?: StepResponse; error?: LlmError }> {
    const release = await inFlight.acquire(request.signal, request.priority);
    const index = pool.pick(avoid);
    const mine = own[index]!;
    pool.begin(index);
    mine.requests += 1;
    mine.inFlight += 1;
    mine.inFlightMax = Math.max(mine.inFlightMax, mine.inFlight);
    stats.attempts += 1;
    try {
      const response = await pool.endpoints[index]!.client.complete(request);
      pool.end(index, "ok");
      return { index, response };
    } catch (error) {
      if (!(error instanceof LlmError)) {
        pool.end(index, "cancelled");
        throw error;
      }
      pool.end(index, error.kind);
      mine.failures += 1;
      return { index, error };
    } finally {
      mine.inFlight -= 1;
      release();
    }
  }

  function finalError(last: LlmError, attempts: number, reached: ReadonlySet<number>): LlmError {
    const details = { kind: last.kind, url: last.url, status: last.status, serverMessage: last.serverMessage, attempts, reason: last.reason };
    if (last instanceof LlmConfigError) return new LlmConfigError(last.message, details, { cause: last });
    const total = pool.endpoints.length;
    const down = pool.endpoints.every((_, i) => !pool.isHealthy(i)) ? `; all ${total} endpoints are cooling down after failures` : "";
    const tries = attempts === 1 ? "1 attempt" : `${attempts} attempts`;
    return new LlmUnavailableError(
      `LLM request failed after ${tries} on ${reached.size} of ${total} endpoints${down}; the last one: ${last.reason}`,
      details,
      { cause: last },
    );
  }

  async function complete(request: StepRequest): Promise<StepResponse> {
    validateStepRequest(request);
    stats.calls += 1;
    const triedThisRound = new Set<number>();
    const reached = new Set<number>();
    let waits = 0;
    for (let attempt = 1; ; attempt += 1) {
      const { index, response, error } = await attemptOnce(request, triedThisRound);
      if (response) {
        stats.promptTokens += response.usage.promptTokens;
        stats.completionTokens += response.usage.completionTokens;
        if (response.usage.estimated) stats.estimatedUsage += 1;
        return response;
      }
      const failure = error!;
      countFailure(stats, failure.kind);
      triedThisRound.add(index);
      reached.add(index);
      if (!isRetryableKind(failure.kind) || attempt > maxRetries) {
        stats.failures += 1;
        throw finalError(failure, attempt, reached);
      }
      stats.retries += 1;
      // Another server may well answer right now: fail over without waiting.
      if (pool.hasHealthyOutside(triedThisRound)) continue;
      await clock.sleep(computeRetryDelayMs(waits, failure.retryAfterMs, backoff, random), request.signal);
      waits += 1;
      triedThisRound.clear();
    }
  }

  return {
    model: pool.model,
    urls: pool.endpoints.map((e) => e.url),
    complete,
    stats: () => ({
      ...copyLlmStats(stats),
      perEndpoint: own.map((e, i) => ({ url: e.url, requests: e.requests, failures: e.failures, inFlightMax: e.inFlightMax, healthy: pool.isHealthy(i) })),
    }),
  };
}
