import { describe, expect, it } from "vitest";
import { ValidationError } from "../../server/errors.ts";
import type { Evaluator } from "../../server/search/evaluator.ts";
import { expansionSeed } from "../../server/search/expand-node.ts";
import { resumeSearch, runSearch, type SearchEdges } from "../../server/search/run-search.ts";
import { SearchError } from "../../server/search/search-error.ts";
import type { SearchNode } from "../../server/search/search-node.ts";
import type { SearchObserver } from "../../server/search/search-observer.ts";
import { codeStep, createSeededPolicy, createTablePolicy, thoughtStep } from "../fixtures/scripted-policy.ts";

const scoreByCode: Evaluator = async (code) => {
  if (code.startsWith("good")) return { compiles: true, passRate: 1 };
  if (code.startsWith("half")) return { compiles: true, passRate: 0.5 };
  if (code.startsWith("bad")) return { compiles: true, passRate: 0.25 };
  return { compiles: false, passRate: 0 };
};

/** Root → A, B; A → A1 (passes all), A2 (passes 1/4); B → B1 (passes half), B2 (no code, stopped by max depth 2). */
const HAND_TREE = {
  "": [thoughtStep("A"), thoughtStep("B")],
  A: [codeStep("A1", "good"), codeStep("A2", "bad")],
  B: [codeStep("B1", "half"), thoughtStep("B2")],
};

/** Always the first unexplored child: makes the hand trace independent of the PRNG. */
const firstChoice = () => () => 0;

const summary = (nodes: SearchNode[]) =>
  nodes.map((n) => ({ seq: n.seq, text: n.stepText, N: n.visits, Q: n.valueSum, terminal: n.isTerminal, reward: n.reward }));

describe("identical sibling samples", () => {
  it("are one node that counts its copies, so selection spends no visits on duplicates", async () => {
    const policy = createTablePolicy({
      "": [thoughtStep("A"), thoughtStep("B"), thoughtStep("A")],
      A: [codeStep("A1", "good"), codeStep("A1", "good")],
      B: [codeStep("B1", "bad"), codeStep("B2", "half")],
    });
    const created: SearchNode[] = [];
    const result = await runSearch(
      { seed: 1, rollouts: 3, children: 3, maxDepth: 2, explorationWeight: 2 },
      { policy, evaluate: scoreByCode, random: firstChoice, observer: { onNodeCreated: (node) => void created.push(node) } },
    );
    expect(result.nodes.map((n) => [n.stepText, n.copies])).toEqual([
      ["", 1],
      ["A", 2],
      ["B", 1],
      ["A1", 2],
      ["B1", 1],
      ["B2", 1],
    ]);
    expect(created.map((n) => n.stepText)).toEqual(["", "A", "B", "A1", "B1", "B2"]);
    // The request's tokens are all billed: the merged copy's completion tokens stay with its node.
    const tokens = (nodes: readonly SearchNode[]) => nodes.reduce((sum, n) => sum + n.promptTokens + n.completionTokens, 0);
    expect(tokens(result.nodes)).toBe(3 * (10 + 6));
  });
});

describe("runSearch on a hand-checked tree", () => {
  it("selects, expands, evaluates and backpropagates as traced by hand (c = 2)", async () => {
    const policy = createTablePolicy(HAND_TREE);
    const result = await runSearch(
      { seed: 1, rollouts: 4, children: 2, maxDepth: 2, explorationWeight: 2 },
      { policy, evaluate: scoreByCode, random: firstChoice },
    );
    // Rollout 0: expand root, take A; expand A, take A1 (r = 1).
    // Rollout 1: B is unexplored; expand B, take B1 (r = 0.5).
    // Rollout 2: root N=2; UCT(A) = 1 + 2·sqrt(ln2) = 2.665 > UCT(B) = 0.5 + 1.665 = 2.165 → A; A2 unexplored (r = 0.25).
    // Rollout 3: root N=3; UCT(A) = 1.25/2 + 2·sqrt(ln3/2) = 2.107 < UCT(B) = 0.5 + 2·sqrt(ln3) = 2.596 → B; B2 (r = 0).
    expect(summary(result.nodes)).toEqual([
      { seq: 0, text: "", N: 4, Q: 1.75, terminal: false, reward: null },
      { seq: 1, text: "A", N: 2, Q: 1.25, terminal: false, reward: null },
      { seq: 2, text: "B", N: 2, Q: 0.5, terminal: false, reward: null },
      { seq: 3, text: "A1", N: 1, Q: 1, terminal: true, reward: 1 },
      { seq: 4, text: "A2", N: 1, Q: 0.25, terminal: true, reward: 0.25 },
      { seq: 5, text: "B1", N: 1, Q: 0.5, terminal: true, reward: 0.5 },
      { seq: 6, text: "B2", N: 1, Q: 0, terminal: true, reward: 0 },
    ]);
    expect(result.status).toBe("completed");
    expect(result.rolloutsDone).toBe(4);
    expect(result.finalAnswer?.seq).toBe(3);
    expect(policy.requests.map((r) => ({ steps: r.steps, n: r.n }))).toEqual([
      { steps: [], n: 2 },
      { steps: ["A"], n: 2 },
      { steps: ["B"], n: 2 },
    ]);
  });

  it("exploits only with c = 0, breaking the equal-value tie toward the earlier sibling", async () => {
    const result = await runSearch(
      { seed: 1, rollouts: 4, children: 2, maxDepth: 2, explorationWeight: 0 },
      { policy: createTablePolicy(HAND_TREE), evaluate: scoreByCode, random: firstChoice },
    );
    // Rollouts 0-1 as above. Rollout 2: A (mean 1) over B (0.5); A2 unexplored (r = 0.25).
    // Rollout 3: A mean 1.25/2 = 0.625 > B 0.5 → A; A1 (1) over A2 (0.25) → r = 1.
    expect(summary(result.nodes).map(({ seq, N, Q }) => ({ seq, N, Q }))).toEqual([
      { seq: 0, N: 4, Q: 2.75 },
      { seq: 1, N: 3, Q: 2.25 },
      { seq: 2, N: 1, Q: 0.5 },
      { seq: 3, N: 2, Q: 2 },
      { seq: 4, N: 1, Q: 0.25 },
      { seq: 5, N: 1, Q: 0.5 },
      { seq: 6, N: 0, Q: 0 },
    ]);
  });

  it("resumed under a smaller maxDepth, never grows past it: a thought at the limit ends its rollout with reward 0", async () => {
    // Under maxDepth 3, B2 (a thought at depth 2) is not terminal; HAND_TREE has no children for it.
    const config = { seed: 1, rollouts: 4, children: 2, explorationWeight: 2 };
    const partial = await runSearch({ ...config, rollouts: 2, maxDepth: 3 }, { policy: createTablePolicy(HAND_TREE), evaluate: scoreByCode, random: firstChoice });
    expect(partial.nodes.find((n) => n.stepText === "B2")?.isTerminal).toBe(false);
    const policy = createTablePolicy(HAND_TREE);
    const resumed = await resumeSearch(partial, { ...config, maxDepth: 2 }, { policy, evaluate: scoreByCode, random: firstChoice });
    // Rollouts 2 and 3 as in the hand trace above: A2 (r = 0.25), then B2, which is left unexpanded.
    expect(summary(resumed.nodes).map(({ text, N, Q }) => [text, N, Q])).toEqual([
      ["", 4, 1.75], ["A", 2, 1.25], ["B", 2, 0.5], ["A1", 1, 1], ["A2", 1, 0.25], ["B1", 1, 0.5], ["B2", 1, 0],
    ]);
    expect(policy.requests).toEqual([]);
  });

  it("weighs compiling code with α", async () => {
    const result = await runSearch(
      { seed: 1, rollouts: 1, children: 2, maxDepth: 2, alpha: 0.5 },
      { policy: createTablePolicy(HAND_TREE), evaluate: scoreByCode, random: firstChoice },
    );
    // A1: 0.5·1 + 0.5·1 = 1; A2: 0.5·1 + 0.5·0.25 = 0.625.
    expect(result.nodes.filter((n) => n.isTerminal).map((n) => n.reward)).toEqual([1, 0.625]);
  });

  it("records tokens per node: the prompt on the first sibling, completions split by length", async () => {
    const result = await runSearch(
      { seed: 1, rollouts: 4, children: 2, maxDepth: 2 },
      { policy: createTablePolicy(HAND_TREE, { promptTokens: 10, completionTokens: 6 }), evaluate: scoreByCode, random: firstChoice },
    );
    const tokens = result.nodes.map((n) => [n.promptTokens, n.completionTokens]);
    expect(tokens).toEqual([[0, 0], [10, 3], [0, 3], [10, 3], [0, 3], [10, 3], [0, 3]]);
  });

  it("reports every node, backpropagation and rollout to the observer, in order", async () => {
    const events: string[] = [];
    const observer: SearchObserver = {
      onNodeCreated: (node, evaluation) => void events.push(`node ${node.seq}${evaluation ? ` eval ${evaluation.passRate}` : ""}`),
      onBackpropagated: (path, reward, i) =>
        void events.push(`backprop ${i}: ${path.map((n) => `${n.seq}(${n.visits})`).join(" ")} r=${reward}`),
      onRolloutDone: (i) => void events.push(`done ${i}`),
    };
    await runSearch(
      { seed: 1, rollouts: 2, children: 2, maxDepth: 2 },
      { policy: createTablePolicy(HAND_TREE), evaluate: scoreByCode, random: firstChoice, observer },
    );
    expect(events).toEqual([
      "node 0",
      "node 1",
      "node 2",
      "node 3 eval 1",
      "node 4 eval 0.25",
      "backprop 0: 0(1) 1(1) 3(1) r=1",
      "done 0",
      "node 5 eval 0.5",
      "node 6",
      "backprop 1: 0(2) 2(1) 5(1) r=0.5",
      "done 1",
    ]);
  });
});

describe("runSearch determinism and resume", () => {
  const config = { seed: 7, rollouts: 12, children: 3, maxDepth: 4 };
  const run = (edges: Partial<SearchEdges> = {}, overrides = {}) =>
    runSearch({ ...config, ...overrides }, { policy: createSeededPolicy(), evaluate: scoreByCode, ...edges });

  it("grows the same tree from the same seed, and another from another seed", async () => {
    const [a, b, c] = await Promise.all([run(), run(), run({}, { seed: 8 })]);
    expect(a.nodes.length).toBeGreaterThan(12);
    expect(b).toEqual(a);
    expect(summary(c.nodes)).not.toEqual(summary(a.nodes));
  });

  it("asks the policy for the same seeds from the same search seed", async () => {
    const first = createSeededPolicy();
    const second = createSeededPolicy();
    await run({ policy: first });
    await run({ policy: second });
    expect(second.requests).toEqual(first.requests);
    expect(first.requests[0]?.seed).toBe(expansionSeed(7, 0));
  });

  it("never grows past the maximum depth", async () => {
    const result = await run({}, { maxDepth: 2, rollouts: 15 });
    expect(Math.max(...result.nodes.map((n) => n.depth))).toBe(2);
    expect(result.nodes.filter((n) => n.depth === 2).every((n) => n.isTerminal && n.reward !== null)).toBe(true);
  });

  it("resumed after k rollouts, ends with the tree an uninterrupted search grows", async () => {
    const full = await run();
    let done = 0;
    const partial = await run({ observer: { onRolloutDone: () => void (done += 1) }, shouldStop: () => done >= 5 });
    expect(partial.status).toBe("cancelled");
    expect(partial.rolloutsDone).toBe(5);
    expect(partial.nodes.length).toBeLessThan(full.nodes.length);
    const resumed = await resumeSearch(
      { nodes: [...partial.nodes].reverse(), rolloutsDone: partial.rolloutsDone },
      config,
      { policy: createSeededPolicy(), evaluate: scoreByCode },
    );
    expect(resumed).toEqual(full);
  });

  it("resumed from the nodes persisted before a failure mid-rollout, ends with the uninterrupted tree", async () => {
    // Find, in an uninterrupted run, a policy call that is the second expansion of one rollout (after rollout 2).
    const traced = createSeededPolicy();
    const rolloutOfCall: number[] = [];
    let rollout = 0;
    const full = await run({
      policy: {
        proposeSteps: (request) => {
          rolloutOfCall.push(rollout);
          return traced.proposeSteps(request);
        },
      },
      observer: { onRolloutDone: (i) => void (rollout = i + 1) },
    });
    const failAt = rolloutOfCall.findIndex((r, i) => r >= 2 && rolloutOfCall[i - 1] === r);
    expect(failAt).toBeGreaterThan(0);

    const persisted: SearchNode[] = [];
    let rolloutsDone = 0;
    const healthy = createSeededPolicy();
    let calls = 0;
    const failing = {
      proposeSteps: async (request: Parameters<typeof healthy.proposeSteps>[0]) => {
        if (calls++ === failAt) throw new Error("LLM down");
        return healthy.proposeSteps(request);
      },
    };
    const observer: SearchObserver = {
      onNodeCreated: (node) => void persisted.push(node),
      onBackpropagated: (path) => {
        for (const node of path) persisted[persisted.findIndex((p) => p.id === node.id)] = node;
      },
      onRolloutDone: (i) => void (rolloutsDone = i + 1),
    };
    await expect(run({ policy: failing, observer })).rejects.toThrow("LLM down");
    // The failed rollout had already expanded a fresh node: children exist under a parent never visited.
    expect(persisted.some((n) => n.visits === 0 && persisted.some((c) => c.parentId === n.id))).toBe(true);
    const resumed = await resumeSearch({ nodes: persisted, rolloutsDone }, config, { policy: createSeededPolicy(), evaluate: scoreByCode });
    expect(resumed).toEqual(full);
  });

  it("checks for a stop before every rollout, also one that would reach a terminal without asking the policy", async () => {
    // HAND_TREE traced above: after rollouts 0-1 every node is created; rollout 2 would select A then A2, a terminal.
    let done = 0;
    const policy = createTablePolicy(HAND_TREE);
    const result = await runSearch(
      { seed: 1, rollouts: 4, children: 2, maxDepth: 2, explorationWeight: 2 },
      { policy, evaluate: scoreByCode, random: firstChoice, observer: { onRolloutDone: () => void (done += 1) }, shouldStop: () => done >= 2 },
    );
    expect(result.status).toBe("cancelled");
    expect(result.rolloutsDone).toBe(2);
    expect(summary(result.nodes).map(({ seq, N }) => [seq, N])).toEqual([[0, 2], [1, 1], [2, 1], [3, 1], [4, 0], [5, 1], [6, 0]]);
    expect(policy.requests).toHaveLength(3);
  });

  it("stops between the expansions of a rollout, leaving that rollout's path unvisited", async () => {
    // The stop turns on while the root is expanded: rollout 0 ends before expanding A and backpropagates nothing.
    let stop = false;
    const inner = createTablePolicy(HAND_TREE);
    const policy = {
      proposeSteps: async (request: Parameters<typeof inner.proposeSteps>[0]) => {
        stop = true;
        return inner.proposeSteps(request);
      },
    };
    const backpropagated: number[] = [];
    const result = await runSearch(
      { seed: 1, rollouts: 4, children: 2, maxDepth: 2 },
      { policy, evaluate: scoreByCode, random: firstChoice, shouldStop: () => stop, observer: { onBackpropagated: (_, r) => void backpropagated.push(r) } },
    );
    expect(result.status).toBe("cancelled");
    expect(result.rolloutsDone).toBe(0);
    expect(result.nodes.map((n) => [n.stepText, n.visits])).toEqual([["", 0], ["A", 0], ["B", 0]]);
    expect(backpropagated).toEqual([]);
    expect(inner.requests).toHaveLength(1);
  });

  it("stops at a cancel: the aborted request ends the search as cancelled, not failed", async () => {
    const controller = new AbortController();
    const inner = createSeededPolicy();
    let calls = 0;
    const policy = {
      proposeSteps: async (request: Parameters<typeof inner.proposeSteps>[0]) => {
        calls += 1;
        if (calls === 3) {
          controller.abort(new Error("user cancelled"));
          request.signal?.throwIfAborted();
        }
        return inner.proposeSteps(request);
      },
    };
    const result = await run({ policy, signal: controller.signal });
    expect(result.status).toBe("cancelled");
    expect(calls).toBe(3);
    expect(result.rolloutsDone).toBeLessThan(3);
    expect(result.nodes.every((n) => n.visits <= result.rolloutsDone)).toBe(true);
  });
});

describe("runSearch input checks", () => {
  const edges = { policy: createTablePolicy(HAND_TREE), evaluate: scoreByCode };

  it("rejects out-of-range parameters", async () => {
    await expect(runSearch({ seed: 1, rollouts: 0 }, edges)).rejects.toBeInstanceOf(ValidationError);
    await expect(runSearch({ seed: 1, alpha: 1.5 }, edges)).rejects.toThrow(/search.alpha/);
    await expect(runSearch({ seed: -1 }, edges)).rejects.toThrow(/search.seed/);
  });

  it("fails clearly when the policy proposes nothing", async () => {
    await expect(runSearch({ seed: 1 }, { ...edges, policy: createTablePolicy({ "": [] }) })).rejects.toBeInstanceOf(SearchError);
  });

  it("refuses to resume from nodes that do not form a tree", async () => {
    const { nodes } = await runSearch({ seed: 1, rollouts: 2, children: 2, maxDepth: 2 }, { ...edges, random: firstChoice });
    const orphan = nodes.map((n) => (n.seq === 3 ? { ...n, parentId: "99" } : n));
    await expect(resumeSearch({ nodes: orphan, rolloutsDone: 2 }, { seed: 1 }, edges)).rejects.toThrow(/parent "99"/);
    await expect(resumeSearch({ nodes: nodes.slice(1), rolloutsDone: 2 }, { seed: 1 }, edges)).rejects.toThrow(/root/);
  });

  it("resumes from any whole number of rollouts done, 0 included, and names a bad count", async () => {
    const config = { seed: 1, rollouts: 2, children: 2, maxDepth: 2 };
    const fresh = await runSearch(config, { ...edges, policy: createTablePolicy(HAND_TREE), random: firstChoice });
    const { nodes } = await runSearch({ ...config, rollouts: 1 }, { ...edges, policy: createTablePolicy(HAND_TREE), random: firstChoice });
    const rootOnly = nodes.filter((n) => n.seq === 0).map((n) => ({ ...n, visits: 0, valueSum: 0 }));
    expect(await resumeSearch({ nodes: rootOnly, rolloutsDone: 0 }, config, { ...edges, policy: createTablePolicy(HAND_TREE), random: firstChoice })).toEqual(fresh);
    for (const rolloutsDone of [-1, 1.5]) {
      await expect(resumeSearch({ nodes, rolloutsDone }, config, edges)).rejects.toThrow(
        new ValidationError(`must be an integer ≥ 0, got ${rolloutsDone}`, "search state rolloutsDone"),
      );
    }
  });
});
