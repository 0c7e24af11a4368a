import { describe, expect, it } from "vitest";
import type { LlmClient, StepRequest, StepResponse } from "../../server/llm/llm-client.ts";
import { REFERENCE_SAMPLING, createLlmStepPolicy } from "../../server/reasoning/llm-step-policy.ts";
import { toRawText } from "../../server/reasoning/prompt.ts";
import { pseudocodeMode, samplingMode } from "../../server/reasoning/reasoning-mode.ts";

/** An LlmClient that answers from a list and keeps the requests. */
function fakeLlm(texts: string[], logprobs = false): LlmClient & { requests: StepRequest[] } {
  const requests: StepRequest[] = [];
  return {
    requests,
    async complete(request): Promise<StepResponse> {
      requests.push(request);
      return {
        model: "m",
        choices: texts.slice(0, request.n).map((text, index) => ({
          index,
          text,
          finishReason: "stop",
          logprobs: logprobs ? text.split(" ").map((token) => ({ token, logprob: -1 })) : null,
        })),
        usage: { promptTokens: 42, completionTokens: 9 },
      };
    },
  };
}

const problem = { statement: "Write a function to add two integers.", entryPoint: "add", visibleTests: ["assert add(1, 2) == 3"] };

describe("createLlmStepPolicy", () => {
  it("continues the path's assistant message with the reference sampling and the step delimiter as stop", async () => {
    const llm = fakeLlm([" **Plan (Action 1)**\n```pseudo\nx\n```\n", " **Code (Action 3)**\n```python\ndef add(a, b):\n    return a + b\n```\n"]);
    const policy = createLlmStepPolicy({ llm, mode: pseudocodeMode, problem });
    const proposal = await policy.proposeSteps({ steps: [" first"], n: 2, seed: 11 });
    const [request] = llm.requests;
    expect(request).toMatchObject({ n: 2, seed: 11, stop: ["<Step_End>"], temperature: 0.8, topP: 0.95, maxTokens: REFERENCE_SAMPLING.maxTokens });
    expect(request?.prompt.kind).toBe("chat");
    const messages = request?.prompt.kind === "chat" ? request.prompt.messages : [];
    expect(messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(messages[1]?.content).toBe("<Step_Begin>\n### Step 1: first<Step_End>\n\n<Step_Begin>\n### Step 2:");
    expect(proposal.usage).toEqual({ promptTokens: 42, completionTokens: 9 });
    expect(proposal.steps.map((s) => [s.actionKind, s.isTerminal, s.code])).toEqual([
      ["structure", false, null],
      ["code", true, "def add(a, b):\n    return a + b"],
    ]);
  });

  it("sends raw text to /v1/completions for base models", async () => {
    const llm = fakeLlm([" step"]);
    await createLlmStepPolicy({ llm, mode: pseudocodeMode, problem, api: "completions" }).proposeSteps({ steps: [], n: 1, seed: 0 });
    const prompt = llm.requests[0]?.prompt;
    expect(prompt?.kind).toBe("text");
    expect(prompt?.kind === "text" && prompt.text).toBe(toRawText(pseudocodeMode.openStep(pseudocodeMode.buildRootPrompt(problem), 1)));
  });

  it("cuts a delimiter the server left in, so it never enters a later prompt", async () => {
    const llm = fakeLlm([" refine<Step_End>\n\n<Step_Begin>\n### Step 3: runaway"]);
    const proposal = await createLlmStepPolicy({ llm, mode: pseudocodeMode, problem }).proposeSteps({ steps: ["a", "b"], n: 1, seed: 0 });
    expect(proposal.steps[0]?.text).toBe(" refine");
  });

  it("keeps one step per node when a reply opens a second step before its own <Step_End>", async () => {
    const llm = fakeLlm([" refine\n<Step_Begin>\n### Step 3: runaway<Step_End>"]);
    const proposal = await createLlmStepPolicy({ llm, mode: pseudocodeMode, problem }).proposeSteps({ steps: ["a", "b"], n: 1, seed: 0 });
    expect(proposal.steps[0]?.text).toBe(" refine\n");
  });

  it("counts each step's own tokens when logprobs are asked for", async () => {
    const llm = fakeLlm(["one two three", "four"], true);
    const proposal = await createLlmStepPolicy({ llm, mode: samplingMode, problem, logprobs: 0 }).proposeSteps({ steps: [], n: 2, seed: 0 });
    expect(llm.requests[0]?.logprobs).toBe(0);
    expect(llm.requests[0]?.stop).toEqual([]);
    expect(proposal.steps.map((s) => s.completionTokens)).toEqual([3, 1]);
    expect(proposal.steps.every((s) => s.isTerminal && s.actionKind === "vanilla")).toBe(true);
  });
});
