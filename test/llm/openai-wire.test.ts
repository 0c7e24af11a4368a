import { describe, expect, it } from "vitest";
import { resolveApiBase, routeUrl } from "../../server/llm/openai-base-url.ts";
import { parseChatResponse, parseCompletionResponse, readServerError } from "../../server/llm/openai-wire.ts";

describe("OpenAI wire format", () => {
  it("normalises base URLs to .../v1", () => {
    expect(resolveApiBase("http://gpu:8000").href).toBe("http://gpu:8000/v1");
    expect(resolveApiBase("http://gpu:8000/v1/").href).toBe("http://gpu:8000/v1");
    expect(resolveApiBase("https://proxy.example/vllm").href).toBe("https://proxy.example/vllm/v1");
    expect(routeUrl(resolveApiBase("http://gpu:8000/v1"), "chat/completions").href).toBe("http://gpu:8000/v1/chat/completions");
    expect(() => resolveApiBase("gpu:8000")).toThrow(/http:\/\//);
    expect(() => resolveApiBase("not a url")).toThrow(/not a URL/);
  });

  it("parses chat and completion responses, sorting choices and defaulting absent usage to zero", () => {
    const chat = parseChatResponse(
      { choices: [{ index: 1, message: { content: "b" }, finish_reason: "length" }, { index: 0, message: { content: null }, finish_reason: "stop" }] },
      "m",
    );
    expect(chat).toEqual({
      ok: true,
      response: {
        model: "m",
        choices: [
          { index: 0, text: "", finishReason: "stop", logprobs: null },
          { index: 1, text: "b", finishReason: "length", logprobs: null },
        ],
        usage: { promptTokens: 0, completionTokens: 0 },
      },
      firstChoiceUsage: false,
    });
    const completion = parseCompletionResponse(
      { model: "x", choices: [{ index: 0, text: "t", logprobs: { tokens: ["a", "b"], token_logprobs: [null, -0.5] } }], usage: { prompt_tokens: 3, completion_tokens: 2 } },
      "m",
    );
    expect(completion.ok && completion.response.choices[0]?.logprobs).toEqual([{ token: "b", logprob: -0.5 }]);
    expect(completion.ok && completion.response.usage).toEqual({ promptTokens: 3, completionTokens: 2 });
  });

  it("reports where a response is not OpenAI-shaped", () => {
    expect(parseChatResponse({ choices: [{ index: 0, text: "wrong route" }] }, "m")).toEqual({ ok: false, issue: expect.stringContaining("choices.0.message") });
    expect(parseCompletionResponse({ data: [] }, "m")).toEqual({ ok: false, issue: expect.stringContaining("choices") });
  });

  it("reads error messages in vLLM, OpenAI, FastAPI and plain-text shapes", () => {
    expect(readServerError('{"object":"error","message":"The model `x` does not exist.","type":"NotFoundError","code":404}')).toEqual({
      message: "The model `x` does not exist.",
      code: "404",
      type: "NotFoundError",
    });
    expect(readServerError('{"error":{"message":"bad","code":"context_length_exceeded"}}')).toEqual({ message: "bad", code: "context_length_exceeded", type: null });
    expect(readServerError('{"detail":"Not Found"}')).toEqual({ message: "Not Found", code: null, type: null });
    expect(readServerError("upstream exploded")).toEqual({ message: "upstream exploded", code: null, type: null });
    expect(readServerError("")).toEqual({ message: null, code: null, type: null });
  });
});
