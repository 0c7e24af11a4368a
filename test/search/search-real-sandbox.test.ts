// Searches whose rewards and hidden verdicts come from the real sandbox (bubblewrap), not a lookup table: the
// production visible-test evaluator scores each terminal's code by running the problem's visible tests, and the hidden
// tests judge the sampled terminals afterwards (issue 18: the search tests replaced the sandbox with a table although
// the real one runs here). Every expected value comes from the toy problems' known solutions: the correct code passes
// every visible and hidden test; the wrong code passes a known share of the visible tests and fails a hidden one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedOpenAiServer, type ScriptedServer } from "../../server/dev-tools/scripted-openai-server.ts";
import { outcomeFromTree, sampledTerminals, summarizeMetrics } from "../../server/evaluation/metrics.ts";
import { createVisibleTestEvaluator, judgeWithHiddenTests, type StoredTest } from "../../server/judging/index.ts";
import { createOpenAiClient } from "../../server/llm/openai-client.ts";
import { createSemaphore } from "../../server/llm/semaphore.ts";
import { createLlmStepPolicy } from "../../server/reasoning/llm-step-policy.ts";
import { pseudocodeMode } from "../../server/reasoning/reasoning-mode.ts";
import { runSearch, type SearchResult } from "../../server/search/run-search.ts";
import { TOY_PROBLEMS, visiblePart, type ToyProblem } from "../fixtures/toy-problems.ts";
import { useSandbox } from "../sandbox/use-sandbox.ts";

const MODEL = "scripted-model";
const ALPHA = 0.2;
const CONFIG = { seed: 5, rollouts: 10, children: 3, maxDepth: 5, alpha: ALPHA };

const asserts = (inputs: readonly string[], prefix: string): StoredTest[] =>
  inputs.map((input, i) => ({ id: `${prefix}${i}`, kind: "ASSERT", input, expected: null, atol: null }));
const programOf = (problem: ToyProblem) => ({ setupCode: "", entryPoint: problem.entryPoint });

/** The reward r = α·compiles + (1 − α)·(visible pass rate) of the two codes the scripted model writes. */
function expectedReward(problem: ToyProblem, code: string | null): number {
  if (code === problem.correctCode) return ALPHA + (1 - ALPHA) * 1;
  if (code === problem.wrongCode) return ALPHA + (1 - ALPHA) * problem.wrongVisiblePassRate;
  throw new Error(`the scripted model wrote neither of ${problem.id}'s solutions: ${code}`);
}

describe("search with the real sandbox as evaluator", () => {
  const sandbox = useSandbox();
  let server: ScriptedServer;
  const results = new Map<string, SearchResult>();

  beforeAll(async () => {
    server = await startScriptedOpenAiServer({ problems: TOY_PROBLEMS, models: [MODEL] });
    for (const problem of TOY_PROBLEMS) {
      const llm = createOpenAiClient({ baseUrl: server.url, model: MODEL, inFlight: createSemaphore(4), maxRetries: 0 });
      const policy = createLlmStepPolicy({ llm, mode: pseudocodeMode, problem: visiblePart(problem) });
      const evaluate = createVisibleTestEvaluator(sandbox(), programOf(problem), asserts(problem.visibleTests, "v"));
      results.set(problem.id, await runSearch(CONFIG, { policy, evaluate }));
    }
  }, 120_000);
  afterAll(() => server?.close());

  it("rewards each terminal by the visible tests its code passes in the sandbox", () => {
    for (const problem of TOY_PROBLEMS) {
      const terminals = results.get(problem.id)!.nodes.filter((n) => n.isTerminal);
      // The scripted model writes both solutions of every problem at this seed, so both rewards are checked.
      expect(new Set(terminals.map((n) => n.code))).toEqual(new Set([problem.correctCode, problem.wrongCode]));
      expect(terminals.map((n) => n.reward)).toEqual(terminals.map((n) => expect.closeTo(expectedReward(problem, n.code), 12)));
    }
  });

  it("judges the sampled terminals on the hidden tests in the sandbox, and Pass@1 counts the trees whose answer passes", async () => {
    const outcomes = [];
    for (const problem of TOY_PROBLEMS) {
      const { nodes } = results.get(problem.id)!;
      const hidden = asserts(problem.hiddenTests, "h");
      const judged: Array<[string, boolean | null]> = [];
      for (const terminal of sampledTerminals(nodes)) judged.push([terminal.id, (await judgeWithHiddenTests(sandbox(), programOf(problem), hidden, terminal.code!)).passes]);
      expect(judged).toEqual(sampledTerminals(nodes).map((n) => [n.id, n.code === problem.correctCode]));
      outcomes.push(outcomeFromTree(problem.id, nodes, new Map(judged.map(([id, passes]) => [id, passes === true]))));
    }
    // The correct code is rewarded above the wrong one, so a tree that sampled it answers with it: Pass@1 is the share
    // of trees that sampled the correct code.
    const sampledCorrect = TOY_PROBLEMS.filter((p) => sampledTerminals(results.get(p.id)!.nodes).some((n) => n.code === p.correctCode));
    expect(summarizeMetrics(outcomes).pass1).toBeCloseTo(sampledCorrect.length / TOY_PROBLEMS.length, 12);
  });
});
