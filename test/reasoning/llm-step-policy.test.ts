// The production step policy (createLlmStepPolicy) through the real OpenAI client and the scripted
// OpenAI-compatible server over HTTP: what it sends (read from the server's recorded request bodies) and how it parses
// what comes back, including replies from a server that ignores `stop` and from a model that opens a second step
// before closing its own (issue 18: these tests used an in-process fake LlmClient).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countWhitespaceTokens, startScriptedOpenAiServer, type ScriptedServer } from "../../server/dev-tools/scripted-openai-server.ts";
import { createOpenAiClient } from "../../server/llm/openai-client.ts";
import { createSemaphore } from "../../server/llm/semaphore.ts";
import { REFERENCE_SAMPLING, createLlmStepPolicy } from "../../server/reasoning/llm-step-policy.ts";
import { toRawText } from "../../server/reasoning/prompt.ts";
import { pseudocodeMode, samplingMode } from "../../server/reasoning/reasoning-mode.ts";
import { TOY_PROBLEMS } from "../fixtures/toy-problems.ts";

const add = TOY_PROBLEMS[0]!;
const problem = { statement: add.statement, entryPoint: add.entryPoint, visibleTests: add.visibleTests };
// The scripted model's code step (scripted-openai-server.ts codeStep) for the correct solution, as the policy must keep it.
const CODE_STEP = ` **Generating Python code (Action 3)**\n\n#### Python Code:\n\`\`\`python\n${add.correctCode}\n\`\`\`\n\nThe code follows the refined pseudocode.\n`;

type Body = Record<string, unknown> & { messages?: Array<{ role: string; content: string }> };

describe("createLlmStepPolicy over HTTP", () => {
  // Steps 2 and later are always code, always the correct solution: every reply below is known in advance.
  const generation = { problems: [add], models: ["m"], correctRate: 1, codeChanceByStep: [0, 0, 1] };
  let server: ScriptedServer;
  let stopIgnoring: ScriptedServer;
  let unclosing: ScriptedServer;
  beforeAll(async () => {
    server = await startScriptedOpenAiServer(generation);
    stopIgnoring = await startScriptedOpenAiServer({ ...generation, ignoreStop: true });
    unclosing = await startScriptedOpenAiServer({ ...generation, unclosedSteps: true });
  });
  afterAll(async () => {
    await Promise.all([server, stopIgnoring, unclosing].map((s) => s?.close()));
  });
  const llm = (target: ScriptedServer) => createOpenAiClient({ baseUrl: target.url, model: "m", maxRetries: 0, inFlight: createSemaphore(4) });
  const lastBody = (target: ScriptedServer) => target.requests.at(-1)!.body as Body;

  it("continues the path's assistant message with the reference sampling and the step delimiter as stop", async () => {
    const policy = createLlmStepPolicy({ llm: llm(server), mode: pseudocodeMode, problem });
    const proposal = await policy.proposeSteps({ steps: [" first"], n: 2, seed: 11 });
    expect(server.requests.at(-1)!.path).toBe("/v1/chat/completions");
    const body = lastBody(server);
    expect(body).toMatchObject({
      model: "m",
      n: 2,
      seed: 11,
      stop: ["<Step_End>"],
      temperature: 0.8,
      top_p: 0.95,
      max_tokens: REFERENCE_SAMPLING.maxTokens,
      continue_final_message: true,
      add_generation_prompt: false,
    });
    expect(body.messages!.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(body.messages![1]!.content).toBe("<Step_Begin>\n### Step 1: first<Step_End>\n\n<Step_Begin>\n### Step 2:");
    expect(proposal.steps.map((s) => [s.text, s.actionKind, s.isTerminal, s.code])).toEqual([
      [CODE_STEP, "code", true, add.correctCode],
      [CODE_STEP, "code", true, add.correctCode],
    ]);
    // The server's usage: its prompt is the two messages' words, its completion the two replies' words.
    const promptWords = countWhitespaceTokens(body.messages!.map((m) => m.content).join("\n"));
    expect(proposal.usage).toEqual({ promptTokens: promptWords, completionTokens: 2 * countWhitespaceTokens(CODE_STEP) });
  });

  it("sends raw text to /v1/completions for base models", async () => {
    await createLlmStepPolicy({ llm: llm(server), mode: pseudocodeMode, problem, api: "completions" }).proposeSteps({ steps: [], n: 1, seed: 0 });
    expect(server.requests.at(-1)!.path).toBe("/v1/completions");
    expect(lastBody(server).prompt).toBe(toRawText(pseudocodeMode.openStep(pseudocodeMode.buildRootPrompt(problem), 1)));
  });

  it("cuts the delimiter and the run-on step a server that ignores stop sends back, so they never enter a later prompt", async () => {
    const proposal = await createLlmStepPolicy({ llm: llm(stopIgnoring), mode: pseudocodeMode, problem }).proposeSteps({ steps: ["a", "b"], n: 1, seed: 0 });
    // The reply really ran on (the server ignored the stop string)...
    expect(lastBody(stopIgnoring).stop).toEqual(["<Step_End>"]);
    // ...and the node keeps its own step only.
    expect(proposal.steps.map((s) => s.text)).toEqual([CODE_STEP]);
  });

  it("keeps one step per node when a reply opens a second step before its own <Step_End>", async () => {
    const proposal = await createLlmStepPolicy({ llm: llm(unclosing), mode: pseudocodeMode, problem }).proposeSteps({ steps: ["a", "b"], n: 1, seed: 0 });
    expect(proposal.steps.map((s) => [s.text, s.code])).toEqual([[CODE_STEP, add.correctCode]]);
  });

  it("counts each step's own tokens when logprobs are asked for", async () => {
    const proposal = await createLlmStepPolicy({ llm: llm(server), mode: samplingMode, problem, logprobs: 0 }).proposeSteps({ steps: [], n: 2, seed: 0 });
    expect(lastBody(server)).toMatchObject({ logprobs: true, top_logprobs: 0 });
    expect(Object.keys(lastBody(server))).not.toContain("stop"); // no step delimiter: one answer is the whole reply
    // A one-shot answer is "Here is the solution:" and the code in a python block: its whitespace tokens, one logprob each.
    const answer = `Here is the solution:\n\n\`\`\`python\n${add.correctCode}\n\`\`\`\n`;
    expect(proposal.steps.map((s) => [s.isTerminal, s.actionKind, s.code, s.completionTokens])).toEqual([
      [true, "vanilla", add.correctCode, countWhitespaceTokens(answer)],
      [true, "vanilla", add.correctCode, countWhitespaceTokens(answer)],
    ]);
  });
});
