// The bridge between stored test cases and the sandbox: the search-visible evaluator that gives rewards, and the
// hidden-test judge that decides whether finished code is correct. Hidden tests reach the sandbox only in judging runs
// (`judgeWithHiddenTests`, judging.ts's `judgeCode`), never in a run whose results the search sees (tree-judge.ts).
import type { ExecutionStatus, TestKind } from "../db/index.ts";
import type { RunLimits, RunPriority, RunResult, Sandbox, SandboxTest, TestStatus } from "../sandbox/index.ts";
import type { Evaluation, Evaluator } from "../search/index.ts";

/** One test run of a node's code, ready to store. */
export interface ExecutionRecord {
  testCaseId: string;
  status: ExecutionStatus;
  errorType?: string | null;
  errorMessage?: string | null;
  stdout?: string | null;
  stderr?: string | null;
  durationMs: number;
}

/** What the code printed outside any test (its top level and the setup code); null fields when it printed nothing. */
export interface TopLevelOutput {
  stdout: string | null;
  stderr: string | null;
}

/** An evaluation's details for storage: each test's execution, and the top-level output (null when none was run). */
export interface CodeEvaluation {
  executions: ExecutionRecord[];
  topLevel: TopLevelOutput | null;
}

export interface StoredTest {
  id: string;
  kind: TestKind;
  input: string;
  expected: string | null;
  atol: number | null;
}

export interface ProgramContext {
  setupCode: string;
  entryPoint: string | null;
  /** The experiment's time limits (server/contracts SandboxLimits); the sandbox's defaults when absent. */
  limits?: Partial<RunLimits>;
}

/** Call tests without an expected value (EvalPlus inputs not yet computed from the reference) cannot judge anything. */
export function isJudgeable(test: StoredTest): boolean {
  return test.kind !== "CALL" || test.expected !== null;
}

export function toSandboxTest(test: StoredTest): SandboxTest {
  switch (test.kind) {
    case "ASSERT":
      return { kind: "assert", input: test.input };
    case "STDIO":
      return { kind: "stdio", input: test.input, expected: test.expected ?? "" };
    case "CALL":
      return { kind: "call", input: test.input, expected: test.expected, atol: test.atol };
  }
}

const STATUS: Record<TestStatus, ExecutionStatus> = {
  pass: "PASS",
  fail: "FAIL",
  error: "ERROR",
  timeout: "TIMEOUT",
  memory: "MEMORY",
  "output-limit": "OUTPUT_LIMIT",
  crash: "CRASH",
};

export function toExecutionRecords(tests: readonly StoredTest[], result: RunResult): ExecutionRecord[] {
  return result.tests.map((r, i) => ({
    testCaseId: tests[i]!.id,
    status: STATUS[r.status],
    errorType: r.errorType ?? null,
    errorMessage: r.errorMessage ?? null,
    stdout: r.stdout || null,
    stderr: r.stderr || null,
    durationMs: r.durationMs,
  }));
}

/** The sandbox keeps head and tail of each stream (its excerpt size), so this is bounded. */
export function topLevelOutput(result: RunResult): TopLevelOutput | null {
  if (!result.setup) return null;
  const { stdout, stderr } = result.setup;
  return stdout || stderr ? { stdout: stdout || null, stderr: stderr || null } : null;
}

/** `priority`: see RunPriority (sandbox): a run started before anything waits on it. */
export async function runTests(sandbox: Sandbox, code: string, tests: readonly StoredTest[], program: ProgramContext, options: { priority?: RunPriority } = {}) {
  return sandbox.run({
    code,
    tests: tests.map(toSandboxTest),
    setupCode: program.setupCode || undefined,
    entryPoint: program.entryPoint ?? undefined,
    limits: program.limits,
    ...(options.priority ? { priority: options.priority } : {}),
  });
}

/**
 * Scores code on the search-visible tests. `compiles` means the module loaded: its top level and the setup code ran
 * without error (a syntax error, or a crash while defining functions, is a compile failure for the α term).
 * Without visible tests the pass rate is 0 (only α·compile can reward).
 */
export function createVisibleTestEvaluator(sandbox: Sandbox, program: ProgramContext, visibleTests: readonly StoredTest[]): Evaluator<CodeEvaluation> {
  return memoizeByCode(async (code) => {
    if (visibleTests.length === 0) {
      const compiled = await sandbox.compiles(code);
      return { compiles: compiled.ok, passRate: 0, details: { executions: [], topLevel: null } };
    }
    return visibleEvaluation(sandbox, code, visibleTests, await runTests(sandbox, code, visibleTests, program));
  });
}

/** The search's evaluation of a run of the search-visible tests (and no other tests: see tree-judge.ts). */
export async function visibleEvaluation(sandbox: Sandbox, code: string, visibleTests: readonly StoredTest[], result: RunResult): Promise<Evaluation<CodeEvaluation>> {
  return {
    compiles: await compilesIn(sandbox, code, result),
    passRate: result.passed / visibleTests.length,
    details: { executions: toExecutionRecords(visibleTests, result), topLevel: topLevelOutput(result) },
  };
}

/**
 * Assert/call tests load the module first, and that setup run says whether it compiled. Stdin/stdout tests run the
 * code as a script with no separate load (no setup result), so a syntax error there would otherwise count as
 * compiling: check it with Python's compile() instead.
 */
async function compilesIn(sandbox: Sandbox, code: string, result: RunResult): Promise<boolean> {
  if (result.setup !== undefined) return result.setup.status === "ok";
  return (await sandbox.compiles(code)).ok;
}

/**
 * Sampled siblings and cousins often write the very same code (easy problems, low temperature, a policy that has
 * converged); within one tree the tests are fixed, so identical code gets the evaluation of its first run instead of
 * another sandbox run. A failed evaluation (e.g. aborted by a cancel) is not remembered.
 */
export function memoizeByCode<R extends unknown[], T>(compute: (code: string, ...rest: R) => Promise<T>): (code: string, ...rest: R) => Promise<T> {
  const known = new Map<string, Promise<T>>();
  return (code, ...rest) => {
    const found = known.get(code);
    if (found) return found;
    const pending = compute(code, ...rest);
    known.set(code, pending);
    pending.catch(() => known.delete(code));
    return pending;
  };
}

export interface HiddenVerdict {
  /** Passes every hidden test. A problem without judgeable hidden tests has no verdict: passes is null. */
  passes: boolean | null;
  executions: ExecutionRecord[];
  topLevel: TopLevelOutput | null;
}

export async function judgeWithHiddenTests(sandbox: Sandbox, program: ProgramContext, hiddenTests: readonly StoredTest[], code: string): Promise<HiddenVerdict> {
  if (hiddenTests.length === 0) return { passes: null, executions: [], topLevel: null };
  const result = await runTests(sandbox, code, hiddenTests, program);
  return { passes: result.passed === hiddenTests.length, executions: toExecutionRecords(hiddenTests, result), topLevel: topLevelOutput(result) };
}
