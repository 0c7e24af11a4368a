// The endpoint pool's defaults as defaults (issue 18: tests passed their own cool-down, so a default changed from
// 30 s to 3 s went unnoticed): a pool created without options skips a failing server for exactly 30 s, and after 3
// consecutive retryable failures, as the README says.
import { describe, expect, it } from "vitest";
import type { Clock } from "../../server/llm/clock.ts";
import { createEndpointPool, DEFAULT_POOL_COOLDOWN_MS, DEFAULT_POOL_FAILURE_THRESHOLD } from "../../server/llm/endpoint-pool.ts";

function clockAt(start: number): Clock & { at: number } {
  const clock = { at: start, now: () => clock.at, sleep: async () => {} };
  return clock;
}

const URLS = ["http://127.0.0.1:1/v1", "http://127.0.0.1:2/v1"];

describe("endpoint pool defaults", () => {
  it("are 30 s of cool-down and 3 failures", () => {
    expect(DEFAULT_POOL_COOLDOWN_MS).toBe(30_000);
    expect(DEFAULT_POOL_FAILURE_THRESHOLD).toBe(3);
  });

  it("a refused connection cools a server down for 30 s when no cool-down is given", () => {
    const clock = clockAt(1_000_000);
    const pool = createEndpointPool({ baseUrls: URLS, model: "m", clock });
    pool.begin(1);
    pool.end(1, "connection");
    clock.at += 29_999;
    expect(pool.isHealthy(1)).toBe(false);
    expect(pool.pick(new Set())).toBe(0);
    clock.at += 1;
    expect(pool.isHealthy(1)).toBe(true);
  });

  it("server errors cool a server down at the third in a row when no threshold is given", () => {
    const clock = clockAt(0);
    const pool = createEndpointPool({ baseUrls: URLS, model: "m", clock });
    for (let i = 0; i < 2; i++) {
      pool.begin(0);
      pool.end(0, "server-error");
    }
    expect(pool.isHealthy(0)).toBe(true);
    pool.begin(0);
    pool.end(0, "server-error");
    expect(pool.isHealthy(0)).toBe(false);
    expect(pool.endpoints[0]).toMatchObject({ failures: 3, cooldowns: 1, unhealthyUntil: 30_000 });
  });
});
