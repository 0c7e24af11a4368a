// The OpenRLHF reward service with the real sandbox and database: rewards from search-visible tests only, and a
// clear 4xx naming the item for every kind of bad request.
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importDataset } from "../../server/datasets/import-dataset.ts";
import { ConflictError } from "../../server/errors.ts";
import { createRewardService, registerRewardService, rewardBlendFromEnv, rewardHttpResponse, type RewardService } from "../../server/reward/index.ts";
import { startScriptedOpenAiServer } from "../../server/dev-tools/scripted-openai-server.ts";
import { createSandbox } from "../../server/sandbox/index.ts";
import { uniqueName, useTestPrisma } from "../helpers/db.ts";

const prisma = useTestPrisma();
const dataset = uniqueName("tiny-reward");
let service: RewardService;

const PROMPT = "Write a function `double(x)` that returns twice its argument.\n";
const fenced = (code: string) => `Here it is:\n\`\`\`python\n${code}\n\`\`\`\n`;

function body(responses: string[], labels: string[] = responses.map(() => `${dataset}/tiny-1`)) {
  return JSON.stringify({ query: responses.map((r) => PROMPT + r), prompts: responses.map(() => PROMPT), labels });
}

beforeAll(async () => {
  await importDataset(prisma, { source: { path: fileURLToPath(new URL("../fixtures/tiny-dataset.jsonl", import.meta.url)) }, format: "jsonl", name: dataset });
  service = createRewardService(prisma, { sandbox: () => createSandbox(), maxBatch: 8 });
  registerRewardService(service);
}, 60_000);
afterAll(async () => {
  registerRewardService(undefined);
  await service?.close();
});

describe("OpenRLHF reward service", () => {
  it("rewards the pass rate on the search-visible tests; hidden tests never give a reward", async () => {
    const reply = await service.score(
      body([
        fenced("def double(x):\n    return 2 * x"), // passes everything
        fenced("def double(x):\n    return 4"), // passes only the visible double(2) == 4
        fenced("def double(x):\n    return 0 if x == 2 else 2 * x"), // passes only the hidden tests
        "I do not know.", // no code
        fenced("def double(x) return"), // does not compile
      ]),
    );
    expect(reply.rewards).toEqual([1, 1, 0, 0, 0]);
    expect(reply.scores).toEqual(reply.rewards);
    expect(reply.extra_logs).toEqual({ pass_rate: [1, 1, 0, 0, 0], compiles: [1, 1, 1, 0, 0], has_code: [1, 1, 1, 0, 1] });
  });

  it("answers over the route's handler with 200, and 4xx naming the item for bad requests", async () => {
    const ok = await rewardHttpResponse(body([fenced("def double(x):\n    return 2 * x")]));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ rewards: [1] });
    const cases: Array<[string, number, string]> = [
      ["{not json", 400, "the body is not JSON"],
      [JSON.stringify([1]), 400, "must be a JSON object"],
      [JSON.stringify({ query: ["a"], prompts: ["a"] }), 400, "labels: must be a list of strings"],
      [JSON.stringify({ query: ["a", 3], prompts: ["a", "b"], labels: ["x/1", "x/2"] }), 400, "query[1]: must be a string, got number"],
      [JSON.stringify({ query: ["a", "b"], prompts: ["a"], labels: ["x/1", "x/2"] }), 400, "prompts: 1 items for 2 queries"],
      [JSON.stringify({ query: ["p1 r", "zz"], prompts: ["p1 ", "p2 "], labels: [`${dataset}/tiny-1`, `${dataset}/tiny-1`] }), 400, "query[1]: does not start with prompts[1]"],
      [body(["x", "y"], [`${dataset}/tiny-1`, "nodataset"]), 400, "labels[1]: 'nodataset' does not name a problem as dataset/id"],
      [body(["x", "y"], [`${dataset}/tiny-1`, `${dataset}/tiny-99`]), 422, `labels[1]: no problem 'tiny-99' in a dataset named '${dataset}'`],
      [body(Array.from({ length: 9 }, () => "x")), 413, "query: 9 items; at most 8 per request"],
    ];
    for (const [text, status, message] of cases) {
      const reply = await rewardHttpResponse(text);
      expect(reply.status, message).toBe(status);
      expect(((await reply.json()) as { error: string }).error).toContain(message);
    }
  });

  it("answers a domain error behind a good request (the sandbox cannot start) with its status and reason, not an empty 500", async () => {
    const broken = createRewardService(prisma, {
      sandbox: async () => {
        throw new ConflictError("the sandbox needs bubblewrap (apt-get install bubblewrap)");
      },
    });
    registerRewardService(broken);
    try {
      const answer = await rewardHttpResponse(body([fenced("def double(x):\n    return 2 * x")]));
      expect({ status: answer.status, body: await answer.json() }).toEqual({ status: 409, body: { error: "the sandbox needs bubblewrap (apt-get install bubblewrap)", where: null } });
    } finally {
      registerRewardService(service);
      await broken.close();
    }
  });

  it("blends a served PRM's step scores by ϕ when O1C_REWARD_PRM asks for it; a bad setting names its field", async () => {
    const prmServer = await startScriptedOpenAiServer({ problems: [{ id: "tiny-1", snippet: "returns twice its argument", correctCode: "def double(x):\n    return 2 * x", wrongCode: "def double(x):\n    return 4" }], models: ["prm"] });
    const blend = rewardBlendFromEnv({ O1C_REWARD_PRM: JSON.stringify({ baseUrl: prmServer.url, model: "prm", schedule: { kind: "constant", alpha: 0.5 }, gamma: 0.9 }) })!;
    const blended = createRewardService(prisma, { sandbox: () => createSandbox(), blend });
    try {
      const steps = (code: string) =>
        `<Step_Begin>\n### Step 1: **Defining the structure (Action 1)**\n<Step_End>\n\n<Step_Begin>\n### Step 2: **Generating Python code (Action 3)**\n\n\`\`\`python\n${code}\n\`\`\`\n<Step_End>\n\n`;
      const reply = await blended.score(body([steps("def double(x):\n    return 2 * x"), steps("def double(x):\n    return 4")]));
      // The scripted PRM: structure step 0.7; the correct code 0.9, the wrong one 0.1. ϕ = 0.5·R + 0.5·(0.9·r¹ + 0.81·r²)/2.
      expect(reply.extra_logs.outcome).toEqual([1, 1]);
      expect(reply.extra_logs.prm_steps_scored).toEqual([2, 2]);
      expect(reply.rewards[0]).toBeCloseTo(0.5 + 0.25 * (0.9 * 0.7 + 0.81 * 0.9), 6);
      expect(reply.rewards[1]).toBeCloseTo(0.5 + 0.25 * (0.9 * 0.7 + 0.81 * 0.1), 6);
      const pooled = prmServer.requests.filter((r) => r.path === "/pooling");
      expect(pooled.length).toBeGreaterThan(0);
      // Hidden tests never reach the PRM either: the inputs hold the prompt and the completion's steps only.
      expect(pooled.some((r) => r.rawBody.includes("double(-3)"))).toBe(false);
    } finally {
      await blended.close();
      await prmServer.close();
    }
    expect(() => rewardBlendFromEnv({ O1C_REWARD_PRM: JSON.stringify({ baseUrl: "http://x", model: "m", gamma: 2 }) })).toThrow("O1C_REWARD_PRM field gamma");
    expect(() => rewardBlendFromEnv({ O1C_REWARD_PRM: "{" })).toThrow("O1C_REWARD_PRM: not valid JSON");
  });
});
