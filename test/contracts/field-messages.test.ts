// Every config field error reads as a sentence naming the field and what it allows (issue 15 §3): the same words in
// the CLI (parseConfig's ValidationError), the form (zod issues, in the browser and from the router) and tRPC errors.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { experimentConfigSchema, llmEndpointSchema, parseExperimentConfig, tcgConfigSchema } from "../../server/contracts/index.ts";

const BASE = { dataset: "mbpp", mode: "pseudocode", llm: { baseUrl: "http://127.0.0.1:8000/v1", model: "m" } };

function messages(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => i.message);
}

describe("field error messages", () => {
  it("a number out of range names the field and its range", () => {
    expect(messages(experimentConfigSchema, { ...BASE, search: { rollouts: 0 } })).toEqual([
      "search.rollouts must be a whole number from 1 to 10000 (got 0).",
    ]);
    expect(messages(experimentConfigSchema, { ...BASE, concurrency: 1000 })).toEqual(["concurrency must be a whole number from 1 to 256 (got 1000)."]);
    expect(messages(experimentConfigSchema, { ...BASE, search: { rollouts: 2.5 } })).toEqual(["search.rollouts must be a whole number from 1 to 10000 (got 2.5)."]);
  });

  it("a wrong type, a missing field, a bad URL, an unknown option and an unknown key read as sentences", () => {
    expect(messages(experimentConfigSchema, { ...BASE, seed: "x" })).toEqual(['seed must be a number (got "x").']);
    expect(messages(experimentConfigSchema, { ...BASE, mode: undefined })).toEqual(["mode is required: one of vanilla, pseudocode, sampling."]);
    expect(messages(experimentConfigSchema, { ...BASE, mode: "cot" })).toEqual(['mode must be one of vanilla, pseudocode, sampling (got "cot").']);
    expect(messages(llmEndpointSchema, { baseUrl: "not a url", model: "m" })[0]).toMatch(/^baseUrl must be an http\(s\) URL such as http:\/\/127\.0\.0\.1:8000\/v1 \(got "not a url"\)\.$/);
    expect(messages(experimentConfigSchema, { ...BASE, rollouts: 3 })).toEqual(["unknown field rollouts (not part of this config)."]);
  });

  it("no message is zod's wording", () => {
    const bad = { ...BASE, search: { rollouts: 0, children: -1, alpha: 2, explorationWeight: "x" }, sampling: { topP: 5 }, seed: -1 };
    for (const message of messages(experimentConfigSchema, bad)) {
      expect(message).not.toMatch(/Too small|Too big|expected number|Invalid input|Invalid option/);
      expect(message).toMatch(/\.$/);
    }
    expect(messages(tcgConfigSchema, { dataset: "mbpp", llm: BASE.llm, cases: 0 })[0]).toMatch(/^cases must be a whole number from 1 to \d+ \(got 0\)\.$/);
  });

  it("the CLI's parse error names the file and field once, then the same words", () => {
    expect(() => parseExperimentConfig({ ...BASE, search: { rollouts: 0 } }, "experiment.json")).toThrow(
      "experiment.json field search.rollouts: must be a whole number from 1 to 10000 (got 0).",
    );
  });
});

describe("TCG defaults", () => {
  it("asks for 3 cases per problem by default, as the paper's template does", () => {
    expect(tcgConfigSchema.parse({ dataset: "mbpp", llm: BASE.llm }).cases).toBe(3);
  });
});
