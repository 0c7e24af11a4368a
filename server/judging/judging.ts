// Which tests judge finished code, and the verdicts they give. The standard verdict of a benchmark is all of its own
// tests, the search-visible ones included (MBPP: the three test_list asserts; a solution that fails the visible
// assert is not correct). Extra test sets are separate, named verdicts: MBPP's challenge_test_list ("challenge") and
// EvalPlus's plus inputs ("plus": base and plus tests, EvalPlus's "base + extra"). Generated tests never judge.
import type { RunPriority, RunResult, Sandbox } from "../sandbox/index.ts";
import { isJudgeable, runTests, toExecutionRecords, topLevelOutput, type ExecutionRecord, type ProgramContext, type StoredTest, type TopLevelOutput } from "./test-execution.ts";

export interface JudgingTest extends StoredTest {
  origin: "DATASET_VISIBLE" | "DATASET_HIDDEN" | "GENERATED";
  suite: "BASE" | "CHALLENGE" | "PLUS";
}

export interface JudgingTests<T extends StoredTest = StoredTest> {
  /** The benchmark's own tests, visible and hidden: they decide correctness (Pass@1, ASPR). */
  base: T[];
  challenge: T[];
  plus: T[];
  /** False when no hidden base test exists: a verdict by tests the search optimised on alone would mean nothing. */
  judged: boolean;
}

export function judgingTests<T extends JudgingTest>(tests: readonly T[]): JudgingTests<T> {
  const dataset = tests.filter((t) => t.origin !== "GENERATED" && isJudgeable(t));
  const base = dataset.filter((t) => t.suite === "BASE");
  return {
    base,
    challenge: dataset.filter((t) => t.suite === "CHALLENGE"),
    plus: dataset.filter((t) => t.suite === "PLUS"),
    judged: base.some((t) => t.origin === "DATASET_HIDDEN"),
  };
}

export interface CodeVerdict {
  /** Passes every base test; null when the problem is not judged. */
  base: boolean | null;
  /** Passes every challenge test; null when the problem has none. */
  challenge: boolean | null;
  /** Passes every base and plus test; null when the problem has no plus test. */
  plus: boolean | null;
  executions: ExecutionRecord[];
  /** What the code printed outside the tests (null when nothing, or when no test ran). */
  topLevel: TopLevelOutput | null;
}

/** Every judging test in the order one judging run runs them: base (visible, then hidden), challenge, plus. */
export function judgingRunTests<T extends StoredTest>(tests: JudgingTests<T>): T[] {
  return [...tests.base, ...tests.challenge, ...tests.plus];
}

/** Runs every judging test once (one sandbox run) and splits the outcomes into the named verdicts. */
export async function judgeCode(
  sandbox: Sandbox,
  program: ProgramContext,
  tests: JudgingTests,
  code: string,
  options: { priority?: RunPriority } = {},
): Promise<CodeVerdict> {
  const all = judgingRunTests(tests);
  if (all.length === 0) return { base: null, challenge: null, plus: null, executions: [], topLevel: null };
  return verdictOf(tests, await runTests(sandbox, code, all, program, options));
}

/** The named verdicts of a run of judgingRunTests(tests). */
export function verdictOf(tests: JudgingTests, result: RunResult): CodeVerdict {
  const executions = toExecutionRecords(judgingRunTests(tests), result);
  const passed = new Set(executions.filter((e) => e.status === "PASS").map((e) => e.testCaseId));
  const passesAll = (set: readonly StoredTest[]) => set.every((t) => passed.has(t.id));
  const base = tests.judged ? passesAll(tests.base) : null;
  return {
    base,
    challenge: tests.challenge.length > 0 ? passesAll(tests.challenge) : null,
    plus: tests.plus.length > 0 ? passesAll(tests.base) && passesAll(tests.plus) : null,
    executions,
    topLevel: topLevelOutput(result),
  };
}
