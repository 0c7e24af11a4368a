// Several OpenAI-compatible servers behind one pooled client, over real HTTP to scripted servers on 127.0.0.1:
// load spread, fail-over, cool-down, all-down, the in-flight limit, and the llm.baseUrls config field.
import { afterEach, describe, expect, it } from "vitest";
import { checkEndpoints } from "../../server/llm/check-endpoints.ts";
import type { Clock } from "../../server/llm/clock.ts";
import { createEndpointPool, type EndpointPoolOptions } from "../../server/llm/endpoint-pool.ts";
import type { StepRequest } from "../../server/llm/llm-client.ts";
import { LlmConfigError, LlmUnavailableError } from "../../server/llm/llm-errors.ts";
import { createPooledClient, type PooledClientOptions } from "../../server/llm/pooled-client.ts";
import { createSemaphore } from "../../server/llm/semaphore.ts";
import { describeLlm, parseExperimentConfig } from "../../server/contracts/experiment-config.ts";
import { startScriptedOpenAiServer, type ScriptedServer, type ScriptedServerOptions } from "../../server/dev-tools/scripted-openai-server.ts";
import { TOY_PROBLEMS } from "../fixtures/toy-problems.ts";

const MODEL = "scripted-model";

const request = (seed: number, overrides: Partial<StepRequest> = {}): StepRequest => ({
  prompt: { kind: "chat", messages: [{ role: "user", content: "Write a function to add two integers and return their sum." }] },
  n: 2,
  maxTokens: 200,
  seed,
  ...overrides,
});

/** Time moves only when the test says; backoff sleeps return at once and are recorded. */
function manualClock(): Clock & { sleeps: number[]; advance(ms: number): void } {
  let now = Date.parse("2026-01-01T00:00:00Z");
  const sleeps: number[] = [];
  return { sleeps, now: () => now, sleep: async (ms) => void sleeps.push(ms), advance: (ms) => void (now += ms) };
}

const servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close().catch(() => {})));
});

async function fleet(count: number, options: Partial<ScriptedServerOptions> = {}): Promise<ScriptedServer[]> {
  const started = await Promise.all(Array.from({ length: count }, () => startScriptedOpenAiServer({ problems: TOY_PROBLEMS, models: [MODEL], maxModelLen: 2000, ...options })));
  servers.push(...started);
  return started;
}

function pooled(urls: string[], pool: Partial<EndpointPoolOptions> = {}, client: Partial<PooledClientOptions> = {}) {
  const clock = manualClock();
  const endpointPool = createEndpointPool({ baseUrls: urls, model: MODEL, timeoutMs: 2_000, clock, ...pool });
  const llm = createPooledClient({ pool: endpointPool, maxRetries: 5, inFlight: createSemaphore(64), clock, random: () => 0.5, backoff: { initialMs: 100 }, ...client });
  return { llm, pool: endpointPool, clock };
}

/** Sends `total` requests, `parallel` at a time. */
async function sendMany(llm: { complete(r: StepRequest): Promise<unknown> }, total: number, parallel: number) {
  let next = 0;
  const lanes = Array.from({ length: parallel }, async () => {
    while (next < total) await llm.complete(request(next++));
  });
  await Promise.all(lanes);
}

const completions = (server: ScriptedServer) => server.requests.filter((r) => r.path.endsWith("completions")).length;

describe("pooled client", () => {
  it("spreads concurrent requests over the servers by fewest in flight", async () => {
    const three = await fleet(3, { latencyMs: 50 });
    const { llm } = pooled(three.map((s) => s.url));
    const started = Date.now();
    await sendMany(llm, 60, 12);
    const elapsed = Date.now() - started;
    const counts = three.map(completions);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(60);
    for (const count of counts) expect(count).toBeGreaterThanOrEqual(12); // ≥ 20% each
    // 12 at a time over 3 servers: about 4 each, never piled onto one.
    for (const server of three) expect(server.concurrency.max).toBeLessThanOrEqual(5);
    const stats = llm.stats();
    expect(stats).toMatchObject({ calls: 60, attempts: 60, retries: 0, failures: 0 });
    expect(stats.perEndpoint.map((e) => e.requests)).toEqual(counts);
    expect(stats.perEndpoint.map((e) => e.url)).toEqual(three.map((s) => s.url));
    expect(stats.completionTokens).toBeGreaterThan(0);
    // 60 requests of 50 ms, 12 at a time: ~250 ms if they really overlapped.
    expect(elapsed).toBeLessThan(2_000);
  });

  it("breaks ties round-robin when nothing is in flight", async () => {
    const three = await fleet(3);
    const { llm } = pooled(three.map((s) => s.url));
    for (let i = 0; i < 6; i += 1) await llm.complete(request(i));
    expect(three.map(completions)).toEqual([2, 2, 2]);
  });

  it("re-sends a failed request to another server at once and cools a server down that keeps failing", async () => {
    const three = await fleet(3, { latencyMs: 10 });
    three[1]!.setFaults({ rate: 1, kinds: ["server-error"] });
    const { llm, pool, clock } = pooled(three.map((s) => s.url), { failureThreshold: 3, cooldownMs: 30_000 });
    await sendMany(llm, 30, 6);
    const stats = llm.stats();
    expect(stats).toMatchObject({ calls: 30, failures: 0 });
    expect(stats.retries).toBe(completions(three[1]!)); // every failure was re-sent, and served elsewhere
    expect(stats.errorsByKind).toEqual({ "server-error": completions(three[1]!) });
    expect(clock.sleeps).toEqual([]); // fail-over does not back off
    expect(pool.isHealthy(1)).toBe(false);
    expect(stats.perEndpoint[1]).toMatchObject({ healthy: false, failures: completions(three[1]!) });
    // Marked after 3 consecutive failures; only requests already on their way got there afterwards.
    expect(completions(three[1]!)).toBeGreaterThanOrEqual(3);
    expect(completions(three[1]!)).toBeLessThanOrEqual(3 + 6);
    const before = completions(three[1]!);
    await sendMany(llm, 6, 3);
    expect(completions(three[1]!)).toBe(before);

    // After the cool-down it gets traffic again (it has recovered).
    three[1]!.setFaults({});
    clock.advance(30_001);
    expect(pool.isHealthy(1)).toBe(true);
    await sendMany(llm, 9, 3);
    expect(completions(three[1]!)).toBeGreaterThan(before);
    expect(llm.stats().failures).toBe(0);
  });

  it("a server that refuses connections is cooled down after one attempt", async () => {
    const three = await fleet(3);
    await three[2]!.close();
    const { llm, pool } = pooled(three.map((s) => s.url));
    await sendMany(llm, 12, 3);
    const stats = llm.stats();
    expect(stats.failures).toBe(0);
    expect(stats.perEndpoint[2]).toMatchObject({ requests: 1, failures: 1, healthy: false });
    expect(stats.errorsByKind).toEqual({ connection: 1 });
    expect(pool.endpoints[2]!.cooldowns).toBe(1);
    expect(completions(three[0]!) + completions(three[1]!)).toBe(12);
  });

  it("when every server is down the call fails with LlmUnavailableError after maxRetries + 1 attempts", async () => {
    const three = await fleet(3);
    await Promise.all(three.map((s) => s.close()));
    const { llm, clock } = pooled(three.map((s) => s.url), {}, { maxRetries: 5 });
    const error = await llm.complete(request(1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    const unavailable = error as LlmUnavailableError;
    expect(unavailable.attempts).toBe(6);
    expect(unavailable.kind).toBe("connection");
    expect(unavailable.message).toMatch(/after 6 attempts on 3 of 3 endpoints; all 3 endpoints are cooling down/);
    expect(unavailable.message).toMatch(/could not reach the LLM server/);
    // The first round fails over without waiting; then it backs off like a single endpoint would.
    expect(clock.sleeps.length).toBeGreaterThanOrEqual(1);
    expect(llm.stats()).toMatchObject({ calls: 1, attempts: 6, retries: 5, failures: 1 });
  });

  it("a request no server can serve fails at once, without fail-over", async () => {
    const three = await fleet(3);
    const { llm } = pooled(three.map((s) => s.url));
    const error = await llm.complete(request(1, { maxTokens: 5_000 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmConfigError);
    expect((error as LlmConfigError).kind).toBe("context-too-long");
    expect(three.map(completions).reduce((a, b) => a + b, 0)).toBe(1);
    expect(llm.stats().perEndpoint.every((e) => e.healthy)).toBe(true);
  });

  it("keeps the in-flight limit for the whole process, not per server", async () => {
    const three = await fleet(3, { latencyMs: 30 });
    const { llm } = pooled(three.map((s) => s.url), {}, { inFlight: createSemaphore(2) });
    let peak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, three.reduce((sum, s) => sum + s.concurrency.current, 0));
    }, 2);
    try {
      await sendMany(llm, 12, 6);
    } finally {
      clearInterval(sampler);
    }
    expect(peak).toBeLessThanOrEqual(2);
    expect(peak).toBeGreaterThanOrEqual(1);
    for (const server of three) expect(completions(server)).toBeGreaterThan(0);
  });

  it("a cancelled request is rethrown untouched and not held against the server", async () => {
    const three = await fleet(2, { latencyMs: 200 });
    const { llm, pool } = pooled(three.map((s) => s.url));
    const controller = new AbortController();
    const pending = llm.complete(request(1, { signal: controller.signal }));
    // Aborted while a server is answering it (200 ms latency), not before it was sent.
    await until(() => three.some((server) => server.concurrency.current > 0));
    controller.abort(new Error("stop"));
    await expect(pending).rejects.toThrow("stop");
    expect(pool.endpoints.map((e) => [e.failures, e.inFlight])).toEqual([[0, 0], [0, 0]]);
    expect(llm.stats().failures).toBe(0);
  });
});

describe("checkEndpoints (Test connection with several servers)", () => {
  it("says for each server whether it answers and lists the model", async () => {
    const [good, gone] = await fleet(2);
    const otherModel = await startScriptedOpenAiServer({ problems: TOY_PROBLEMS, models: ["another-model"] });
    servers.push(otherModel);
    await gone!.close();
    const checks = await checkEndpoints([good!.url, otherModel.url, gone!.url], MODEL, 2_000);
    expect(checks.map((c) => c.ok)).toEqual([true, false, false]);
    expect(checks[0]).toMatchObject({ url: good!.url, models: [MODEL], problem: null });
    expect(checks[1]!.problem).toBe(`does not serve "${MODEL}" (it lists: another-model)`);
    expect(checks[2]!.problem).toMatch(/could not reach the LLM server/);
  });
});

describe("llm.baseUrls in the experiment config", () => {
  const base = { dataset: "d", mode: "pseudocode" };

  it("accepts 2..32 servers serving one model and lists them briefly", () => {
    const config = parseExperimentConfig({ ...base, llm: { baseUrls: ["http://a:8000/v1", "http://b:8000/v1", "http://c:8000/v1"], model: "m" } });
    expect(config.llm.baseUrls).toHaveLength(3);
    expect(describeLlm(config.llm)).toEqual({ model: "m", location: "http://a:8000/v1 (+2 more)" });
    // The single-server form is unchanged.
    expect(describeLlm(parseExperimentConfig({ ...base, llm: { baseUrl: "http://a:8000/v1", model: "m" } }).llm).location).toBe("http://a:8000/v1");
  });

  it("names the field of each mistake", () => {
    const parse = (llm: unknown) => () => parseExperimentConfig({ ...base, llm }, "exp.json");
    expect(parse({ baseUrls: ["http://a:8000/v1", "ftp://b"], model: "m" })).toThrow(/exp\.json field llm\.baseUrls\[1\]: must be an http\(s\) URL/);
    expect(parse({ baseUrls: ["http://a:8000/v1", "http://a:8000/"], model: "m" })).toThrow(/field llm\.baseUrls\[1\]: the same server as baseUrls\[0\]/);
    expect(parse({ baseUrls: ["http://a:8000/v1"], model: "m" })).toThrow(/field llm\.baseUrls: list at least 2 URLs/);
    const many = Array.from({ length: 33 }, (_, i) => `http://h${i}:8000/v1`);
    expect(parse({ baseUrls: many, model: "m" })).toThrow(/field llm\.baseUrls: at most 32 URLs/);
    expect(parse({ baseUrl: "http://a:8000/v1", baseUrls: ["http://b:8000/v1", "http://c:8000/v1"], model: "m" })).toThrow(/field llm\.baseUrl: give exactly one of baseUrl/);
    expect(parse({ baseUrls: ["http://b:8000/v1", "http://c:8000/v1"] })).toThrow(/field llm\.model: name the served model/);
  });
});

/** Polls an in-memory condition every few milliseconds; the 10 s ceiling only catches a hang. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met within 10 s");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
