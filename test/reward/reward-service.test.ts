// The OpenRLHF reward service with the real sandbox and database: rewards from search-visible tests only, and a
// clear 4xx naming the item for every kind of bad request.
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importDataset } from "../../server/datasets/import-dataset.ts";
import { createRewardService, registerRewardService, rewardHttpResponse, type RewardService } from "../../server/reward/index.ts";
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
});
