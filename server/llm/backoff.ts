// How long to wait before retry number `retryIndex` (0-based).

export interface BackoffPolicy {
  /** Ceiling of the first wait; doubles each retry. */
  initialMs: number;
  /** Ceiling of any computed wait. */
  maxMs: number;
  /** A server's Retry-After is honoured up to this, so a misbehaving proxy cannot park a run for hours. */
  maxRetryAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 500, maxMs: 20_000, maxRetryAfterMs: 120_000 };

/**
 * Exponential backoff with "equal jitter": half of the exponential ceiling is always waited, the other half is random.
 * Jitter spreads the retries of many trees that failed together; the fixed half keeps a retry from firing at once
 * into a server that just said it is overloaded.
 */
export function computeBackoffMs(retryIndex: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** retryIndex);
  return ceiling / 2 + random() * (ceiling / 2);
}

/** The server's Retry-After wins when present; otherwise jittered exponential backoff. */
export function computeRetryDelayMs(
  retryIndex: number,
  retryAfterMs: number | null,
  policy: BackoffPolicy,
  random: () => number,
): number {
  if (retryAfterMs !== null) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  return computeBackoffMs(retryIndex, policy, random);
}
