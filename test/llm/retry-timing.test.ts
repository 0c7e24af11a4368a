import { describe, expect, it } from "vitest";
import { computeBackoffMs, computeRetryDelayMs } from "../../server/llm/backoff.ts";
import { parseRetryAfter } from "../../server/llm/retry-after.ts";

const policy = { initialMs: 100, maxMs: 1000, maxRetryAfterMs: 5000 };

describe("computeBackoffMs: exponential with equal jitter", () => {
  it("waits between half and all of a ceiling that doubles per retry", () => {
    expect([0, 1, 2, 3].map((i) => computeBackoffMs(i, policy, () => 0))).toEqual([50, 100, 200, 400]);
    expect([0, 1, 2, 3].map((i) => computeBackoffMs(i, policy, () => 0.999999))).toEqual([0, 1, 2, 3].map((i) => expect.closeTo(100 * 2 ** i, 3)));
  });

  it("caps the ceiling", () => {
    expect(computeBackoffMs(10, policy, () => 0.5)).toBe(750);
  });
});

describe("computeRetryDelayMs", () => {
  it("prefers the server's Retry-After, up to the cap", () => {
    expect(computeRetryDelayMs(0, 3000, policy, () => 0.5)).toBe(3000);
    expect(computeRetryDelayMs(0, 0, policy, () => 0.5)).toBe(0);
    expect(computeRetryDelayMs(0, 3_600_000, policy, () => 0.5)).toBe(5000);
    expect(computeRetryDelayMs(1, null, policy, () => 0.5)).toBe(150);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");

  it("reads delay-seconds", () => {
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
  });

  it("reads an HTTP date, and a past date means now", () => {
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 23:59:00 GMT", now)).toBe(0);
  });

  it("ignores an absent or unreadable header", () => {
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter("-5", now)).toBeNull();
  });
});
