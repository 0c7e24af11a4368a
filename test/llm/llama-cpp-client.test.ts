// The embedded llama.cpp client on a tiny random-weight GGUF written to a temp dir (no weights can be downloaded here).
// The fixture biases "<Step_End>" up (so the random model emits the delimiter now and then) and end-of-sequence down
// (so "length" is predictable); sampling is seeded, so every generation below is deterministic.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConflictError, ValidationError } from "../../server/errors.ts";
import { createLlamaCppClient, LLAMA_CPP_GGUF_ENV, type LlamaCppClient } from "../../server/llm/llama-cpp-client.ts";
import { findStop } from "../../server/llm/llama-cpp-generate.ts";
import { renderFallbackChat } from "../../server/llm/llama-cpp-prompt.ts";
import type { StepRequest } from "../../server/llm/llm-client.ts";
import { LlmConfigError } from "../../server/llm/llm-errors.ts";
import { createSemaphore } from "../../server/llm/semaphore.ts";
import { CHATML_TEMPLATE, writeTinyGguf } from "../fixtures/tiny-gguf.ts";

const DELIMITER = "<Step_End>";
const TEXT_PROMPT = { kind: "text" as const, text: "abc" };

let dir: string;
let ggufPath: string;
let client: LlamaCppClient;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "o1c-llama-"));
  ggufPath = join(dir, "tiny.gguf");
  await writeTinyGguf(ggufPath, {
    seed: 11,
    chatTemplate: CHATML_TEMPLATE,
    bias: { "</s>": -30, "<|im_end|>": -30, [DELIMITER]: 3 },
  });
  client = createLlamaCppClient({ ggufPath, threads: 1, contextSize: 512, seed: 1, inFlight: createSemaphore(4) });
  await client.load();
});

afterAll(async () => {
  await client?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const request = (overrides: Partial<StepRequest> = {}): StepRequest => ({
  prompt: TEXT_PROMPT,
  n: 1,
  temperature: 1,
  maxTokens: 48,
  seed: 5,
  ...overrides,
});

describe("loading", () => {
  it("loads the GGUF lazily, once, sharing the load between concurrent first calls", async () => {
    const lazy = createLlamaCppClient({ ggufPath, threads: 1, contextSize: 256, inFlight: createSemaphore(4) });
    try {
      const [first, , second] = await Promise.all([lazy.load(), lazy.complete(request({ maxTokens: 4 })), lazy.load()]);
      expect(second).toBe(first);
      expect(first).toMatchObject({ ggufPath, model: "tiny.gguf", contextSize: 256, trainContextSize: 1024 });
      expect(first.chatFormat).toBe("gguf-template");
      expect(first.vocabSize).toBeGreaterThan(300);
      expect(first.loadMs).toBeGreaterThan(0);
    } finally {
      await lazy.close();
    }
  });

  it("names the environment variable the CLI reads", () => {
    expect(LLAMA_CPP_GGUF_ENV).toBe("O1C_GGUF");
  });

  it("fails with a config error naming the path when the file is missing, at first use", async () => {
    const missing = join(dir, "nope.gguf");
    const broken = createLlamaCppClient({ ggufPath: missing, inFlight: createSemaphore(1) });
    const failure = await broken.complete(request()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LlmConfigError);
    expect(failure).toMatchObject({ kind: "model-not-found" });
    expect((failure as Error).message).toContain(missing);
    expect(broken.stats()).toMatchObject({ calls: 1, failures: 1, errorsByKind: { "model-not-found": 1 } });
  });

  it("rejects a file that is not a GGUF, a truncated one, and one whose vocabulary would make llama.cpp abort", async () => {
    const garbage = join(dir, "garbage.gguf");
    await writeFile(garbage, "this is not a model\n".repeat(50));
    const truncated = join(dir, "truncated.gguf");
    await writeFile(truncated, (await readFile(ggufPath)).subarray(0, 300_000));
    const duplicate = join(dir, "duplicate.gguf");
    await writeTinyGguf(duplicate, { seed: 1, vocab: ["▁def", "▁def"] });
    const cases = [
      [garbage, "not a readable GGUF"],
      [truncated, "llama.cpp could not load"],
      [duplicate, "duplicate vocabulary token"],
    ] as const;
    for (const [path, wording] of cases) {
      const bad = createLlamaCppClient({ ggufPath: path, inFlight: createSemaphore(1) });
      const failure = await bad.load().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(LlmConfigError);
      expect((failure as Error).message).toContain(path);
      expect((failure as Error).message).toContain(wording);
    }
  });
});

describe("generation", () => {
  it("generates text and counts usage in tokens: the prompt by the tokenizer, the completion as sampled", async () => {
    const response = await client.complete(request({ n: 2, maxTokens: 16 }));
    expect(response.model).toBe("tiny.gguf");
    expect(response.choices.map((choice) => choice.index)).toEqual([0, 1]);
    for (const choice of response.choices) {
      expect(choice.text.length).toBeGreaterThan(0);
      expect(choice).toMatchObject({ finishReason: "length", logprobs: null });
    }
    // BOS + one token per character: the fixture has single-character tokens and no space prefix.
    expect(response.usage).toEqual({ promptTokens: 4, completionTokens: 2 * 16 });
    const { tokens, text } = await client.tokenizePrompt(TEXT_PROMPT);
    expect(tokens).toHaveLength(response.usage.promptTokens);
    expect(text).toBe("<s>abc");
  });

  it("stops at the step delimiter the model emits, cutting it unless includeStopInOutput", async () => {
    const free = await client.complete(request({ n: 3, maxTokens: 64 }));
    const stopped = await client.complete(request({ n: 3, maxTokens: 64, stop: [DELIMITER] }));
    const kept = await client.complete(request({ n: 3, maxTokens: 64, stop: [DELIMITER], includeStopInOutput: true }));
    free.choices.forEach((choice, i) => {
      const at = choice.text.indexOf(DELIMITER);
      expect(at, `choice ${i} of the free run emits the delimiter`).toBeGreaterThanOrEqual(0);
      expect(stopped.choices[i]).toMatchObject({ text: choice.text.slice(0, at), finishReason: "stop" });
      expect(kept.choices[i]).toMatchObject({ text: choice.text.slice(0, at + DELIMITER.length), finishReason: "stop" });
    });
    expect(stopped.usage.completionTokens).toBeLessThan(free.usage.completionTokens);
    expect(kept.usage).toEqual(stopped.usage);
  });

  it("stops at a stop string spread over several tokens, at its first occurrence", async () => {
    const freeText = (await client.complete(request({ maxTokens: 64 }))).choices[0]!.text;
    const stop = freeText.replaceAll(DELIMITER, "").slice(20, 23); // most tokens of this vocabulary are one character
    expect(stop).toHaveLength(3);
    const stopped = await client.complete(request({ maxTokens: 64, stop: ["never-emitted", stop] }));
    expect(stopped.choices[0]).toMatchObject({ text: freeText.slice(0, freeText.indexOf(stop)), finishReason: "stop" });
  });

  it("returns n choices, reproducible for a seed and different for another", async () => {
    const first = await client.complete(request({ n: 4 }));
    const again = await client.complete(request({ n: 4 }));
    const other = await client.complete(request({ n: 4, seed: 6 }));
    const single = await client.complete(request({ n: 1 }));
    const texts = (response: typeof first) => response.choices.map((choice) => choice.text);
    expect(first.choices).toHaveLength(4);
    expect(new Set(texts(first)).size).toBe(4);
    expect(texts(again)).toEqual(texts(first));
    expect(texts(other)).not.toEqual(texts(first));
    expect(single.choices[0]!.text).toBe(first.choices[0]!.text); // sibling i does not depend on n
  });

  it("samples greedily at temperature 0 (every sibling the same)", async () => {
    const response = await client.complete(request({ n: 3, temperature: 0, seed: undefined }));
    expect(new Set(response.choices.map((choice) => choice.text)).size).toBe(1);
  });

  it("ends with finishReason length at maxTokens, and refuses prompt + maxTokens beyond the context", async () => {
    const response = await client.complete(request({ n: 2, maxTokens: 7 }));
    expect(response.choices.map((choice) => choice.finishReason)).toEqual(["length", "length"]);
    expect(response.usage.completionTokens).toBe(14);
    const failure = await client.complete(request({ maxTokens: 509 })).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LlmConfigError);
    expect(failure).toMatchObject({ kind: "context-too-long" });
  });

  it("validates requests like the OpenAI client", async () => {
    await expect(client.complete(request({ n: 0 }))).rejects.toBeInstanceOf(ValidationError);
    await expect(client.complete(request({ topP: 0 }))).rejects.toBeInstanceOf(ValidationError);
  });
});

describe("chat prompts", () => {
  const partial = { role: "assistant" as const, content: "<Step_Begin> partial" };
  const user = { role: "user" as const, content: "Q" };

  it("renders with the GGUF's chat template and continues a trailing assistant message without ending its turn", async () => {
    const continued = await client.tokenizePrompt({ kind: "chat", messages: [user, partial] });
    expect(continued.text).toBe("<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n<Step_Begin> partial");
    const fresh = await client.tokenizePrompt({ kind: "chat", messages: [{ role: "system", content: "S" }, user] });
    expect(fresh.text).toBe("<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n");
    const response = await client.complete(request({ prompt: { kind: "chat", messages: [user, partial] }, maxTokens: 8 }));
    expect(response.usage).toEqual({ promptTokens: continued.tokens.length, completionTokens: 8 });
  });

  it("falls back to a plain format for a GGUF without a template; end of sequence finishes with stop", async () => {
    const plainPath = join(dir, "plain.gguf");
    await writeTinyGguf(plainPath, { seed: 3, bias: { "</s>": 4 } });
    const plain = createLlamaCppClient({ ggufPath: plainPath, threads: 1, contextSize: 256, inFlight: createSemaphore(1) });
    try {
      const messages = [{ role: "system" as const, content: "S" }, user, partial];
      expect(renderFallbackChat(messages)).toBe("### System\nS\n\n### User\nQ\n\n### Assistant\n<Step_Begin> partial");
      expect(renderFallbackChat([user])).toBe("### User\nQ\n\n### Assistant\n");
      expect((await plain.load()).chatFormat).toBe("fallback");
      expect((await plain.tokenizePrompt({ kind: "chat", messages })).text).toBe(`<s>${renderFallbackChat(messages)}`);
      const response = await plain.complete(request({ prompt: { kind: "chat", messages }, n: 3, maxTokens: 200 }));
      expect(response.choices.map((choice) => choice.finishReason)).toEqual(["stop", "stop", "stop"]);
      expect(response.usage.completionTokens).toBeLessThan(3 * 200);
    } finally {
      await plain.close();
    }
  });
});

describe("concurrency and lifecycle", () => {
  it("serialises concurrent requests: each gets what it would get alone", async () => {
    const requests = [5, 6, 7].map((seed) => request({ seed, n: 2, maxTokens: 24, stop: [DELIMITER] }));
    const together = await Promise.all(requests.map((r) => client.complete(r)));
    for (const [i, r] of requests.entries()) expect(together[i]).toEqual(await client.complete(r));
  });

  it("waits for a permit of the shared in-flight limiter", async () => {
    const inFlight = createSemaphore(1);
    const limited = createLlamaCppClient({ ggufPath, threads: 1, contextSize: 128, inFlight });
    try {
      await limited.load();
      const release = await inFlight.acquire();
      let settled = false;
      const pending = limited.complete(request({ maxTokens: 4 })).finally(() => (settled = true));
      // The request queues at the limiter (the ceiling only catches a request that never gets there), and stays
      // unanswered while the permit is held.
      await until(() => inFlight.waiting === 1);
      expect(settled).toBe(false);
      release();
      expect((await pending).choices).toHaveLength(1);
      expect(inFlight.active).toBe(0);
    } finally {
      await limited.close();
    }
  });

  it("stops generating when the request is aborted, and keeps working", async () => {
    const controller = new AbortController();
    const reason = new Error("cancelled");
    setTimeout(() => controller.abort(reason), 5);
    await expect(client.complete(request({ n: 8, maxTokens: 500, signal: controller.signal }))).rejects.toBe(reason);
    expect((await client.complete(request({ maxTokens: 4 }))).choices).toHaveLength(1);
  });

  it("closes: later calls fail with a ConflictError", async () => {
    const closing = createLlamaCppClient({ ggufPath, threads: 1, contextSize: 128, inFlight: createSemaphore(1) });
    await closing.complete(request({ maxTokens: 2 }));
    await closing.close();
    await closing.close();
    await expect(closing.complete(request())).rejects.toBeInstanceOf(ConflictError);
  });
});

describe("stop matching", () => {
  it("finds the earliest stop string, the longest at a tie", () => {
    expect(findStop("ab<Step_End>cd\n\n", ["\n\n", "<Step_End>"])).toEqual({ index: 2, stop: "<Step_End>" });
    expect(findStop("abcd", ["cd", "bcd", "b"])).toEqual({ index: 1, stop: "bcd" });
    expect(findStop("abcd", ["", "x"])).toBeNull();
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
