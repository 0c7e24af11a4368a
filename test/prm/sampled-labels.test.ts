// Math-Shepherd labels by independent sampling: k completions from each step, continued by the policy alone to a
// terminal, the share that passes all search-visible tests.
import { describe, expect, it } from "vitest";
import { sampleStepLabels } from "../../server/prm/sampled-labels.ts";
import type { Evaluator } from "../../server/search/evaluator.ts";
import { codeStep, createTablePolicy, thoughtStep } from "../fixtures/scripted-policy.ts";
import { makeNode } from "../fixtures/search-nodes.ts";

const passIfGood: Evaluator = async (code) => ({ compiles: true, passRate: code.startsWith("good") ? 1 : 0 });

//   0 root
//   └─ 1 "A" (inner; visited by the search twice, both times into the bad branch)
//      └─ 2 "A > bad" terminal, reward 0
const tree = [
  makeNode({ seq: 0, visits: 2 }),
  makeNode({ seq: 1, stepText: "A", visits: 2, actionKind: "refine" }),
  makeNode({ seq: 2, parentId: "1", depth: 2, stepText: "bad", visits: 2, isTerminal: true, reward: 0, code: "bad" }),
];

describe("sampleStepLabels", () => {
  it("labels a step by k independent completions from it, whatever the search visited", async () => {
    // From "A": four first steps, two of which finish at once; "T" needs one more step that passes.
    const policy = createTablePolicy({
      A: [codeStep("g", "good 1"), codeStep("b", "bad"), thoughtStep("T"), thoughtStep("U")],
      "A > T": [codeStep("g2", "good 2")],
      "A > U": [codeStep("b2", "bad 2")],
    });
    const { labels, tally } = await sampleStepLabels(tree, { policy, evaluate: passIfGood, samplesPerStep: 4, maxDepth: 5, seed: 7 });
    // Visit-weighted, node 1 would be 0 (its only visited terminal fails); sampled: 2 of 4 completions pass.
    expect(labels.get("1")).toBe(0.5);
    expect(labels.get("2")).toBe(0);
    expect(labels.get("0")).toBeNull();
    expect(policy.requests.map((r) => [r.steps.join(" > "), r.n])).toEqual([
      ["A", 4],
      ["A > T", 1],
      ["A > U", 1],
    ]);
    expect(tally).toEqual({ calls: 3, promptTokens: 30, completionTokens: 18 });
  });

  it("a completion that reaches the depth limit without code fails", async () => {
    const policy = createTablePolicy({ A: [thoughtStep("T")], "A > T": [thoughtStep("T2")] });
    const { labels } = await sampleStepLabels(tree, { policy, evaluate: passIfGood, samplesPerStep: 1, maxDepth: 3, seed: 7 });
    expect(labels.get("1")).toBe(0);
    expect(policy.requests).toHaveLength(2);
  });
});
