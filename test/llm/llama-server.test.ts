// The wire protocol against a real OpenAI-compatible server that is not vLLM: llama.cpp's own llama-server (built by
// scripts/build-llama-server.sh) serving the tiny random-weight GGUF with a ChatML template, 4 slots. The model writes
// noise, so these tests assert protocol facts — continuations are new text, tokens are counted, logprobs parse to
// finite numbers, n beyond the slot count is served, no request fails — never accuracy.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { StepRequest } from "../../server/llm/llm-client.ts";
import { LlmConfigError } from "../../server/llm/llm-errors.ts";
import { listModels } from "../../server/llm/list-models.ts";
import { createOpenAiClient, type OpenAiClient } from "../../server/llm/openai-client.ts";
import { createSemaphore } from "../../server/llm/semaphore.ts";
import { createJudgePrm } from "../../server/prm/judge-prm.ts";
import { describeWithLlamaServer, startLlamaServer, type LlamaServer } from "../fixtures/llama-server.ts";
import { CHATML_TEMPLATE, writeTinyGguf } from "../fixtures/tiny-gguf.ts";
import { uniqueName, useTestPrisma } from "../helpers/db.ts";
import { o1c } from "../helpers/o1c.ts";

const ALIAS = "tiny-chatml";
const SLOTS = 4;
const PREFILL = "<Step_Begin>\n### Step 1: def x y<Step_End>\n\n<Step_Begin>\n### Step 2:";
const CONTINUATION = {
  kind: "chat" as const,
  messages: [
    { role: "user" as const, content: "Write a function that returns x plus y." },
    { role: "assistant" as const, content: PREFILL },
  ],
};
const TEXT = { kind: "text" as const, text: "Write a function that returns x plus y.\n\n### Step 1:" };

const request = (overrides: Partial<StepRequest> = {}): StepRequest => ({
  prompt: CONTINUATION,
  n: 2,
  stop: ["<Step_End>"],
  temperature: 0.8,
  topP: 0.95,
  maxTokens: 16,
  seed: 1,
  ...overrides,
});

const finite = (values: number[]) => values.every((v) => Number.isFinite(v));

describeWithLlamaServer("the OpenAI protocol against llama.cpp's llama-server", (binary) => {
  const prisma = useTestPrisma();
  let dir: string;
  let gguf: string;
  let server: LlamaServer;
  const clients: OpenAiClient[] = [];
  const client = () => {
    const llm = createOpenAiClient({ baseUrl: server.url, model: ALIAS, timeoutMs: 60_000, maxRetries: 1, inFlight: createSemaphore(SLOTS) });
    clients.push(llm);
    return llm;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "o1c-llama-server-"));
    gguf = path.join(dir, "tiny-chatml.gguf");
    // End-of-turn made unlikely (steps run to the delimiter or max_tokens), the delimiter and the judge's signs likely
    // enough to appear among the top alternatives of a random model.
    await writeTinyGguf(gguf, {
      seed: 11,
      chatTemplate: CHATML_TEMPLATE,
      contextLength: 16_384,
      bias: { "</s>": -30, "<|im_end|>": -30, "<Step_End>": 3, "+": 2, "-": 2 },
    });
    server = await startLlamaServer({ binary, gguf, alias: ALIAS, contextSize: 16_384, parallel: SLOTS });
  }, 180_000);

  afterAll(async () => {
    // What differed from vLLM on this server, for the record of the CI log.
    const totals = clients.map((c) => c.stats());
    const sum = (key: "echoedPrefills" | "splitRequests" | "estimatedUsage" | "failures") => totals.reduce((s, t) => s + t[key], 0);
    console.info(
      `[llama-server] echoed prefills stripped: ${sum("echoedPrefills")}, split requests: ${sum("splitRequests")}, ` +
        `responses with estimated usage: ${sum("estimatedUsage")}, failed calls: ${sum("failures")}`,
    );
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("lists the served model", async () => {
    expect((await listModels(server.url)).map((m) => m.id)).toContain(ALIAS);
  });

  it("continues a partial assistant message with new text only", async () => {
    const llm = client();
    const response = await llm.complete(request());
    expect(response.choices).toHaveLength(2);
    for (const choice of response.choices) {
      expect(choice.text.startsWith(PREFILL), server.log()).toBe(false);
      expect(choice.text).not.toContain("### Step 1:");
    }
    expect(response.usage.promptTokens).toBeGreaterThan(0);
    expect(response.usage.completionTokens).toBeGreaterThan(0);
  }, 60_000);

  it("reads completions logprobs (llama-server sends them in the chat shape) as finite numbers, one per token", async () => {
    const llm = client();
    const response = await llm.complete(request({ prompt: TEXT, n: 1, logprobs: 5, stop: undefined, maxTokens: 8 }));
    const logprobs = response.choices[0]!.logprobs!;
    expect(logprobs).toHaveLength(response.usage.completionTokens);
    expect(finite(logprobs.map((t) => t.logprob))).toBe(true);
    expect(finite(logprobs.flatMap((t) => (t.top ?? []).map((a) => a.logprob)))).toBe(true);
    expect(logprobs.some((t) => (t.top?.length ?? 0) > 1)).toBe(true);
  }, 60_000);

  it("serves n beyond the slot count by splitting, counting every choice's tokens exactly when logprobs come back", async () => {
    const llm = client();
    // logprobs 1, not 0: llama-server sends no logprobs at all when asked for 0 alternatives (vLLM sends the sampled
    // token's), nor for a choice whose text is empty; without stop strings every choice runs to max_tokens.
    const response = await llm.complete(request({ n: SLOTS + 2, logprobs: 1, stop: undefined, maxTokens: 6 }));
    expect(response.choices.map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(llm.stats().splitRequests).toBeGreaterThanOrEqual(1);
    const counted = response.choices.reduce((sum, c) => sum + c.logprobs!.length, 0);
    expect(response.usage.completionTokens).toBe(counted);
    expect(response.usage.estimated).toBeUndefined();
  }, 60_000);

  it("does not undercount n > 1 without logprobs: the choices its usage leaves out are estimated, and flagged", async () => {
    const llm = client();
    const response = await llm.complete(request({ n: 3, maxTokens: 12 }));
    expect(response.choices).toHaveLength(3);
    expect(response.usage.estimated).toBe(true);
    expect(llm.stats().estimatedUsage).toBe(1);
    // Every choice generated at least one token (a stop counts).
    expect(response.usage.completionTokens).toBeGreaterThanOrEqual(3);
  }, 60_000);

  it("scores steps with the judge PRM through chat and through completions", async () => {
    const steps = [" **Defining the structure (Action 1)** def x y", " **Generating Python code (Action 3)** return x + y"];
    for (const api of ["chat", "completions"] as const) {
      const judge = createJudgePrm({ llm: client(), api });
      const results = await judge.scoreSteps([
        { problem: "Write a function that returns x plus y.", steps: steps.slice(0, 1) },
        { problem: "Write a function that returns x plus y.", steps },
      ]);
      for (const result of results) {
        expect(result.error, `${api}: ${result.error}`).toBeNull();
        expect(result.score).toBeGreaterThanOrEqual(0);
        expect(result.score).toBeLessThanOrEqual(1);
      }
    }
  }, 60_000);

  it("reports a prompt longer than a slot's context as context-too-long, after one attempt", async () => {
    const llm = client();
    // ~4 tokens per repetition: well past a slot's 16384 / 4 tokens.
    const long = { kind: "text" as const, text: "x + y = ".repeat(3_000) };
    const error = await llm.complete(request({ prompt: long, n: 1 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmConfigError);
    expect(error).toMatchObject({ kind: "context-too-long", attempts: 1 });
  }, 60_000);

  for (const api of ["chat", "completions"] as const) {
    it(`searches 3 problems end to end through ${api}, judge PRM included`, async () => {
      const name = uniqueName(`llama-server-${api}`);
      const config = path.join(dir, `${name}.json`);
      await writeFile(
        config,
        JSON.stringify({
          name,
          dataset: "starter",
          problems: { kind: "range", from: 1, to: 3 },
          mode: "pseudocode",
          llm: { baseUrl: server.url, model: ALIAS, api, timeoutMs: 60_000, maxRetries: 1 },
          sampling: { maxTokens: 24 },
          search: { rollouts: 2, children: 2, maxDepth: 3 },
          prm: { mode: "judge" },
          concurrency: 3,
        }),
      );
      const { code, stdout, stderr } = await o1c(["run", "--config", config, "--json"]);
      expect(code, `${stderr}\n${server.log()}`).toBe(0);
      const metrics = JSON.parse(stdout) as { problems: number; failedProblems: number; completionTokens: number; promptTokens: number };
      expect(metrics, stdout).toMatchObject({ problems: 3, failedProblems: 0 });
      expect(metrics.promptTokens).toBeGreaterThan(0);
      expect(metrics.completionTokens).toBeGreaterThan(0);

      const experiment = await prisma.experiment.findFirstOrThrow({ where: { name } });
      expect(experiment.status).toBe("COMPLETED");
      const nodes = await prisma.treeNode.findMany({
        where: { tree: { experimentId: experiment.id } },
        select: { id: true, parentId: true, depth: true, stepText: true, prmScore: true },
      });
      const byId = new Map(nodes.map((n) => [n.id, n]));
      const deep = nodes.filter((n) => n.depth >= 2);
      expect(deep.length).toBeGreaterThan(0);
      for (const node of deep) {
        const parent = byId.get(node.parentId!)!;
        // An echoed prefill would put the earlier steps (and their headers) in front of this step's own text.
        expect(node.stepText).not.toContain(`### Step ${node.depth - 1}:`);
        if (parent.stepText.trim().length >= 8) expect(node.stepText).not.toContain(parent.stepText.trim());
      }
      const scored = nodes.filter((n) => n.depth >= 1);
      expect(scored.every((n) => n.prmScore !== null && n.prmScore >= 0 && n.prmScore <= 1), JSON.stringify(scored.filter((n) => n.prmScore === null).slice(0, 3))).toBe(true);
    }, 300_000);
  }
});
