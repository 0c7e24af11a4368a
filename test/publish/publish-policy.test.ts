// Publishing against the scripted OpenAI server's vLLM runtime-LoRA routes over real HTTP.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLlmFactory } from "../../server/llm/create-llm-client.ts";
import { publishEndpoint, publishVllmLora } from "../../server/publish/index.ts";
import { startScriptedOpenAiServer, type ScriptedServer } from "../../server/dev-tools/scripted-openai-server.ts";
import { tempDir } from "../training/training-helpers.ts";

async function adapterFolder(): Promise<string> {
  const dir = path.join(await tempDir("lora"), "adapter");
  await mkdir(dir);
  await writeFile(path.join(dir, "adapter_config.json"), JSON.stringify({ peft_type: "LORA" }));
  return dir;
}

const PROBLEM = { id: "1", snippet: "Write a function add", correctCode: "def add(a, b):\n    return a + b", wrongCode: "def add(a, b):\n    return a - b" };

describe("vLLM runtime LoRA publishing", () => {
  let lora: ScriptedServer;
  let plain: ScriptedServer;
  beforeAll(async () => {
    lora = await startScriptedOpenAiServer({ problems: [PROBLEM], models: ["base"], runtimeLora: true });
    plain = await startScriptedOpenAiServer({ problems: [PROBLEM], models: ["base"] });
  });
  afterAll(async () => {
    await lora?.close();
    await plain?.close();
  });

  it("loads the adapter, confirms it in /v1/models, and the server then answers requests naming it", async () => {
    const loraPath = await adapterFolder();
    const published = await publishVllmLora({ baseUrl: lora.url, loraName: "it1", loraPath });
    expect(published).toEqual({ baseUrl: lora.url, model: "it1" });
    const models = (await (await fetch(`${lora.url}/models`)).json()) as { data: Array<{ id: string; parent: string | null; root: string }> };
    expect(models.data.find((m) => m.id === "it1")).toMatchObject({ parent: "base", root: loraPath });
    const llms = createLlmFactory();
    try {
      const client = llms.create({ baseUrl: lora.url, model: "it1", api: "chat", timeoutMs: 10_000, maxRetries: 0 });
      const reply = await client.complete({ prompt: { kind: "chat", messages: [{ role: "user", content: "Write a function add(a, b)." }] }, n: 1, maxTokens: 50 });
      expect(reply.choices[0]!.text).toContain("def add");
      expect(lora.requests.some((r) => r.path === "/v1/chat/completions" && (r.body as { model?: string }).model === "it1")).toBe(true);
    } finally {
      await llms.close();
    }
    // Publishing the same name and path again (a resumed loop) is a no-op; another path under that name is refused.
    await expect(publishVllmLora({ baseUrl: lora.url, loraName: "it1", loraPath })).resolves.toEqual(published);
    await expect(publishVllmLora({ baseUrl: lora.url, loraName: "it1", loraPath: await adapterFolder() })).rejects.toThrow("already serves a model named 'it1'");
  });

  it("says what to do when runtime updating is off, the path is missing or the name is taken", async () => {
    const loraPath = await adapterFolder();
    await expect(publishVllmLora({ baseUrl: plain.url, loraName: "x", loraPath })).rejects.toThrow(/answered 404\): start it with --enable-lora and the environment variable VLLM_ALLOW_RUNTIME_LORA_UPDATING=True/);
    await expect(publishVllmLora({ baseUrl: lora.url, loraName: "missing", loraPath: "/nonexistent/adapter" })).rejects.toThrow(/refused to load adapter 'missing' from \/nonexistent\/adapter \(400\): Loading lora missing failed: No adapter found.*visible to the vLLM server/);
    await expect(publishVllmLora({ baseUrl: lora.url, loraName: "base", loraPath })).rejects.toThrow("already serves a model named 'base'");
  });

  it("an endpoint publish checks the server lists the model", async () => {
    await expect(publishEndpoint({ baseUrl: plain.url, model: "base" })).resolves.toEqual({ baseUrl: plain.url, model: "base" });
    await expect(publishEndpoint({ baseUrl: plain.url, model: "policy-2" }, "loop.json field publish.endpoints[0]")).rejects.toThrow("loop.json field publish.endpoints[0]: http://127.0.0.1");
  });
});
