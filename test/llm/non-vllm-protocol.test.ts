// The OpenAI client against servers that are not vLLM: the scripted server imitating llama.cpp's llama-server where
// it differs (echoed prefill, chat-shaped completion logprobs, capped n, usage of choice 0 only, its context and 501
// errors), over real HTTP. The same requests to the vLLM-like scripted server give the reference answers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reconcileUsage } from "../../server/llm/choice-usage.ts";
import type { StepRequest } from "../../server/llm/llm-client.ts";
import { LlmConfigError } from "../../server/llm/llm-errors.ts";
import { createOpenAiClient } from "../../server/llm/openai-client.ts";
import { createSemaphore } from "../../server/llm/semaphore.ts";
import { createJudgePrm } from "../../server/prm/judge-prm.ts";
import { parseExperimentConfig } from "../../server/contracts/index.ts";
import { countWhitespaceTokens, startScriptedOpenAiServer, type LlamaCppQuirks, type ScriptedServer } from "../../server/dev-tools/scripted-openai-server.ts";
import { TOY_PROBLEMS } from "../fixtures/toy-problems.ts";

const MODEL = "m";
const PREFILL = "<Step_Begin>\n### Step 1: plan<Step_End>\n\n<Step_Begin>\n### Step 2:";
const CONTINUATION = {
  kind: "chat" as const,
  messages: [
    { role: "user" as const, content: "<Action 1> ... ### Question\nWrite a function to add two integers and return their sum." },
    { role: "assistant" as const, content: PREFILL },
  ],
};
const TEXT_PROMPT = { kind: "text" as const, text: "<Action 1> Write a function to add two integers and return their sum.\n\n### Step 2:" };

const request = (overrides: Partial<StepRequest> = {}): StepRequest => ({
  prompt: CONTINUATION,
  n: 3,
  stop: ["<Step_End>"],
  temperature: 0.8,
  maxTokens: 400,
  seed: 5,
  ...overrides,
});

const servers: ScriptedServer[] = [];
async function serve(llamaCpp?: LlamaCppQuirks): Promise<ScriptedServer> {
  const server = await startScriptedOpenAiServer({ problems: TOY_PROBLEMS, models: [MODEL], llamaCpp });
  servers.push(server);
  return server;
}
afterAll(() => Promise.all(servers.map((s) => s.close())));

function client(server: ScriptedServer) {
  return createOpenAiClient({ baseUrl: server.url, model: MODEL, timeoutMs: 5_000, maxRetries: 2, inFlight: createSemaphore(4), backoff: { initialMs: 1, maxMs: 1 } });
}

/** Bodies of the completion requests the server received from now on. */
function sentBodies(server: ScriptedServer) {
  const start = server.requests.length;
  return () => server.requests.slice(start).map((r) => r.body as { n: number; seed?: number });
}

let vllm: ScriptedServer;
beforeAll(async () => {
  vllm = await serve();
});

describe("chat continuation", () => {
  it("strips a prefill the server echoes in front of every choice, giving what vLLM gives", async () => {
    const echoing = client(await serve({ echoPrefill: true }));
    const response = await echoing.complete(request());
    const reference = await client(vllm).complete(request());
    expect(response.choices.map((c) => c.text)).toEqual(reference.choices.map((c) => c.text));
    for (const choice of response.choices) expect(choice.text.startsWith(PREFILL)).toBe(false);
    expect(echoing.stats().echoedPrefills).toBe(3);
  });

  it("leaves replies alone when the server does not echo", async () => {
    const plain = client(vllm);
    const response = await plain.complete(request());
    expect(response.choices.every((c) => c.text.length > 0 && !c.text.startsWith(PREFILL))).toBe(true);
    expect(plain.stats().echoedPrefills).toBe(0);
  });
});

describe("completions logprobs", () => {
  it("reads the chat shape (content: [{token, logprob, top_logprobs}]) on /v1/completions", async () => {
    const llm = client(await serve({ chatShapedCompletionLogprobs: true }));
    const response = await llm.complete(request({ prompt: TEXT_PROMPT, n: 1, logprobs: 0 }));
    const choice = response.choices[0]!;
    expect(choice.logprobs).toHaveLength(countWhitespaceTokens(choice.text));
    expect(choice.logprobs!.every((t) => Number.isFinite(t.logprob) && t.token.length > 0)).toBe(true);
  });

  it("lets the judge PRM score steps through completions there", async () => {
    const judge = createJudgePrm({ llm: client(await serve({ chatShapedCompletionLogprobs: true })), api: "completions" });
    const add = TOY_PROBLEMS[0]!;
    const results = await judge.scoreSteps([
      { problem: add.statement, steps: [" **Defining the structure (Action 1)**"] },
      { problem: add.statement, steps: [" **Defining the structure (Action 1)**", ` **Generating Python code (Action 3)**\n\n\`\`\`python\n${add.correctCode}\n\`\`\``] },
    ]);
    for (const result of results) {
      expect(result.error, JSON.stringify(result)).toBeNull();
      expect(result.score).toBeGreaterThanOrEqual(0);
      expect(result.score).toBeLessThanOrEqual(1);
    }
  });
});

describe("n beyond the server's limit", () => {
  it("asks again for the rest when the server returns fewer choices, with seeds that follow on", async () => {
    const server = await serve({ maxN: 2, nOverLimit: "truncate" });
    const llm = client(server);
    const sent = sentBodies(server);
    const response = await llm.complete(request({ n: 5 }));
    expect(response.choices.map((c) => c.index)).toEqual([0, 1, 2, 3, 4]);
    expect(sent().map((b) => [b.n, b.seed])).toEqual([[5, 5], [2, 7], [1, 9]]);
    expect(new Set(response.choices.map((c) => c.text)).size).toBeGreaterThan(1);
    expect(llm.stats()).toMatchObject({ calls: 1, splitRequests: 2, failures: 0 });

    // The limit is remembered: the next call asks for at most 2 at a time from the start.
    const next = sentBodies(server);
    expect((await llm.complete(request({ n: 3 }))).choices).toHaveLength(3);
    expect(next().map((b) => b.n)).toEqual([2, 1]);
  });

  it("reads the limit from the server's refusal (\"Field 'n': Value must be between 1 <= value <= 2\") and splits", async () => {
    const server = await serve({ maxN: 2, nOverLimit: "refuse" });
    const llm = client(server);
    const sent = sentBodies(server);
    const response = await llm.complete(request({ n: 5 }));
    expect(response.choices).toHaveLength(5);
    expect(sent().map((b) => b.n)).toEqual([5, 2, 2, 1]);
    expect(llm.stats()).toMatchObject({ failures: 0, splitRequests: 2 });
  });

  it("refuses n > 1 at temperature 0 in the experiment config, naming both fields", () => {
    const config = { dataset: "d", mode: "pseudocode", llm: { baseUrl: "http://127.0.0.1:8000/v1", model: MODEL } };
    expect(() => parseExperimentConfig({ ...config, sampling: { temperature: 0 }, search: { children: 3 } }, "exp.json")).toThrow(
      /exp\.json field sampling\.temperature: temperature 0 \(greedy\) gives 3 identical children.*search\.children/,
    );
    expect(parseExperimentConfig({ ...config, sampling: { temperature: 0 }, search: { children: 1 } }).search.children).toBe(1);
  });
});

describe("usage with n > 1", () => {
  it("counts the choices a first-choice-only usage left out, exactly from logprobs", async () => {
    const llm = client(await serve({ usageOfFirstChoiceOnly: true }));
    const response = await llm.complete(request({ logprobs: 0 }));
    const tokens = response.choices.map((c) => countWhitespaceTokens(c.text));
    expect(response.usage).toEqual({ promptTokens: expect.any(Number), completionTokens: tokens.reduce((a, b) => a + b, 0) });
    expect(llm.stats().estimatedUsage).toBe(0);
  });

  it("estimates them from text length otherwise, and says so in the response and the stats", async () => {
    const llm = client(await serve({ usageOfFirstChoiceOnly: true }));
    const response = await llm.complete(request());
    const first = countWhitespaceTokens(response.choices[0]!.text);
    expect(response.usage.completionTokens).toBeGreaterThan(first);
    expect(response.usage.estimated).toBe(true);
    expect(llm.stats()).toMatchObject({ estimatedUsage: 1, completionTokens: response.usage.completionTokens });
  });

  it("trusts a usage that covers every choice (vLLM)", async () => {
    const llm = client(vllm);
    const response = await llm.complete(request());
    expect(response.usage.completionTokens).toBe(response.choices.reduce((sum, c) => sum + countWhitespaceTokens(c.text), 0));
    expect(response.usage.estimated).toBeUndefined();
  });

  it("recognises an undercount on its own when the choices provably hold more tokens than reported", () => {
    const choices = [0, 1, 2].map((index) => ({ index, text: "a b c d", finishReason: "length", logprobs: null }));
    expect(reconcileUsage(choices, { promptTokens: 9, completionTokens: 4 }, 4, false)).toEqual({
      promptTokens: 9,
      completionTokens: 12,
      estimated: false,
      undercounted: true,
    });
    expect(reconcileUsage(choices, { promptTokens: 9, completionTokens: 12 }, 4, false)).toMatchObject({ completionTokens: 12, undercounted: false });
  });
});

describe("error classification", () => {
  it("reads llama-server's \"exceeds the available context size\" as context-too-long, without retrying", async () => {
    const server = await serve({ slotContext: 5 });
    const sent = sentBodies(server);
    const error = await client(server).complete(request()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmConfigError);
    expect(error).toMatchObject({ kind: "context-too-long", status: 400 });
    expect(sent()).toHaveLength(1);
  });

  it("does not retry a 501", async () => {
    const server = await serve({ notImplemented: ["completions"] });
    const sent = sentBodies(server);
    const error = await client(server).complete(request({ prompt: TEXT_PROMPT })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmConfigError);
    expect(error).toMatchObject({ kind: "not-implemented", status: 501, message: expect.stringContaining("does not implement") });
    expect(sent()).toHaveLength(1);
  });
});
