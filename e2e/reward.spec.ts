import { expect, test } from "@playwright/test";

// The reward endpoint for RL engines, over the real `o1c serve` process (where the reward service is built outside
// Next's bundle, unlike in the vitest suites that call the handler directly): rewards for good requests, and the
// documented 4xx with a JSON reason naming the item for bad ones, never an empty 500.
const URL_PATH = "/api/reward/openrlhf";
const PROMPT = "Write digital_root(n). ";
const CODE = "```python\ndef digital_root(n):\n    while n >= 10:\n        n = sum(int(d) for d in str(n))\n    return n\n```";

test("the reward endpoint scores a completion, and answers bad requests with their 4xx and reason", async ({ request }) => {
  const ok = await request.post(URL_PATH, { data: { query: [PROMPT + CODE, PROMPT + "no code"], prompts: [PROMPT, PROMPT], labels: ["starter/digital-root", "starter/digital-root"] } });
  expect(ok.status()).toBe(200);
  expect(await ok.json()).toMatchObject({ rewards: [1, 0] });

  const cases: Array<[unknown, number, string]> = [
    ["{not json", 400, "the body is not JSON"],
    [{ query: ["p x"], prompts: ["q"], labels: ["starter/digital-root"] }, 400, "query[0]: does not start with prompts[0]"],
    [{ query: ["p x"], prompts: ["p"], labels: ["starter/no-such-problem"] }, 422, "labels[0]: no problem 'no-such-problem'"],
  ];
  for (const [data, status, reason] of cases) {
    // A string goes as raw bytes (Playwright would send it JSON-encoded, a valid JSON string).
    const reply = await request.post(URL_PATH, typeof data === "string" ? { data: Buffer.from(data), headers: { "content-type": "application/json" } } : { data });
    expect(reply.status(), reason).toBe(status);
    expect(((await reply.json()) as { error: string }).error).toContain(reason);
  }
});
