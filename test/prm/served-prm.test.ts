// The served PRM against the scripted server's vLLM-shaped POST /pooling, over real HTTP: each request's last step
// gets its score, requests are batched by batchSize, and one input that fails vLLM's whole batch costs only itself.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSemaphore } from "../../server/llm/semaphore.ts";
import { poolingInput, poolingMessages, stepTagScore } from "../../server/prm/pooling-wire.ts";
import { createServedPrm, poolingUrl } from "../../server/prm/served-prm.ts";
import { startScriptedOpenAiServer, type ScriptedServer } from "../../server/dev-tools/scripted-openai-server.ts";
import { DEFAULT_PRM_FAULT_MARKER } from "../../server/dev-tools/scripted-prm.ts";
import { TOY_PROBLEMS } from "../fixtures/toy-problems.ts";

const [add, reverse] = TOY_PROBLEMS as [(typeof TOY_PROBLEMS)[number], (typeof TOY_PROBLEMS)[number]];
const structure = " **Defining the structure (Action 1)**\n\n#### Pseudocode:\n```pseudo\nFunction solve(inputs)\n```";
const refine = " **Refining the main loop (Action 2)**";
const code = (c: string) => ` **Generating Python code (Action 3)**\n\n\`\`\`python\n${c}\n\`\`\``;

describe("served PRM over /pooling", () => {
  let server: ScriptedServer;
  beforeAll(async () => {
    server = await startScriptedOpenAiServer({ problems: TOY_PROBLEMS, models: ["prm"] });
  });
  afterAll(() => server?.close());

  const prm = (overrides: Partial<Parameters<typeof createServedPrm>[0]> = {}) =>
    createServedPrm({
      baseUrl: server.url,
      model: "prm",
      stepTag: "<extra_0>",
      goodIndex: 1,
      batchSize: 2,
      timeoutMs: 5_000,
      maxRetries: 0,
      inFlight: createSemaphore(8),
      input: "text",
      ...overrides,
    });
  const poolingBodies = () => server.requests.filter((r) => r.path === "/pooling").map((r) => r.body as { input: string[]; task: string; model: string });

  it("scores each request's last step and batches batchSize inputs per request", async () => {
    const before = poolingBodies().length;
    const served = prm();
    const results = await served.scoreSteps([
      { problem: add.statement, steps: [structure] },
      { problem: add.statement, steps: [structure, code(add.correctCode)] },
      { problem: add.statement, steps: [structure, code(add.wrongCode)] },
      { problem: add.statement, steps: [structure, refine] },
      { problem: reverse.statement, steps: [structure, refine, code(reverse.correctCode)] },
    ]);
    expect(results).toEqual([0.7, 0.9, 0.1, 0.6, 0.9].map((score) => ({ score: expect.closeTo(score, 12), error: null })));
    const sent = poolingBodies().slice(before);
    expect(sent.map((b) => b.input.length)).toEqual([2, 2, 1]);
    expect(sent.every((b) => b.task === "token_classify" && b.model === "prm")).toBe(true);
    expect(sent[0]?.input[1]).toBe(poolingInput(add.statement, [structure, code(add.correctCode)], "<extra_0>"));
    // Its usage is what the server reported: the scripted /pooling bills one prompt token per whitespace-separated word.
    const words = sent.flatMap((b) => b.input).reduce((sum, input) => sum + input.split(/\s+/).filter(Boolean).length, 0);
    expect(words).toBeGreaterThan(0);
    expect(served.usage!()).toEqual({ promptTokens: words, completionTokens: 0, requests: 3 });
  });

  it("chat input: the PRM's chat template over system/user/assistant turns, steps joined by the step tag", async () => {
    const before = server.requests.filter((r) => r.path === "/pooling").length;
    const results = await prm({ input: "chat", systemPrompt: "Please reason step by step." }).scoreSteps([
      { problem: add.statement, steps: [structure, code(add.correctCode)] },
      { problem: reverse.statement, steps: [structure, refine] },
    ]);
    expect(results).toEqual([0.9, 0.6].map((score) => ({ score: expect.closeTo(score, 12), error: null })));
    const sent = server.requests.filter((r) => r.path === "/pooling").slice(before).map((r) => r.body as Record<string, unknown>);
    // vLLM's chat pooling request holds one conversation: one request per path.
    expect(sent).toHaveLength(2);
    const first = sent.find((b) => (b.messages as { content: string }[])[1]?.content === add.statement.trim())!;
    expect(first).toEqual({
      model: "prm",
      task: "token_classify",
      messages: [
        { role: "system", content: "Please reason step by step." },
        { role: "user", content: add.statement.trim() },
        { role: "assistant", content: `${structure.trim()}<extra_0>${code(add.correctCode).trim()}<extra_0>` },
      ],
      add_generation_prompt: false,
      continue_final_message: true,
    });
    expect(first.messages).toEqual(poolingMessages(add.statement, [structure, code(add.correctCode)], "<extra_0>", "Please reason step by step."));
  });

  it("the scripted /pooling checks the chat shape as vLLM and the PRM's template need it", async () => {
    const post = async (body: Record<string, unknown>) => {
      const response = await fetch(poolingUrl(server.url), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      return { status: response.status, text: await response.text() };
    };
    const messages = poolingMessages(add.statement, [structure], "<extra_0>", "sys");
    const base = { model: "prm", task: "token_classify", continue_final_message: true };
    expect((await post({ ...base, messages })).status).toBe(200);
    expect((await post({ ...base, messages, input: "x" })).text).toMatch(/either input or messages/);
    expect((await post({ ...base, messages: messages.slice(1) })).text).toMatch(/system, user, assistant/);
    expect((await post({ ...base, messages: [messages[0], messages[1], { role: "assistant", content: structure }] })).text).toMatch(/end with the step tag/);
    expect((await post({ ...base, messages, add_generation_prompt: true })).text).toMatch(/Cannot set both/);
  });

  it("reads the class named by goodIndex", async () => {
    const [result] = await prm({ goodIndex: 0 }).scoreSteps([{ problem: add.statement, steps: [code(add.correctCode)] }]);
    expect(result?.score).toBeCloseTo(0.1, 12);
  });

  it("a batch failing for one input loses only that input", async () => {
    const before = poolingBodies().length;
    const served = prm({ batchSize: 8 });
    const results = await served.scoreSteps([
      { problem: add.statement, steps: [structure] },
      { problem: add.statement, steps: [structure, `${refine} ${DEFAULT_PRM_FAULT_MARKER}`] },
      { problem: add.statement, steps: [structure, code(add.correctCode)] },
    ]);
    expect(results[0]).toEqual({ score: expect.closeTo(0.7, 12), error: null });
    expect(results[1]?.score).toBeNull();
    expect(results[1]?.error).toMatch(/context/);
    expect(results[2]).toEqual({ score: expect.closeTo(0.9, 12), error: null });
    // The batch of 3, then each input alone.
    expect(poolingBodies().slice(before).map((b) => b.input.length)).toEqual([3, 1, 1, 1]);
    expect(served.stats()).toEqual({ requests: 4, retries: 0 });
  });

  it("reports a wrong model per request instead of throwing", async () => {
    const results = await prm({ model: "nope" }).scoreSteps([{ problem: add.statement, steps: [structure] }]);
    expect(results[0]).toMatchObject({ score: null, error: expect.stringMatching(/no model named "nope"/) });
  });
});

describe("pooling wire", () => {
  it("puts /pooling at the server root", () => {
    expect(poolingUrl("http://gpu:8001/v1").href).toBe("http://gpu:8001/pooling");
    expect(poolingUrl("http://gpu:8001/").href).toBe("http://gpu:8001/pooling");
    expect(poolingUrl("http://gpu:8001/proxy/v1/").href).toBe("http://gpu:8001/proxy/pooling");
    expect(() => poolingUrl("not a url")).toThrow(/prm.baseUrl/);
  });

  it("takes the last row (the tag after the scored step), under STEP or ALL pooling", () => {
    expect(stepTagScore([[0.4, 0.6], [0.2, 0.8]], 1)).toBe(0.8);
    expect(stepTagScore([0.3, 0.7], 1)).toBe(0.7);
    expect(() => stepTagScore([], 1)).toThrow(/no rows/);
    expect(() => stepTagScore([[0.5, 0.5]], 2)).toThrow(/goodIndex 2/);
    expect(() => stepTagScore([[-3.2, 4.1]], 1)).toThrow(/not a probability/);
  });
});
