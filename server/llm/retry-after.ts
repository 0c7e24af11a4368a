// Retry-After (RFC 9110 §10.2.3) is either delay-seconds or an HTTP date.

/** Milliseconds to wait, or null when the header is absent or unreadable. A date in the past means 0. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // HTTP dates name a weekday or month; without letters Date.parse would read "-5" or "2.5" as a year.
  if (!/[a-z]/i.test(trimmed)) return null;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}
