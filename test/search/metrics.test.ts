import { describe, expect, it } from "vitest";
import { METRIC_DEFINITIONS } from "../../server/contracts/index.ts";
import {
  computeAspr,
  computePass1,
  computePass1FirstTerminal,
  computePassAtK,
  computeTokenCurve,
  countLlmCalls,
  estimatePassAtK,
  outcomeFromTree,
  summarizeMetrics,
  type ProblemOutcome,
} from "../../server/evaluation/metrics.ts";
import { makeNode } from "../fixtures/search-nodes.ts";

/**
 * root ─┬─ 1 (thought) ─┬─ 2 code c2, N=2 Q=2 (value 1)  — passes the visible tests, fails the hidden ones
 *       │               ├─ 3 code c3, N=1 Q=0.5           — passes hidden
 *       │               └─ 4 no code (depth limit), N=1 Q=0
 *       └─ 5 code c5, never visited, reward 1             — passes hidden
 * Two expansions (root, node 1); tokens: prompt 10 + 20 = 30, completion 4+6+3+3+3 = 19.
 */
const TREE = [
  makeNode({ seq: 0, visits: 4, valueSum: 2.5 }),
  makeNode({ seq: 1, parentId: "0", actionKind: "structure", visits: 4, valueSum: 2.5, promptTokens: 10, completionTokens: 4 }),
  makeNode({ seq: 5, parentId: "0", isTerminal: true, code: "c5", reward: 1, completionTokens: 6 }),
  makeNode({ seq: 2, parentId: "1", depth: 2, isTerminal: true, code: "c2", visits: 2, valueSum: 2, reward: 1, promptTokens: 20, completionTokens: 3 }),
  makeNode({ seq: 3, parentId: "1", depth: 2, isTerminal: true, code: "c3", visits: 1, valueSum: 0.5, reward: 0.5, completionTokens: 3 }),
  makeNode({ seq: 4, parentId: "1", depth: 2, isTerminal: true, code: null, visits: 1, valueSum: 0, reward: 0, completionTokens: 3 }),
];
const HIDDEN = new Map([
  ["2", false],
  ["3", true],
  ["5", true],
]);

const OTHER: ProblemOutcome = {
  problemId: "p2",
  finalAnswerPasses: true,
  terminalPasses: [true, false, false],
  promptTokens: 100,
  completionTokens: 50,
  llmCalls: 3,
};

describe("metrics on a known tree", () => {
  it("derives a problem's outcome from its nodes and hidden verdicts", () => {
    expect(outcomeFromTree("p1", TREE, HIDDEN)).toEqual({
      problemId: "p1",
      // Final answer: node 2 (value 1, N=2) beats node 5 (value 1, N=0) on visits; it fails the hidden tests.
      finalAnswerPasses: false,
      // The first sampled terminal, node 2, is also the final answer here.
      firstTerminalPasses: false,
      budgetCurve: expect.any(Array),
      // Terminals in creation order: 2, 3, 4 (no code: fails), 5.
      terminalPasses: [false, true, false, true],
      promptTokens: 30,
      completionTokens: 19,
      llmCalls: 2,
    });
    expect(countLlmCalls(TREE)).toBe(2);
  });

  it("counts a terminal that merged identical samples once per sample (ASPR stays per sampled terminal)", () => {
    const merged = TREE.map((n) => (n.seq === 3 ? { ...n, copies: 2 } : n));
    expect(outcomeFromTree("p1", merged, HIDDEN).terminalPasses).toEqual([false, true, true, false, true]);
  });

  it("computes Pass@1, ASPR, pass@k, tokens and calls over problems (hand-computed)", () => {
    const outcomes = [outcomeFromTree("p1", TREE, HIDDEN), OTHER];
    const summary = summarizeMetrics(outcomes, [1, 2, 3]);
    expect(summary.problems).toBe(2);
    expect(summary.pass1).toBe(0.5); // (0 + 1) / 2
    expect(summary.aspr).toBeCloseTo((2 / 4 + 1 / 3) / 2, 12); // 0.41667
    expect(summary.passAtK[1]).toBeCloseTo((2 / 4 + 1 / 3) / 2, 12); // pass@1 = c/n per problem
    // p1: 1 − C(2,2)/C(4,2) = 5/6; p2: 1 − C(2,2)/C(3,2) = 2/3.
    expect(summary.passAtK[2]).toBeCloseTo((5 / 6 + 2 / 3) / 2, 12);
    expect(summary.passAtK[3]).toBe(1); // n − c < k in both
    expect(summary.promptTokens).toBe(130);
    expect(summary.completionTokens).toBe(69);
    expect(summary.tokensPerProblem).toBe((49 + 150) / 2);
    expect(summary.llmCallsPerProblem).toBe(2.5);
    // pass@1, @3 and @5 unless told otherwise.
    expect(summarizeMetrics(outcomes).passAtK).toEqual({ 1: summary.passAtK[1], 3: 1, 5: 1 });
  });

  it("counts a tree without a final answer or terminals as failing", () => {
    const empty: ProblemOutcome = { ...OTHER, finalAnswerPasses: null, terminalPasses: [] };
    expect(computePass1([empty, OTHER])).toBe(0.5);
    expect(computeAspr([empty])).toBe(0);
    expect(computePassAtK([empty], 1)).toBe(0);
    expect(summarizeMetrics([]).pass1).toBeNull();
  });

  it("insists on a hidden verdict for every terminal that has code", () => {
    expect(() => outcomeFromTree("p1", TREE, new Map([["2", true]]))).toThrow(/node 3 has code but no hidden-test verdict/);
  });

  it("states its definitions, ASPR as our reading of the paper", () => {
    expect(METRIC_DEFINITIONS.aspr).toMatch(/our reading/);
    expect(Object.keys(METRIC_DEFINITIONS).sort()).toEqual([
      "aspr", "challenge", "judging", "llmCalls", "pass1", "pass1FirstTerminal", "passAtK", "plus", "prmTokens", "selection",
      "terminalSuccessAtK", "tokenCurve", "tokens",
    ]);
  });
});

describe("figures that older trees may lack", () => {
  const judged = (first: boolean | null, finalAnswerPasses: boolean | null = true): ProblemOutcome => ({
    ...OTHER,
    finalAnswerPasses,
    firstTerminalPasses: first,
  });

  it("takes Pass@1 of the first sampled terminal over every problem, a tree without terminals failing", () => {
    expect(computePass1FirstTerminal([judged(true), judged(false), judged(null, null)])).toBeCloseTo(1 / 3, 12);
    expect(computePass1FirstTerminal([judged(true), judged(true)])).toBe(1);
    expect(computePass1FirstTerminal([])).toBeNull();
  });

  it("makes first-terminal Pass@1 unknown when a tree with an answer was judged before it was recorded", () => {
    const legacy: ProblemOutcome = { ...OTHER, finalAnswerPasses: false };
    expect(computePass1FirstTerminal([judged(true), legacy])).toBeNull();
    // A failed search without the field has no terminal to record: it counts as unsolved, the figure stays known.
    const failed: ProblemOutcome = { ...OTHER, finalAnswerPasses: null, terminalPasses: [] };
    expect(computePass1FirstTerminal([judged(true), failed])).toBe(0.5);
  });

  it("averages the budget curves, a failed search unsolved at every budget", () => {
    const solved: ProblemOutcome = { ...OTHER, budgetCurve: [[10, false], [30, true]] };
    const failed: ProblemOutcome = { ...OTHER, finalAnswerPasses: null, terminalPasses: [] };
    expect(computeTokenCurve([solved, failed])).toEqual([
      { tokensPerProblem: 10, pass1: 0 },
      { tokensPerProblem: 30, pass1: 0.5 },
    ]);
    expect(summarizeMetrics([solved, failed]).tokenCurve).toEqual(computeTokenCurve([solved, failed]));
  });

  it("leaves the token curve empty when a tree with an answer was judged before curves were recorded", () => {
    const solved: ProblemOutcome = { ...OTHER, budgetCurve: [[10, true]] };
    expect(computeTokenCurve([solved, { ...OTHER }])).toEqual([]);
    expect(computeTokenCurve([{ ...OTHER }, solved])).toEqual([]);
  });

  it("counts PRM tokens apart from the policy's and in the total", () => {
    const a: ProblemOutcome = { ...OTHER, prmPromptTokens: 40, prmCompletionTokens: 8 };
    const b: ProblemOutcome = { ...OTHER, promptTokens: 10, completionTokens: 2, prmPromptTokens: 20 };
    const summary = summarizeMetrics([a, b]);
    expect(summary.prmPromptTokens).toBe(60);
    expect(summary.prmCompletionTokens).toBe(8);
    expect(summary.prmTokensPerProblem).toBe((48 + 20) / 2);
    expect(summary.tokensPerProblem).toBe((150 + 12) / 2);
    expect(summary.totalTokensPerProblem).toBe((150 + 48 + 12 + 20) / 2);
  });

  it("scores challenge and plus tests over the problems that have them only", () => {
    const summary = summarizeMetrics([
      { ...OTHER, challengePasses: true, plusPasses: false },
      { ...OTHER, challengePasses: false, plusPasses: null },
      { ...OTHER, challengePasses: true },
    ]);
    expect(summary.challenge).toEqual({ problems: 3, pass1: 2 / 3 });
    expect(summary.plus).toEqual({ problems: 1, pass1: 0 });
    expect(summarizeMetrics([OTHER, { ...OTHER, plusPasses: null }]).plus).toBeNull();
    expect(summarizeMetrics([OTHER]).challenge).toBeNull();
  });
});

function choose(n: number, k: number): number {
  let result = 1;
  for (let i = 0; i < k; i += 1) result = (result * (n - i)) / (i + 1);
  return result;
}

/** Share of all k-subsets of n samples (c passing) that contain a passing one, by counting. */
function bruteForcePassAtK(n: number, c: number, k: number): number {
  let hits = 0;
  let total = 0;
  for (let mask = 0; mask < 1 << n; mask += 1) {
    let bits = 0;
    for (let i = 0; i < n; i += 1) if (mask & (1 << i)) bits += 1;
    if (bits !== k) continue;
    total += 1;
    if (mask & ((1 << c) - 1)) hits += 1;
  }
  return hits / total;
}

describe("estimatePassAtK", () => {
  it("matches hand values", () => {
    expect(estimatePassAtK(5, 2, 1)).toBeCloseTo(0.4, 12);
    expect(estimatePassAtK(5, 2, 2)).toBeCloseTo(0.7, 12); // 1 − 3/10
    expect(estimatePassAtK(5, 2, 3)).toBeCloseTo(0.9, 12); // 1 − 1/10
    expect(estimatePassAtK(5, 2, 4)).toBe(1);
    expect(estimatePassAtK(5, 0, 3)).toBe(0);
  });

  it("equals counting over all k-subsets", () => {
    for (let n = 1; n <= 8; n += 1) {
      for (let c = 0; c <= n; c += 1) {
        for (let k = 1; k <= n; k += 1) expect(estimatePassAtK(n, c, k)).toBeCloseTo(bruteForcePassAtK(n, c, k), 12);
      }
    }
  });

  it("stays exact where the binomials overflow", () => {
    // 1 − C(197,100)/C(200,100) = 1 − (98·99·100)/(198·199·200).
    expect(estimatePassAtK(200, 3, 100)).toBeCloseTo(1 - (98 * 99 * 100) / (198 * 199 * 200), 12);
    expect(Number.isFinite(choose(2000, 1000))).toBe(false);
    expect(estimatePassAtK(2000, 10, 1000)).toBeCloseTo(1 - 0.5 ** 10, 3);
  });

  it("uses pass@n when there are fewer samples than k", () => {
    expect(estimatePassAtK(2, 1, 5)).toBe(1);
    expect(estimatePassAtK(2, 0, 5)).toBe(0);
    // Every sample passes: the product form would give 1 − (1 − 3/1)(1 − 3/2) = 0 here.
    expect(estimatePassAtK(2, 2, 3)).toBe(1);
    expect(estimatePassAtK(3, 2, 5)).toBe(1);
    expect(estimatePassAtK(0, 0, 1)).toBe(0);
    expect(() => estimatePassAtK(3, 4, 1)).toThrow(/n ≥ c/);
  });

  it("rejects counts that are not whole, negative or a k below 1, naming them", () => {
    expect(() => estimatePassAtK(2.5, 1, 1)).toThrow("got n=2.5, c=1, k=1");
    expect(() => estimatePassAtK(3, 1.5, 1)).toThrow("got n=3, c=1.5, k=1");
    expect(() => estimatePassAtK(3, 1, 1.5)).toThrow("got n=3, c=1, k=1.5");
    expect(() => estimatePassAtK(3, -1, 1)).toThrow("got n=3, c=-1, k=1");
    expect(() => estimatePassAtK(-1, 0, 1)).toThrow("got n=-1, c=0, k=1");
    expect(() => estimatePassAtK(3, 1, 0)).toThrow("got n=3, c=1, k=0");
    expect(estimatePassAtK(3, 1, 1)).toBeCloseTo(1 / 3, 12);
  });
});
