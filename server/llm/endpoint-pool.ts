// Routing state for several OpenAI-compatible servers that serve the same model (a fleet of vLLM replicas): which
// one gets the next request (fewest in flight, ties round-robin) and which ones are cooling down after failing.
// One pool is shared by every tree of a process (create-llm-client.ts), so in-flight counts and health are seen
// across trees; each tree's pooled client (pooled-client.ts) keeps its own counters.
import { systemClock, type Clock } from "./clock.ts";
import { isRetryableKind, type LlmFailureKind } from "./llm-errors.ts";
import { createOpenAiClient, type OpenAiClient } from "./openai-client.ts";
import { createSemaphore } from "./semaphore.ts";

export interface EndpointPoolOptions {
  baseUrls: readonly string[];
  model: string;
  apiKey?: string;
  /** Deadline of one attempt. */
  timeoutMs?: number;
  /** Consecutive retryable failures that put an endpoint in cool-down (a refused/reset connection does at once). */
  failureThreshold?: number;
  /** How long an unhealthy endpoint gets no requests while others are healthy. */
  cooldownMs?: number;
  clock?: Clock;
}

export const DEFAULT_POOL_FAILURE_THRESHOLD = 3;
export const DEFAULT_POOL_COOLDOWN_MS = 30_000;

/** Process-wide counters of one endpoint. */
export interface EndpointState {
  readonly url: string;
  readonly client: OpenAiClient;
  inFlight: number;
  inFlightMax: number;
  requests: number;
  failures: number;
  /** Times it was put in cool-down. */
  cooldowns: number;
  consecutiveFailures: number;
  /** Epoch ms; the endpoint is healthy when this is in the past. */
  unhealthyUntil: number;
}

/** How an attempt ended: answered, failed (with its failure kind), or cancelled by the caller (not held against it). */
export type AttemptOutcome = "ok" | "cancelled" | LlmFailureKind;

export interface EndpointPool {
  readonly model: string;
  readonly endpoints: readonly EndpointState[];
  /**
   * The endpoint for the next attempt: a healthy one not in `avoid` if any, else any healthy one, else (all cooling
   * down) the one whose cool-down ends first, as a probe. Among those, the fewest in flight; ties round-robin.
   */
  pick(avoid: ReadonlySet<number>): number;
  /** A healthy endpoint outside `avoid` exists (a failed request can move on at once rather than back off). */
  hasHealthyOutside(avoid: ReadonlySet<number>): boolean;
  begin(index: number): void;
  end(index: number, outcome: AttemptOutcome): void;
  isHealthy(index: number): boolean;
}

export function createEndpointPool(options: EndpointPoolOptions): EndpointPool {
  const clock = options.clock ?? systemClock;
  const failureThreshold = options.failureThreshold ?? DEFAULT_POOL_FAILURE_THRESHOLD;
  const cooldownMs = options.cooldownMs ?? DEFAULT_POOL_COOLDOWN_MS;
  // The pooled client holds the process-wide permit around each attempt; the endpoint clients must not take a
  // second one (that would halve the limit, or deadlock at it), so they get a limiter that never blocks.
  const unlimited = createSemaphore(Number.MAX_SAFE_INTEGER);
  const endpoints: EndpointState[] = options.baseUrls.map((url) => ({
    url,
    // One attempt each: retrying, failing over and backing off are the pooled client's decisions.
    client: createOpenAiClient({ baseUrl: url, model: options.model, apiKey: options.apiKey, timeoutMs: options.timeoutMs, maxRetries: 0, inFlight: unlimited, clock }),
    inFlight: 0,
    inFlightMax: 0,
    requests: 0,
    failures: 0,
    cooldowns: 0,
    consecutiveFailures: 0,
    unhealthyUntil: 0,
  }));
  let cursor = 0;

  const isHealthy = (i: number) => endpoints[i]!.unhealthyUntil <= clock.now();

  function leastLoaded(candidates: number[]): number {
    const fewest = Math.min(...candidates.map((i) => endpoints[i]!.inFlight));
    const tied = candidates.filter((i) => endpoints[i]!.inFlight === fewest);
    // Round-robin among the tied: the first at or after the cursor, wrapping around.
    const chosen = tied.find((i) => i >= cursor) ?? tied[0]!;
    cursor = (chosen + 1) % endpoints.length;
    return chosen;
  }

  return {
    model: options.model,
    endpoints,
    pick(avoid) {
      const all = endpoints.map((_, i) => i);
      const healthy = all.filter(isHealthy);
      const fresh = healthy.filter((i) => !avoid.has(i));
      if (fresh.length > 0) return leastLoaded(fresh);
      if (healthy.length > 0) return leastLoaded(healthy);
      return all.reduce((best, i) => (endpoints[i]!.unhealthyUntil < endpoints[best]!.unhealthyUntil ? i : best), 0);
    },
    hasHealthyOutside(avoid) {
      return endpoints.some((_, i) => !avoid.has(i) && isHealthy(i));
    },
    begin(index) {
      const e = endpoints[index]!;
      e.inFlight += 1;
      e.inFlightMax = Math.max(e.inFlightMax, e.inFlight);
      e.requests += 1;
    },
    end(index, outcome) {
      const e = endpoints[index]!;
      e.inFlight -= 1;
      if (outcome === "ok") {
        e.consecutiveFailures = 0;
        return;
      }
      if (outcome === "cancelled") return;
      e.failures += 1;
      // A rejected request (bad request, context too long...) says nothing about the server's health.
      if (!isRetryableKind(outcome)) return;
      e.consecutiveFailures += 1;
      // A refused or reset connection means the server is gone or restarting: no point in sending it more now.
      if (outcome === "connection" || e.consecutiveFailures >= failureThreshold) {
        if (isHealthy(index)) e.cooldowns += 1;
        e.unhealthyUntil = clock.now() + cooldownMs;
        // On probation after the cool-down: one more failure sends it straight back.
        e.consecutiveFailures = failureThreshold - 1;
      }
    },
    isHealthy,
  };
}
