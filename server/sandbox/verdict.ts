// Turns what a job reported, and what the judge found, into verdicts. The frames from the program's process are
// data it could have produced anyway (values, recorded calls); a test passes only when a check made outside that
// process says so: an assert test when the judge replayed it to the end with every assert holding and the program's
// run of it completed, a call test when its value equals the expected one (compared here), a stdio test when the
// program exited cleanly with matching stdout. The exit code never decides anything, so a program that calls
// os._exit(0) before its asserts ends as `crash`.
import { AppError } from "../errors.ts";
import {
  type Bindings,
  type CallRecord,
  type ExecReport,
  type JobTest,
  type Judged,
  type JudgeRequest,
  type OutputSegment,
  type ProgramFrame,
  readFrames,
  type RecordedExpectation,
  type Termination,
  type TimedFrame,
} from "./protocol.ts";
import { describeStdoutMismatch } from "./stdout-match.ts";
import type { CompileResult, RunLimits, SetupResult, TestResult, TestStatus } from "./types.ts";
import { parseWireJson, plainValueRepr, plainWireValue, previewWire, type WireValue, wireEqual } from "./wire-value.ts";

/** The sandbox itself failed (not the program): e.g. a namespace could not be created. */
export class SandboxFailureError extends AppError {}

interface Verdict {
  status: TestStatus;
  errorType?: string;
  errorMessage?: string;
}

export interface CallExpectation {
  expected: WireValue | null;
  /** As the caller wrote it, for messages. */
  expectedText: string | null;
  atol: number;
}

export interface TestsJobOutcome {
  results: Map<number, TestResult>;
  setup: SetupResult;
  /** Position in the job's test list to continue from in a fresh process, when a test killed this one. */
  resumeAt: number | null;
  /** The test the process ended on ran out of time (counted against the run's timeoutsPerRun). */
  timedOut: boolean;
}

type Ending = Extract<ProgramFrame, { e: "done" | "raised" | "value" | "error" }>;

/** What the program's process reported about one test. */
interface TestReport {
  start: TimedFrame;
  end?: { at: number; frame: Ending };
  calls: CallRecord[];
  conflict: boolean;
}

/** A tests job's frames, sorted by test. */
export interface TestsReading {
  report: ExecReport;
  setup: SetupResult;
  bindings: Bindings;
  tests: Map<number, TestReport>;
}

export function readTestsReport(report: ExecReport, limits: RunLimits): TestsReading {
  const frames = readFrames(report);
  assertSandboxWasBuilt(report, frames);
  const tests = new Map<number, TestReport>();
  let bindings: Bindings = {};
  for (const timed of frames) {
    const frame = timed.frame;
    if (frame.e === "bindings") bindings = frame.b;
    if (!("t" in frame)) continue;
    const test = tests.get(frame.t);
    if (frame.e === "start") {
      if (!test) tests.set(frame.t, { start: timed, calls: [], conflict: false });
    } else if (!test) {
      continue; // a result for a test that never started is not one
    } else if (frame.e === "call") {
      if (!test.end) test.calls.push(frame);
    } else if (frame.e === "done" || frame.e === "raised" || frame.e === "value" || frame.e === "error") {
      if (test.end) test.conflict = true;
      else test.end = { at: timed.at, frame };
    }
  }
  return { report, setup: setupResult(report, frames, limits), bindings, tests };
}

/** The assert tests the judge has to replay: those whose run in the program's process came to its end. One that
 * raised is an error whatever the judge would find (so test code that failed there, e.g. on memory, is not run
 * again in the judge). */
export function judgeRequestFor(
  reading: TestsReading,
  sources: Map<number, string>,
  deadlineMs: number,
  decided: ReadonlyMap<number, Judged> = new Map(),
): JudgeRequest | null {
  if (reading.setup.status !== "ok") return null;
  const tests: Extract<JudgeRequest, { op: "judge" }>["tests"] = [];
  for (const [index, source] of sources) {
    const test = reading.tests.get(index);
    const end = test?.end?.frame.e;
    if (!test || test.conflict || end !== "done" || decided.has(index)) continue;
    tests.push({ index, source, calls: test.calls, end });
  }
  return tests.length > 0 ? { op: "judge", bindings: reading.bindings, tests, deadlineMs } : null;
}

/** The assert tests whose judge verdict is known without a replay: `assert NAME(literal, ...) == literal` tests
 * (the judge derived their `expect`) whose run came to its end with, as its first recorded call, exactly the call
 * the judge's replay would accept (name, argument key), nothing raised or changed in place, and NAME bound as a
 * recorded callable. The judge's replay would then compare that call's return value with the expected value (see
 * recorded_expectation in judge.py):
 * - the expected value's exact wire text passes (its decoding is the expected value itself);
 * - a plain value (ints, bools, strings, None, lists, tuples, as the harness writes them) that Python's `==` tells
 *   apart from the expected one fails, with the judge's message (`failed`, around the value's repr).
 * Everything else (an equal value in another spelling, True for 1 or 7.0 for 7, a float, a dict, an $opaque value,
 * a repr Node cannot reproduce) goes to the judge. A program that forges its recorded call gains nothing: the judge
 * would replay that same record, and only exact text passes. */
export function decidedAsRecorded(reading: TestsReading, expectations: ReadonlyMap<number, RecordedExpectation>): Map<number, Judged> {
  const decided = new Map<number, Judged>();
  if (reading.setup.status !== "ok") return decided;
  for (const [index, expect] of expectations) {
    const test = reading.tests.get(index);
    if (!test || test.conflict || test.end?.frame.e !== "done" || !boundAsCallable(reading.bindings, expect.name)) continue;
    const call = test.calls[0];
    if (!call || call.name !== expect.name || call.args !== expect.args || call.raise !== undefined || call.after !== undefined || call.v === undefined) continue;
    if (call.v === expect.value) {
      decided.set(index, { t: index, status: "pass" });
      continue;
    }
    const message = expect.failed ? failedAssertMessage(call.v, expect.value, expect.failed) : null;
    if (message !== null) decided.set(index, { t: index, status: "fail", message });
  }
  return decided;
}

/** The judge's limit on an assert's message (ASSERT_MESSAGE_LIMIT in judge.py); a longer one is left to it. */
const ASSERT_MESSAGE_LIMIT = 4000;
/** Larger return values are left to the judge, whose replay of them is bounded in time and memory. */
const RETURNED_TEXT_LIMIT = 64 * 1024;

/** The judge's message for the assert failing on `returned`, or null when Node cannot be sure there is one. */
function failedAssertMessage(returned: string, expectedText: string, [head, tail]: [string, string]): string | null {
  if (returned.length > RETURNED_TEXT_LIMIT) return null;
  const actual = plainWireValue(returned);
  const expected = plainWireValue(expectedText);
  if (actual === undefined || expected === undefined || wireEqual(actual, expected)) return null;
  const shown = plainValueRepr(actual);
  if (shown === null) return null;
  const message = head + shown + tail;
  return message.length <= ASSERT_MESSAGE_LIMIT ? message : null; // (UTF-16 units: never fewer than Python's characters)
}

/** As the judge binds names: only the program's own report of the name counts (not Object.prototype's `toString`).
 * The frame's schema (protocol.ts) admits `call` only as 1. */
function boundAsCallable(bindings: Bindings, name: string): boolean {
  return Object.hasOwn(bindings, name) && "call" in bindings[name]!;
}

export function interpretTestsReport(
  reading: TestsReading,
  tests: JobTest[],
  start: number,
  expectations: Map<number, CallExpectation>,
  judged: Map<number, Judged>,
  limits: RunLimits,
): TestsJobOutcome {
  const { report, setup } = reading;
  const results = new Map<number, TestResult>();
  if (setup.status !== "ok") {
    // The solution (or the setup code) never got to define what the tests need: every remaining test shares its fate.
    const verdict: Verdict = { status: setup.status, errorType: setup.errorType, errorMessage: setup.errorMessage };
    for (const test of tests.slice(start)) results.set(test.index, withOutput(verdict, undefined, 0));
    return { results, setup, resumeAt: null, timedOut: setup.status === "timeout" };
  }
  let resumeAt: number | null = null;
  let timedOut = false;
  for (let position = start; position < tests.length; position++) {
    const test = tests[position]!;
    const output = segmentFor(report.segments, test.index);
    const reported = reading.tests.get(test.index);
    let verdict: Verdict;
    let durationMs: number;
    if (reported?.conflict) {
      verdict = { status: "crash", errorType: "Crash", errorMessage: "the program reported conflicting results for this test" };
      durationMs = 0;
    } else if (reported?.end) {
      const ending = reported.end.frame;
      verdict = test.kind === "assert" ? assertVerdict(ending, judged.get(test.index), limits) : callVerdict(ending, expectations.get(test.index));
      durationMs = ending.d ?? reported.end.at - reported.start.at;
    } else {
      // This test was running (or about to) when the process ended; later tests get a fresh process (unless the
      // run has used up its timeouts: the caller decides).
      verdict = terminationVerdict(report.termination, limits);
      durationMs = reported ? Math.max(0, report.elapsedMs - reported.start.at) : 0;
      timedOut = verdict.status === "timeout";
      resumeAt = position + 1 < tests.length ? position + 1 : null;
    }
    const value = reported?.end?.frame.e === "value" ? reported.end.frame.v : undefined;
    results.set(test.index, withOutput(outputLimitVerdict(output, limits) ?? verdict, output, round(durationMs), value));
    if (resumeAt !== null || timedOut) break;
  }
  return { results, setup, resumeAt, timedOut };
}

function assertVerdict(ending: Ending, judged: Judged | undefined, limits: RunLimits): Verdict {
  const raised = ending.e === "raised" ? errorVerdict(ending.type, ending.message, ending.where) : null;
  if (raised) return raised;
  if (!judged) return { status: "crash", errorType: "Crash", errorMessage: "the test could not be judged" };
  switch (judged.status) {
    case "pass":
      return { status: "pass" };
    case "fail":
      return { status: "fail", errorType: "AssertionError", errorMessage: judged.message };
    case "error":
      return errorVerdict(judged.type, judged.message, judged.where);
    case "timeout":
      return { status: "timeout", errorType: "Timeout", errorMessage: `the test's checks did not finish within ${limits.testTimeoutMs} ms` };
    case "replay":
      // The judge's run of the test needed calls the program's run did not make (or made differently).
      return { status: "fail", errorType: "ReplayMismatch", errorMessage: judged.message };
  }
}

function callVerdict(ending: Ending, expectation: CallExpectation | undefined): Verdict {
  if (ending.e === "value") return compareCallValue(ending.v, expectation);
  if (ending.e === "error" || ending.e === "raised") return errorVerdict(ending.type, ending.message, ending.where);
  return { status: "crash", errorType: "Crash", errorMessage: "the program reported no value for this call test" };
}

export function interpretStdioReport(report: ExecReport, index: number, expected: string, limits: RunLimits): TestResult {
  const frames = readFrames(report);
  assertSandboxWasBuilt(report, frames);
  const output = segmentFor(report.segments, index);
  const startedAt = frames.find((f) => f.frame.e === "start")?.at ?? 0;
  const ending = frames.find((f) => f.frame.e === "exit" || f.frame.e === "error");
  let verdict: Verdict;
  if (!ending) verdict = terminationVerdict(report.termination, limits);
  else if (ending.frame.e === "error") verdict = errorVerdict(ending.frame.type, ending.frame.message, ending.frame.where);
  else if (ending.frame.e === "exit" && ending.frame.code !== 0) {
    verdict = { status: "error", errorType: "SystemExit", errorMessage: `the program exited with status ${ending.frame.code}` };
  } else {
    const mismatch = describeStdoutMismatch(output?.stdout ?? "", expected);
    verdict = mismatch === null ? { status: "pass" } : { status: "fail", errorType: "WrongAnswer", errorMessage: mismatch };
  }
  const took = ending && "d" in ending.frame ? ending.frame.d : undefined;
  const durationMs = took ?? (ending?.at ?? report.elapsedMs) - startedAt;
  return withOutput(outputLimitVerdict(output, limits) ?? verdict, output, round(durationMs), undefined, limits.excerptBytes);
}

export function interpretCompileReport(report: ExecReport, limits: RunLimits): CompileResult {
  const frames = readFrames(report);
  assertSandboxWasBuilt(report, frames);
  const compiled = frames.find((f) => f.frame.e === "compiled")?.frame;
  if (compiled?.e !== "compiled") {
    const verdict = terminationVerdict(report.termination, limits);
    return { ok: false, errorType: verdict.errorType, errorMessage: verdict.errorMessage };
  }
  if (compiled.ok) return { ok: true };
  return {
    ok: false,
    errorType: compiled.type,
    errorMessage: compiled.message,
    ...(compiled.line != null ? { line: compiled.line } : {}),
    ...(compiled.column != null ? { column: compiled.column } : {}),
  };
}

/** Verdict for tests that never ran because an earlier test of the run timed out. */
export function notRunAfterTimeoutResult(limits: RunLimits): TestResult {
  return {
    status: "timeout",
    errorType: "Timeout",
    errorMessage: `not run: ${limits.timeoutsPerRun === 1 ? "an earlier test" : `${limits.timeoutsPerRun} earlier tests`} ran out of time (${limits.testTimeoutMs} ms per test; timeoutsPerRun ${limits.timeoutsPerRun})`,
    stdout: "",
    stderr: "",
    durationMs: 0,
  };
}

/** An assert test the judge could not turn into a driver (its own syntax error): decided without running. */
export function unparsableTestResult(error: { type: string; message: string; where?: string }): TestResult {
  return { ...errorVerdict(error.type, error.message, error.where), stdout: "", stderr: "", durationMs: 0 };
}

/** Verdict for tests that never ran because the run's time was used up. */
export function runTimeLimitResult(limits: RunLimits): TestResult {
  return {
    status: "timeout",
    errorType: "Timeout",
    errorMessage: `not run: the run's ${limits.programTimeoutMs} ms limit was reached`,
    stdout: "",
    stderr: "",
    durationMs: 0,
  };
}

export function lostWorkerResult(message: string): TestResult {
  return { status: "crash", errorType: "Crash", errorMessage: message, stdout: "", stderr: "", durationMs: 0 };
}

// ---------------------------------------------------------------------------------------------------------------

function assertSandboxWasBuilt(report: ExecReport, frames: TimedFrame[]): void {
  if (report.termination.kind === "sandbox-error") throw new SandboxFailureError(`the sandbox failed: ${report.termination.message}`);
  const failed = frames.find((f) => f.frame.e === "sandbox-failed");
  if (failed?.frame.e === "sandbox-failed") throw new SandboxFailureError(`the sandbox could not be built for a program: ${failed.frame.message}`);
}

function setupResult(report: ExecReport, frames: TimedFrame[], limits: RunLimits): SetupResult {
  const output = segmentFor(report.segments, null);
  const outcome = frames.find((f) => f.frame.e === "setup-ok" || f.frame.e === "setup-error");
  let verdict: Verdict;
  if (outcome?.frame.e === "setup-ok") verdict = { status: "pass" };
  else if (outcome?.frame.e === "setup-error") verdict = errorVerdict(outcome.frame.type, outcome.frame.message, outcome.frame.where);
  else verdict = terminationVerdict(report.termination, limits);
  verdict = outputLimitVerdict(output, limits) ?? verdict;
  const status = verdict.status === "pass" ? "ok" : verdict.status === "fail" ? "error" : verdict.status;
  return {
    status,
    ...(verdict.errorType ? { errorType: verdict.errorType } : {}),
    ...(verdict.errorMessage ? { errorMessage: verdict.errorMessage } : {}),
    stdout: output?.stdout ?? "",
    stderr: output?.stderr ?? "",
    durationMs: round(outcome && "d" in outcome.frame && outcome.frame.d !== undefined ? outcome.frame.d : (outcome?.at ?? report.elapsedMs)),
  };
}

function compareCallValue(actualText: string, expectation: CallExpectation | undefined): Verdict {
  let actual: WireValue;
  try {
    actual = parseWireJson(actualText);
  } catch {
    return { status: "crash", errorType: "Crash", errorMessage: "the program reported an unreadable return value" };
  }
  if (!expectation || expectation.expected === null) return { status: "pass" };
  if (wireEqual(actual, expectation.expected, expectation.atol)) return { status: "pass" };
  return {
    status: "fail",
    errorType: "WrongAnswer",
    errorMessage: `expected ${previewWire(expectation.expectedText ?? "null")}, got ${previewWire(actualText)}`,
  };
}

function errorVerdict(type: string, message: string, where: string | undefined): Verdict {
  const full = where ? `${message}\n  at ${where}` : message;
  return { status: type === "MemoryError" ? "memory" : "error", errorType: type, errorMessage: full };
}

function terminationVerdict(termination: Termination, limits: RunLimits): Verdict {
  switch (termination.kind) {
    case "timeout":
      return {
        status: "timeout",
        errorType: "Timeout",
        errorMessage:
          termination.scope === "test"
            ? `did not finish within the ${limits.testTimeoutMs} ms limit per test`
            : `the run's ${limits.programTimeoutMs} ms limit was reached`,
      };
    case "result-limit":
      return { status: "output-limit", errorType: "OutputLimit", errorMessage: `reported more than ${limits.resultLimitBytes} bytes of results` };
    case "signaled":
      if (termination.name === "SIGXCPU") return { status: "timeout", errorType: "Timeout", errorMessage: "used up its CPU time limit" };
      return { status: "crash", errorType: "Crash", errorMessage: `the program was killed by ${termination.name}` };
    case "exited":
      return { status: "crash", errorType: "Crash", errorMessage: `the program exited (status ${termination.code}) before reporting a result` };
    case "finished":
      return { status: "crash", errorType: "Crash", errorMessage: "the program ended without reporting a result for this test" };
    case "sandbox-error":
      throw new SandboxFailureError(`the sandbox failed: ${termination.message}`);
  }
}

function outputLimitVerdict(output: OutputSegment | undefined, limits: RunLimits): Verdict | null {
  if (!output) return null;
  const written = output.stdoutBytes + output.stderrBytes;
  if (written <= limits.outputLimitBytes) return null;
  return { status: "output-limit", errorType: "OutputLimit", errorMessage: `wrote ${written} bytes to stdout/stderr; the limit is ${limits.outputLimitBytes}` };
}

function segmentFor(segments: OutputSegment[], test: number | null): OutputSegment | undefined {
  for (let i = segments.length - 1; i >= 0; i--) if (segments[i]!.t === test) return segments[i];
  return undefined;
}

function withOutput(verdict: Verdict, output: OutputSegment | undefined, durationMs: number, actual?: string, stdoutLimit?: number): TestResult {
  const stdout = output?.stdout ?? "";
  return {
    status: verdict.status,
    ...(verdict.errorType ? { errorType: verdict.errorType } : {}),
    ...(verdict.errorMessage ? { errorMessage: verdict.errorMessage } : {}),
    stdout: stdoutLimit !== undefined ? excerpt(stdout, stdoutLimit) : stdout,
    stderr: output?.stderr ?? "",
    durationMs,
    ...(actual !== undefined ? { actual } : {}),
  };
}

/** stdio tests carry their whole stdout for the comparison; the result keeps a head and tail like other tests. */
function excerpt(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const half = Math.floor(limit / 2);
  return `${text.slice(0, half)}\n[... ${text.length - 2 * half} characters omitted ...]\n${text.slice(-half)}`;
}

function round(ms: number): number {
  return Math.round(Math.max(0, ms) * 1000) / 1000;
}
