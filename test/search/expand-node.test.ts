import { describe, expect, it } from "vitest";
import { createRandom } from "../../server/lib/rng.ts";
import type { Evaluator } from "../../server/search/evaluator.ts";
import { expandNode, type ExpansionContext } from "../../server/search/expand-node.ts";
import { SearchError } from "../../server/search/search-error.ts";
import { SearchTree } from "../../server/search/search-tree.ts";
import type { StepScorer } from "../../server/search/step-scorer.ts";
import { codeStep, createTablePolicy, thoughtStep } from "../fixtures/scripted-policy.ts";

const evaluate: Evaluator = async (code) => ({ compiles: true, passRate: code === "good" ? 1 : 0.5 });

/** Three samples of which two are the same text, each with its own completion tokens; the first has a prior. */
const SAMPLES = [
  { ...thoughtStep("A"), prior: 0.4, completionTokens: 5 },
  { ...codeStep("B", "good"), completionTokens: 3 },
  { ...thoughtStep("A"), prior: 0.4, completionTokens: 7 },
];

function context(overrides: Partial<ExpansionContext> = {}, config: Partial<ExpansionContext["config"]> = {}): ExpansionContext {
  return {
    tree: SearchTree.create(),
    policy: createTablePolicy({ "": SAMPLES, A: [thoughtStep("A.1")] }, { promptTokens: 10, completionTokens: 15 }),
    evaluate,
    config: { seed: 1, children: 3, maxDepth: 3, alpha: 0, ...config },
    random: createRandom(1),
    ...overrides,
  };
}

const fields = (nodes: readonly { stepText: string; copies: number; promptTokens: number; completionTokens: number; prior: number | null }[]) =>
  nodes.map((n) => [n.stepText, n.copies, n.promptTokens, n.completionTokens, n.prior]);

describe("expandNode", () => {
  it("merges identical samples unless told otherwise, billing every sample's tokens, and returns the new children", async () => {
    const ctx = context();
    const created = await expandNode(ctx.tree.root, ctx);
    expect(created).toEqual(ctx.tree.childrenOf("0"));
    expect(fields(created)).toEqual([
      ["A", 2, 10, 12, 0.4],
      ["B", 1, 0, 3, null],
    ]);
    expect(created.map((n) => [n.isTerminal, n.reward])).toEqual([
      [false, null],
      [true, 1],
    ]);
  });

  it("keeps identical samples apart when merging is off", async () => {
    const ctx = context({}, { mergeIdenticalSiblings: false });
    const created = await expandNode(ctx.tree.root, ctx);
    expect(created).toEqual(ctx.tree.childrenOf("0"));
    expect(fields(created)).toEqual([
      ["A", 1, 10, 5, 0.4],
      ["B", 1, 0, 3, null],
      ["A", 1, 0, 7, 0.4],
    ]);
  });

  it("hands the cancel signal to the policy, the evaluator and the step scorer", async () => {
    const signal = new AbortController().signal;
    const seen: string[] = [];
    const scoreSteps: StepScorer = async (requests, options) => {
      if (options.signal === signal) seen.push("scorer");
      return requests.map(() => 0.5);
    };
    const ctx = context({
      signal,
      scoreSteps,
      evaluate: async (code, options) => {
        if (options.signal === signal) seen.push("evaluator");
        return evaluate(code, options);
      },
    });
    await expandNode(ctx.tree.root, ctx);
    expect(seen.sort()).toEqual(["evaluator", "scorer"]);
    expect((ctx.policy as ReturnType<typeof createTablePolicy>).requests[0]?.signal).toBe(signal);
  });

  it("stores a score only when the PRM gave a finite one", async () => {
    const steps = ["p", "q", "r", "s"].map((t) => thoughtStep(t));
    const scores = [0.25, null, Number.NaN, Number.POSITIVE_INFINITY];
    const ctx = context({ policy: createTablePolicy({ "": steps }), scoreSteps: async () => scores });
    const created = await expandNode(ctx.tree.root, ctx);
    expect(created.map((n) => n.prmScore)).toEqual([0.25, null, null, null]);
  });

  it("refuses a terminal node and a node already expanded, asking the policy nothing", async () => {
    const ctx = context();
    const [a, b] = await expandNode(ctx.tree.root, ctx);
    const policy = ctx.policy as ReturnType<typeof createTablePolicy>;
    await expect(expandNode(b!, ctx)).rejects.toThrow(new SearchError("node 2 is terminal and cannot be expanded"));
    await expect(expandNode(ctx.tree.root, ctx)).rejects.toThrow(new SearchError("node 0 is already expanded"));
    expect(policy.requests).toHaveLength(1);
    await expandNode(a!, ctx);
    expect(policy.requests.map((r) => r.steps)).toEqual([[], ["A"]]);
  });
});
