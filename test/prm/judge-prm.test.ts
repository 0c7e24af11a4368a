// The judge PRM over real HTTP, chat and completions: score = P(+) from the logprobs of "+" and "-" at the position
// after the Rating tag. The scripted server answers with P(+) equal to the step's scripted score.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpenAiClient } from "../../server/llm/openai-client.ts";
import { createSemaphore } from "../../server/llm/semaphore.ts";
import { createJudgePrm } from "../../server/prm/judge-prm.ts";
import { buildJudgePrompt, plusProbability, RATING_TAG } from "../../server/prm/judge-prompt.ts";
import { startScriptedOpenAiServer, type ScriptedServer } from "../../server/dev-tools/scripted-openai-server.ts";
import { TOY_PROBLEMS } from "../fixtures/toy-problems.ts";

const add = TOY_PROBLEMS[0]!;
const structure = " **Defining the structure (Action 1)**";
const code = (c: string) => ` **Generating Python code (Action 3)**\n\n\`\`\`python\n${c}\n\`\`\``;

describe("plusProbability", () => {
  it("is e^lp(+) / (e^lp(+) + e^lp(−))", () => {
    expect(plusProbability([{ token: " +", logprob: Math.log(0.3) }, { token: " -", logprob: Math.log(0.1) }, { token: "x", logprob: -0.1 }])).toBeCloseTo(0.75, 12);
  });

  it("sums a sign's spellings", () => {
    const top = [
      { token: "+", logprob: Math.log(0.2) },
      { token: " +", logprob: Math.log(0.2) },
      { token: " -", logprob: Math.log(0.1) },
    ];
    expect(plusProbability(top)).toBeCloseTo(0.8, 12);
  });

  it("is 1 or 0 when one sign is missing, and refuses when both are", () => {
    expect(plusProbability([{ token: "+", logprob: -2 }])).toBe(1);
    expect(plusProbability([{ token: "-", logprob: -2 }])).toBe(0);
    expect(() => plusProbability([{ token: "yes", logprob: -1 }])).toThrow(/neither/);
  });
});

describe("judge PRM over HTTP", () => {
  let server: ScriptedServer;
  beforeAll(async () => {
    server = await startScriptedOpenAiServer({ problems: TOY_PROBLEMS, models: ["judge"] });
  });
  afterAll(() => server?.close());
  const llm = () => createOpenAiClient({ baseUrl: server.url, model: "judge", maxRetries: 0, inFlight: createSemaphore(4) });
  const requests = [
    { problem: add.statement, steps: [structure] },
    { problem: add.statement, steps: [structure, code(add.correctCode)] },
    { problem: add.statement, steps: [structure, code(add.wrongCode)] },
  ];

  for (const api of ["chat", "completions"] as const) {
    it(`${api}: P(+) per step, one max_tokens=1 request each with top logprobs`, async () => {
      const before = server.requests.length;
      const results = await createJudgePrm({ llm: llm(), api }).scoreSteps(requests);
      expect(results.map((r) => r.score)).toEqual([expect.closeTo(0.7, 9), expect.closeTo(0.9, 9), expect.closeTo(0.1, 9)]);
      const sent = server.requests.slice(before).map((r) => r.body as Record<string, unknown>);
      expect(sent).toHaveLength(3);
      for (const body of sent) expect(body).toMatchObject({ max_tokens: 1, temperature: 0, n: 1 });
      if (api === "chat") {
        expect(sent[0]).toMatchObject({ logprobs: true, top_logprobs: 20, continue_final_message: true, add_generation_prompt: false });
        const messages = sent[1]?.messages as Array<{ role: string; content: string }>;
        expect(messages.at(-1)?.content.endsWith(RATING_TAG)).toBe(true);
        expect(messages[1]?.content).toContain(structure.trim());
      } else {
        expect(sent[0]).toMatchObject({ logprobs: 20 });
        expect(String(sent[1]?.prompt).endsWith(`${add.correctCode}\n\`\`\`${RATING_TAG}`)).toBe(true);
      }
    });
  }

  for (const api of ["chat", "completions"] as const) {
    it(`${api}: leaves a step unscored, with the reason, when the server sends no logprobs although asked`, async () => {
      const silent = await startScriptedOpenAiServer({ problems: TOY_PROBLEMS, models: ["judge"], noLogprobs: true });
      try {
        const llm = createOpenAiClient({ baseUrl: silent.url, model: "judge", maxRetries: 0, inFlight: createSemaphore(4) });
        const results = await createJudgePrm({ llm, api }).scoreSteps(requests);
        expect(results.map((r) => r.score)).toEqual([null, null, null]);
        for (const r of results) expect(r.error).toMatch(/no logprobs/);
        expect(silent.requests.map((r) => (r.body as Record<string, unknown>).logprobs)).toEqual(Array(3).fill(api === "chat" ? true : 20));
      } finally {
        await silent.close();
      }
    });
  }

  it("shows earlier steps as context and rates only the last", () => {
    const prompt = buildJudgePrompt("P", ["first", "second"], "completions");
    expect(prompt.kind === "text" && prompt.text).toMatch(/Previous steps:\nStep 1:\nfirst\n\nStep to rate:\nsecond Rating$/);
  });
});
