// Public types of the sandbox. Test shapes mirror the database's TestCase (kind / input / expected / atol), with the
// kinds in lower case as stored (`assert`, `stdio`, `call`).

/** How programs are isolated. "unsafe-none" only exists after an explicit opt-in (O1C_SANDBOX=unsafe-no-isolation). */
export type Isolation = "bubblewrap" | "unsafe-none";

export type TestStatus = "pass" | "fail" | "error" | "timeout" | "memory" | "output-limit" | "crash";

/** Python statements run after the solution (and setup code): MBPP asserts, or a HumanEval `check(candidate)`
 * definition followed by `check(entry_point)`. Passes when every statement ran and every assert held. */
export interface AssertTest {
  kind: "assert";
  input: string;
}

/** The whole program runs with `input` on stdin; passes when stdout matches `expected` (see normaliseStdout). */
export interface StdioTest {
  kind: "stdio";
  input: string;
  expected: string;
}

/** Calls the entry point with the JSON array `input` as arguments and compares the return value with `expected`
 * outside the sandbox (see wire-value.ts for the JSON dialect and the comparison). With `expected: null` the test
 * passes when the call returns, and `actual` carries the value, so expected outputs can be computed from a
 * reference solution (EvalPlus plus_input). */
export interface CallTest {
  kind: "call";
  input: string;
  expected: string | null;
  /** Absolute tolerance for float comparison (EvalPlus `atol`); numbers closer than this are equal. */
  atol?: number | null;
}

export type SandboxTest = AssertTest | StdioTest | CallTest;

export interface RunLimits {
  /** Wall-clock limit per test; the solution's top level (plus setup code) gets the same. */
  testTimeoutMs: number;
  /** Wall-clock limit for the whole run, all tests included: the time its jobs spend with a worker (a wait in the
   * pool's queue behind other runs does not count). */
  programTimeoutMs: number;
  /** Tests that may time out before the rest of the run is not run (each hang costs a whole testTimeoutMs). 1 for
   * a search: a program that hangs costs one timeout per run; higher where every test's own outcome matters. */
  timeoutsPerRun: number;
  /** Address-space limit per process (RLIMIT_AS). */
  memoryMb: number;
  /** stdout + stderr per test beyond this marks the test `output-limit`. */
  outputLimitBytes: number;
  /** Largest file a program may write (RLIMIT_FSIZE), also the hard cap on captured stdout/stderr. */
  fileSizeBytes: number;
  /** Size of the program's private /tmp. */
  tmpfsMb: number;
  /** Processes and threads per program (RLIMIT_NPROC inside its own user namespace). */
  maxProcesses: number;
  /** stdout/stderr excerpt kept per test and stream (head and tail). */
  excerptBytes: number;
  /** Bytes of results (return values, messages) a program may report. */
  resultLimitBytes: number;
}

export interface RunRequest {
  /** The solution: a module defining the entry point (assert/call tests) or a script (stdio tests). */
  code: string;
  tests: SandboxTest[];
  /** Run after the solution and before the assert/call tests, in the same namespace (MBPP test_setup_code). */
  setupCode?: string;
  /** Function that call tests invoke. */
  entryPoint?: string;
  limits?: Partial<RunLimits>;
  /** Where the run's jobs queue; default: in arrival order with every other run's. */
  priority?: RunPriority;
}

/**
 * A run started before anything waits on it (a search's terminal, judged while the search goes on) is `background`:
 * its jobs go to a worker only when no other run's job is queued. The caller sets `background` to false once it
 * waits for the result; the run's jobs still queued, and those it queues next, then take their place in line.
 */
export interface RunPriority {
  background: boolean;
  /** Set once nothing will wait for the result (a cancelled tree's judging): the run's jobs not yet with a worker
   * (those queued, and any it would queue next) are not run, and the run fails with RunDroppedError. */
  dropped?: boolean;
}

export interface TestResult {
  status: TestStatus;
  /** Exception type for error/fail (`AssertionError`, `ZeroDivisionError`, ...), or `WrongAnswer`, `Timeout`,
   * `MemoryError`, `OutputLimit`, `Crash`. */
  errorType?: string;
  /** The failing assert with its operands, the exception message, or what went wrong. */
  errorMessage?: string;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** Call tests: the returned value in the wire JSON dialect (wire-value.ts). */
  actual?: string;
}

/** What happened while the solution's top level and the setup code ran (before the first assert/call test). */
export interface SetupResult {
  status: "ok" | Exclude<TestStatus, "pass" | "fail">;
  errorType?: string;
  errorMessage?: string;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface RunResult {
  /** One result per request test, in order. */
  tests: TestResult[];
  passed: number;
  /** Absent when the request had no assert/call tests. */
  setup?: SetupResult;
  /** From the request to the result, waits in the pool's queue included (each test's own time is on the test). */
  durationMs: number;
  isolation: Isolation;
}

export interface CompileResult {
  ok: boolean;
  errorType?: string;
  errorMessage?: string;
  line?: number;
  column?: number;
}

export interface Sandbox {
  readonly isolation: Isolation;
  readonly workers: number;
  run(request: RunRequest): Promise<RunResult>;
  /** Syntax check only (Python's compile()), for the reward's compile term. */
  compiles(code: string): Promise<CompileResult>;
  /** Lets queued and running programs finish, then stops every worker. Later calls to run() reject. */
  close(): Promise<void>;
}
