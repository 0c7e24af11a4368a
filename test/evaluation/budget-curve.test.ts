// Issue 13 points 2 and 4 on hand-built trees: the accuracy-vs-tokens curve and the Pass@1 of the first sampled
// terminal (no selection) beside the final answer's.
import { describe, expect, it } from "vitest";
import { experimentBudgetCurve, outcomeFromTree, summarizeMetrics, treeBudgetCurve } from "../../server/evaluation/index.ts";
import { makeNode } from "../fixtures/search-nodes.ts";

// Request 1 (root → 1, 2): 100 tokens, two thoughts. Request 2 (1 → 3, 4): 50 tokens; 3 is a wrong answer scoring 0.5
// on the visible tests, 4 has no code. Request 3 (2 → 5, 6): 60 tokens; 5 is correct with reward 1, 6 wrong with 0.
const NODES = [
  makeNode({ seq: 0 }),
  makeNode({ seq: 1, promptTokens: 60, completionTokens: 20 }),
  makeNode({ seq: 2, completionTokens: 20 }),
  makeNode({ seq: 3, parentId: "1", depth: 2, isTerminal: true, code: "wrong", reward: 0.5, visits: 1, valueSum: 0.5, promptTokens: 30, completionTokens: 10 }),
  makeNode({ seq: 4, parentId: "1", depth: 2, isTerminal: true, code: null, reward: 0, completionTokens: 10 }),
  makeNode({ seq: 5, parentId: "2", depth: 2, isTerminal: true, code: "right", reward: 1, visits: 1, valueSum: 1, promptTokens: 40, completionTokens: 10 }),
  makeNode({ seq: 6, parentId: "2", depth: 2, isTerminal: true, code: "wrong", reward: 0, completionTokens: 10 }),
];
const VERDICTS = new Map([["3", false], ["5", true], ["6", false]]);

describe("accuracy against tokens", () => {
  it("takes one point per request: tokens so far and whether the best terminal so far passes", () => {
    const passes = (node: { id: string }) => VERDICTS.get(node.id) ?? false;
    expect(treeBudgetCurve(NODES, passes)).toEqual([[100, false], [150, false], [210, true]]);
  });

  it("averages over problems at each budget; a problem without an answer yet counts as unsolved", () => {
    const curve = experimentBudgetCurve([[[100, false], [150, true]], [[120, true]], []]);
    expect(curve).toEqual([
      { tokensPerProblem: 100, pass1: 0 },
      { tokensPerProblem: 120, pass1: 1 / 3 },
      { tokensPerProblem: 150, pass1: 2 / 3 },
    ]);
  });
});

describe("Pass@1 definitions", () => {
  it("reports the final answer (best by Q/N) and the first sampled terminal (no selection) apart", () => {
    const outcome = outcomeFromTree("p", NODES, VERDICTS);
    expect(outcome.finalAnswerPasses).toBe(true);
    expect(outcome.firstTerminalPasses).toBe(false);
    const summary = summarizeMetrics([outcome, { ...outcome, problemId: "q", finalAnswerPasses: false, firstTerminalPasses: true }]);
    expect(summary.pass1).toBe(0.5);
    expect(summary.pass1FirstTerminal).toBe(0.5);
    expect(summary.tokenCurve.at(-1)).toEqual({ tokensPerProblem: 210, pass1: 1 });
  });
});
