// The OpenAI client against the scripted server over real HTTP on 127.0.0.1.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../../server/errors.ts";
import type { Clock } from "../../server/llm/clock.ts";
import type { StepRequest } from "../../server/llm/llm-client.ts";
import { LlmConfigError, LlmUnavailableError } from "../../server/llm/llm-errors.ts";
import { listModels } from "../../server/llm/list-models.ts";
import { createOpenAiClient, type OpenAiClientOptions } from "../../server/llm/openai-client.ts";
import { createSemaphore } from "../../server/llm/semaphore.ts";
import { countWhitespaceTokens, startScriptedOpenAiServer, type ScriptedServer } from "../../server/dev-tools/scripted-openai-server.ts";
import { TOY_PROBLEMS } from "../fixtures/toy-problems.ts";

const MODEL = "scripted-model";
const NOW = Date.parse("2026-01-01T00:00:00Z");

/** Retries sleep instantly; the waits they asked for are kept. */
function fakeClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return { sleeps, now: () => NOW, sleep: async (ms) => void sleeps.push(ms) };
}

const STEP_PROMPT = {
  kind: "chat" as const,
  messages: [
    { role: "user" as const, content: "<Action 1> ... ### Question\nWrite a function to add two integers and return their sum." },
    { role: "assistant" as const, content: "<Step_Begin>\n### Step 1: plan<Step_End>\n\n<Step_Begin>\n### Step 2:" },
  ],
};

const stepRequest = (overrides: Partial<StepRequest> = {}): StepRequest => ({
  prompt: STEP_PROMPT,
  n: 3,
  stop: ["<Step_End>"],
  temperature: 0.8,
  topP: 0.95,
  maxTokens: 400,
  seed: 5,
  ...overrides,
});

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedOpenAiServer({ problems: TOY_PROBLEMS, models: [MODEL], maxModelLen: 2000 });
});
afterAll(() => server.close());

function client(options: Partial<OpenAiClientOptions> = {}) {
  const clock = fakeClock();
  const llm = createOpenAiClient({
    baseUrl: server.url,
    model: MODEL,
    timeoutMs: 2000,
    maxRetries: 3,
    clock,
    random: () => 0.5,
    backoff: { initialMs: 100 },
    inFlight: createSemaphore(8),
    ...options,
  });
  return { llm, clock };
}

/** Bodies the server received from now on. */
function captureRequests() {
  const start = server.requests.length;
  return () => server.requests.slice(start);
}

describe("OpenAI client: requests and responses", () => {
  it("continues the partial assistant message with n samples, stop, seed and sampling settings", async () => {
    const received = captureRequests();
    const { llm } = client();
    const response = await llm.complete(stepRequest());
    const [request] = received();
    expect(request?.path).toBe("/v1/chat/completions");
    expect(request?.body).toEqual({
      model: MODEL,
      messages: STEP_PROMPT.messages,
      n: 3,
      stop: ["<Step_End>"],
      temperature: 0.8,
      top_p: 0.95,
      max_tokens: 400,
      seed: 5,
      continue_final_message: true,
      add_generation_prompt: false,
    });
    expect(response.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    for (const choice of response.choices) {
      expect(choice.finishReason).toBe("stop");
      expect(choice.text).not.toContain("<Step_End>");
      expect(choice.text.length).toBeGreaterThan(0);
    }
    const promptText = STEP_PROMPT.messages.map((m) => m.content).join("\n");
    expect(response.usage).toEqual({
      promptTokens: countWhitespaceTokens(promptText),
      completionTokens: response.choices.reduce((sum, c) => sum + countWhitespaceTokens(c.text), 0),
    });
  });

  it("keeps the stop string when asked to", async () => {
    const { llm } = client();
    const response = await llm.complete(stepRequest({ n: 2, includeStopInOutput: true }));
    expect(response.choices.every((c) => c.text.endsWith("<Step_End>"))).toBe(true);
  });

  it("opens a fresh assistant turn when the last message is the user's", async () => {
    const received = captureRequests();
    const { llm } = client();
    await llm.complete(stepRequest({ n: 1, prompt: { kind: "chat", messages: [{ role: "user", content: "add two integers" }] } }));
    const body = received()[0]?.body as Record<string, unknown>;
    expect(body.continue_final_message).toBeUndefined();
    expect(body.add_generation_prompt).toBeUndefined();
  });

  it("stops at max_tokens with finish reason length", async () => {
    const { llm } = client();
    const response = await llm.complete(stepRequest({ n: 2, maxTokens: 4 }));
    for (const choice of response.choices) {
      expect(choice.finishReason).toBe("length");
      expect(countWhitespaceTokens(choice.text)).toBe(4);
    }
  });

  it("sends raw prompts to /v1/completions and reads logprobs on both routes", async () => {
    const received = captureRequests();
    const { llm } = client();
    const text = `${STEP_PROMPT.messages[0]?.content}\n\n${STEP_PROMPT.messages[1]?.content}`;
    const raw = await llm.complete(stepRequest({ prompt: { kind: "text", text }, n: 2, logprobs: 0 }));
    expect(received()[0]?.path).toBe("/v1/completions");
    expect(received()[0]?.body).toMatchObject({ prompt: text, logprobs: 0, n: 2 });
    expect(raw.choices[0]?.logprobs?.length).toBe(countWhitespaceTokens(raw.choices[0]?.text ?? ""));
    const chat = await llm.complete(stepRequest({ n: 1, logprobs: 2 }));
    expect(received()[1]?.body).toMatchObject({ logprobs: true, top_logprobs: 2 });
    expect(chat.choices[0]?.logprobs?.every((t) => t.logprob === -0.5)).toBe(true);
  });

  it("gets the same samples for the same seed and prompt", async () => {
    const { llm } = client();
    const texts = async (seed: number) => (await llm.complete(stepRequest({ seed, n: 3 }))).choices.map((c) => c.text);
    expect(await texts(11)).toEqual(await texts(11));
    expect(await texts(11)).not.toEqual(await texts(12));
  });

  it("rejects invalid requests before sending them", async () => {
    const { llm } = client();
    await expect(llm.complete(stepRequest({ n: 0 }))).rejects.toBeInstanceOf(ValidationError);
    await expect(llm.complete(stepRequest({ topP: 0 }))).rejects.toThrow(/topP/);
  });
});

describe("OpenAI client: retries", () => {
  it("retries HTTP 500s with jittered exponential backoff", async () => {
    server.setFaults({ script: ["server-error", "server-error"] });
    const received = captureRequests();
    const { llm, clock } = client();
    const response = await llm.complete(stepRequest({ n: 2 }));
    expect(response.choices).toHaveLength(2);
    expect(received().map((r) => r.fault)).toEqual(["server-error", "server-error", null]);
    // Ceilings 100 and 200 ms; random 0.5 → three quarters of each.
    expect(clock.sleeps).toEqual([75, 150]);
    expect(llm.stats()).toMatchObject({ calls: 1, attempts: 3, retries: 2, failures: 0, errorsByKind: { "server-error": 2 } });
    expect(llm.stats().completionTokens).toBe(response.usage.completionTokens);
  });

  it("waits as long as a 429's Retry-After says, in seconds or as an HTTP date", async () => {
    server.setFaults({ script: ["rate-limit"], retryAfter: "3" });
    const seconds = client();
    await seconds.llm.complete(stepRequest());
    expect(seconds.clock.sleeps).toEqual([3000]);
    server.setFaults({ script: ["rate-limit"], retryAfter: new Date(NOW + 7000).toUTCString() });
    const date = client();
    await date.llm.complete(stepRequest());
    expect(date.clock.sleeps).toEqual([7000]);
    expect(date.llm.stats().errorsByKind).toEqual({ "rate-limited": 1 });
  });

  it("times out a request that hangs and retries it", async () => {
    server.setFaults({ script: ["hang"] });
    const { llm } = client({ timeoutMs: 250 });
    const response = await llm.complete(stepRequest({ n: 1 }));
    expect(response.choices).toHaveLength(1);
    expect(llm.stats().errorsByKind).toEqual({ timeout: 1 });
  });

  it("retries a reset connection and a body that is not JSON", async () => {
    server.setFaults({ script: ["reset", "malformed-body"] });
    const received = captureRequests();
    const { llm } = client();
    await llm.complete(stepRequest({ n: 1 }));
    expect(received().map((r) => r.fault)).toEqual(["reset", "malformed-body", null]);
    expect(llm.stats().errorsByKind).toEqual({ connection: 1, "malformed-body": 1 });
  });

  it("gives up after maxRetries with the last failure and the server's message", async () => {
    server.setFaults({ script: ["server-error", "server-error", "server-error"] });
    const { llm } = client({ maxRetries: 2 });
    const error = await llm.complete(stepRequest()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error).toMatchObject({ kind: "server-error", status: 500, attempts: 3, serverMessage: "Scripted internal server error" });
    expect((error as Error).message).toMatch(/after 3 attempts.*HTTP 500.*Server said: Scripted internal server error/);
    expect(llm.stats()).toMatchObject({ calls: 1, attempts: 3, retries: 2, failures: 1 });
  });

  it("reports a timeout when every attempt hangs", async () => {
    server.setFaults({ script: ["hang", "hang"] });
    const { llm } = client({ timeoutMs: 80, maxRetries: 1 });
    const error = await llm.complete(stepRequest()).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "timeout", attempts: 2 });
    expect((error as Error).message).toMatch(/within 80 ms/);
  });

  it("retries a refused connection, then says it could not reach the server", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const { llm, clock } = client({ baseUrl: `http://127.0.0.1:${port}`, maxRetries: 2 });
    const error = await llm.complete(stepRequest()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error).toMatchObject({ kind: "connection", attempts: 3 });
    expect((error as Error).message).toMatch(/could not reach .*ECONNREFUSED/);
    expect(clock.sleeps).toHaveLength(2);
  });

  it("stops at once, without retrying, when the caller aborts", async () => {
    server.setFaults({ script: ["hang"] });
    const received = captureRequests();
    const { llm } = client();
    const controller = new AbortController();
    const pending = llm.complete(stepRequest({ signal: controller.signal }));
    while (received().length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new Error("run cancelled"));
    await expect(pending).rejects.toThrow("run cancelled");
    expect(received()).toHaveLength(1);
    expect(llm.stats()).toMatchObject({ retries: 0, failures: 0 });
  });
});

describe("OpenAI client: misconfiguration", () => {
  it("names a wrong model, quotes the server, lists nothing else and does not retry", async () => {
    const received = captureRequests();
    const { llm } = client({ model: "qwen-typo" });
    const error = await llm.complete(stepRequest()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmConfigError);
    expect(error).toMatchObject({ kind: "model-not-found", status: 404, attempts: 1 });
    expect((error as Error).message).toBe(
      `The LLM server at ${server.url}/chat/completions has no model named "qwen-typo". Server said: The model \`qwen-typo\` does not exist.`,
    );
    expect((error as Error).message).not.toContain(MODEL);
    expect(received()).toHaveLength(1);
  });

  it("says when the prompt is longer than the context window", async () => {
    const { llm } = client();
    const error = await llm.complete(stepRequest({ maxTokens: 1990 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmConfigError);
    expect(error).toMatchObject({ kind: "context-too-long", status: 400 });
    expect((error as Error).message).toMatch(/longer than the context window.*maximum context length is 2000 tokens/);
  });

  it("says when the base URL points to no OpenAI endpoint", async () => {
    const { llm } = client({ baseUrl: server.url.replace("/v1", "/api") });
    await expect(llm.complete(stepRequest())).rejects.toMatchObject({ kind: "endpoint-not-found", status: 404 });
  });
});

describe("in-flight limit", () => {
  it("keeps the requests in flight at or under the shared limit across clients", async () => {
    const slow = await startScriptedOpenAiServer({ problems: TOY_PROBLEMS, models: [MODEL], latencyMs: 25 });
    try {
      const shared = createSemaphore(3);
      const trees = [0, 1].map(() => createOpenAiClient({ baseUrl: slow.url, model: MODEL, inFlight: shared }));
      await Promise.all(trees.flatMap((llm) => Array.from({ length: 6 }, (_, i) => llm.complete(stepRequest({ n: 1, seed: i })))));
      expect(slow.requests).toHaveLength(12);
      expect(slow.concurrency.max).toBe(3);
    } finally {
      await slow.close();
    }
  });
});

describe("listModels", () => {
  it("lists the served models with their context length", async () => {
    expect(await listModels(server.url)).toEqual([{ id: MODEL, ownedBy: "scripted", maxModelLen: 2000 }]);
    expect(await listModels(server.url.replace("/v1", ""))).toHaveLength(1);
  });

  it("fails with a typed error when nothing OpenAI-like answers", async () => {
    await expect(listModels(server.url.replace("/v1", "/nothing"))).rejects.toMatchObject({ kind: "endpoint-not-found" });
  });
});
