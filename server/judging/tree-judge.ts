// One tree's runs of its programs: the search's evaluator (search-visible tests) and the judge of its finished code
// (judging tests).
//
// The search's evaluations are cached per tree by the code's text (the judge is asked once per distinct code, by
// run-tree's judgeTerminals): within a tree the tests, setup code, entry point and limits are fixed, so a program's
// text determines the whole job, and a repeated program (siblings and cousins often agree) gets the outcome of its
// first run instead of another run. The key is computed here, by the engine, from the node's code:
// the program can influence it only by being different text, and the cached value is the sandbox's own result,
// never anything the program reported about itself. A run that failed (e.g. the sandbox closing) is not remembered.
//
// The search and the judge share one run only when the judging tests are exactly the search's tests. A run that also
// held hidden tests would serve both with one run fewer, but every test's driver (its call and inputs; the expected
// values stay in the judge process) is in the program's process for the whole run, so a program that read the hidden
// ones could make its visible results depend on them, and the search's reward, and so the tree, would carry
// hidden-test information (test/judging/tree-judge.test.ts has such a program). A run whose results the search sees
// never holds a test the model must not see.
//
// A terminal's code can be judged as soon as the search makes it (judgeSoon), as a background run (sandbox
// RunPriority: it waits while any other run's job does, so the runs trees wait on go first): sandbox time no run
// needed goes to judging, the final judging then costs a tree's end little, and an experiment's judging runs spread
// over its search instead of coming in a burst as a wave of trees finishes. When judge() asks for a verdict still
// pending, its run stops being background (a tree waits on it now). The verdict goes nowhere but to judge(), which
// run-tree calls once the search is over; the search never sees it.
import type { RunPriority, Sandbox } from "../sandbox/index.ts";
import type { Evaluation, Evaluator } from "../search/index.ts";
import { judgeCode, judgingRunTests, verdictOf, type CodeVerdict, type JudgingTests } from "./judging.ts";
import { createVisibleTestEvaluator, memoizeByCode, runTests, visibleEvaluation, type CodeEvaluation, type ProgramContext, type StoredTest } from "./test-execution.ts";

export interface TreeJudge {
  /** The search's evaluator (also the sampled label rollouts'): scores on the search-visible tests only. */
  evaluate: Evaluator<CodeEvaluation>;
  /** The verdict of finished code on the judging tests (the run judgeSoon started, if it did). */
  judge(code: string): Promise<CodeVerdict>;
  /** Starts judging code now, for a later judge(code). A failed run is not remembered: judge() runs it again. */
  judgeSoon(code: string): void;
  /** No judge() will come: the early runs not yet started are dropped. */
  abandon(): void;
  /** True when one run serves both (see above). */
  readonly sharesRuns: boolean;
}

export function createTreeJudge(sandbox: Sandbox, program: ProgramContext, visibleTests: readonly StoredTest[], judging: JudgingTests): TreeJudge {
  const all = judgingRunTests(judging);
  const visibleOnly = createVisibleTestEvaluator(sandbox, program, visibleTests);
  if (!sameTests(all, visibleTests)) {
    return { evaluate: visibleOnly, ...judgeAhead((code, priority) => judgeCode(sandbox, program, judging, code, { priority })), sharesRuns: false };
  }
  const run = memoizeByCode((code: string) => runTests(sandbox, code, all, program));
  const evaluate = memoizeByCode(async (code: string): Promise<Evaluation<CodeEvaluation>> => visibleEvaluation(sandbox, code, visibleTests, await run(code)));
  // The search's own run of the code is the judging run: nothing to start early.
  return { evaluate, judge: async (code) => verdictOf(judging, await run(code)), judgeSoon: () => {}, abandon: () => {}, sharesRuns: true };
}

/** judge and judgeSoon over `run`, one run per distinct code (a run that failed is forgotten, and run again if asked). */
function judgeAhead(run: (code: string, priority: RunPriority) => Promise<CodeVerdict>): Pick<TreeJudge, "judge" | "judgeSoon" | "abandon"> {
  const known = new Map<string, { verdict: Promise<CodeVerdict>; priority: RunPriority }>();
  const start = (code: string, background: boolean) => {
    const priority = { background };
    const verdict = run(code, priority);
    known.set(code, { verdict, priority });
    verdict.catch(() => {
      if (known.get(code)?.verdict === verdict) known.delete(code);
    });
    return verdict;
  };
  return {
    judge(code) {
      const started = known.get(code);
      if (!started) return start(code, false);
      started.priority.background = false;
      // An early run that fails is run again now (not only once its failure has been forgotten).
      return started.verdict.catch(() => start(code, false));
    },
    judgeSoon(code) {
      if (!known.has(code)) start(code, true).catch(() => {});
    },
    abandon() {
      for (const { priority } of known.values()) if (priority.background) priority.dropped = true;
    },
  };
}

/** The same tests in the same order, and not none (without visible tests the evaluator only compiles). */
function sameTests(tests: readonly StoredTest[], visible: readonly StoredTest[]): boolean {
  return visible.length > 0 && visible.length === tests.length && visible.every((test, i) => tests[i]!.id === test.id);
}
