// One tree's runs of its programs: the search's evaluator (search-visible tests) and the judge of its finished code
// (judging tests) share one sandbox run per distinct program when they can.
//
// Every terminal with code is evaluated during the search and judged after it, so without sharing each distinct
// program runs twice: once on the visible tests, once on every judging test (the visible ones again first). When the
// search's tests are exactly the first tests of the judging run (the usual case: testSource "dataset-visible", whose
// tests are the base suite's visible tests, which the judging run starts with), one run of the judging tests serves
// both:
// - the verdict is that run's, as judgeCode would compute it: the same tests, in the same order, in one run;
// - the search gets the first tests' results only, which are what a run of those tests alone reports: tests run in
//   order and a later test cannot change an earlier one's result (a crash or timeout ends only the tests from it on,
//   the run's time and result budgets are spent in order), so the rest of the run never reaches the search's reward.
//   The one exception is the program's own code running while the drivers' namespace is prepared (a custom __repr__
//   of a value that only a hidden test names); it happens before any test and in the judging run anyway.
// Otherwise (generated tests in the search, or a visible test that is not a base test) the two stay separate runs.
//
// Both are cached per tree by the code's text: within a tree the tests, setup code, entry point and limits are fixed,
// so a program's text determines the whole job, and a repeated program (siblings and cousins often agree) gets the
// outcome of its first run instead of another run. The key is computed here, by the engine, from the node's code:
// the program can influence it only by being different text, and the cached value is the sandbox's own result,
// never anything the program reported about itself. A run that failed (e.g. the sandbox closing) is not remembered.
import type { Sandbox } from "../sandbox/index.ts";
import type { Evaluation, Evaluator } from "../search/index.ts";
import { judgeCode, judgingRunTests, verdictOf, type CodeVerdict, type JudgingTests } from "./judging.ts";
import { createVisibleTestEvaluator, memoizeByCode, runTests, visibleEvaluation, type CodeEvaluation, type ProgramContext, type StoredTest } from "./test-execution.ts";

export interface TreeJudge {
  /** The search's evaluator: scores on the search-visible tests only. */
  evaluate: Evaluator<CodeEvaluation>;
  /**
   * Scores code that will not be judged (sampled label rollouts): from its shared run when it has one, else from a
   * run of the visible tests alone (no hidden tests run for code nobody judges).
   */
  evaluateUnjudged: Evaluator<CodeEvaluation>;
  /** The verdict of finished code on the judging tests. */
  judge(code: string): Promise<CodeVerdict>;
  /** True when one run serves both (see above). */
  readonly sharesRuns: boolean;
}

export function createTreeJudge(sandbox: Sandbox, program: ProgramContext, visibleTests: readonly StoredTest[], judging: JudgingTests): TreeJudge {
  const all = judgingRunTests(judging);
  const visibleOnly = createVisibleTestEvaluator(sandbox, program, visibleTests);
  if (!startsWith(all, visibleTests)) {
    return { evaluate: visibleOnly, evaluateUnjudged: visibleOnly, judge: memoizeByCode((code) => judgeCode(sandbox, program, judging, code)), sharesRuns: false };
  }
  const run = memoizeByCode((code: string) => runTests(sandbox, code, all, program));
  const searched = new Set<string>(); // codes the search evaluated: their shared run is (being) made anyway
  const evaluate = memoizeByCode(async (code: string): Promise<Evaluation<CodeEvaluation>> => {
    searched.add(code);
    return visibleEvaluation(sandbox, code, visibleTests, await run(code));
  });
  return {
    evaluate,
    evaluateUnjudged: (code, options) => (searched.has(code) ? evaluate(code) : visibleOnly(code, options)),
    judge: async (code) => verdictOf(judging, await run(code)),
    sharesRuns: true,
  };
}

/** `prefix` is the first tests of `tests`, and not empty (without visible tests the evaluator only compiles). */
function startsWith(tests: readonly StoredTest[], prefix: readonly StoredTest[]): boolean {
  return prefix.length > 0 && prefix.length <= tests.length && prefix.every((test, i) => tests[i]!.id === test.id);
}
