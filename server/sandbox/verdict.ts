// Turns what a job reported into verdicts. This is the only place a test passes, and it passes only on a positive
// frame carrying the job's nonce (an assert test's `pass`, a call test's value equal to the expected one, a stdio
// program's clean exit with matching stdout). The exit code never decides anything, so a program that calls
// os._exit(0) before its asserts ends as `crash`.
import { AppError } from "../errors.ts";
import { type ExecReport, type JobTest, type OutputSegment, type ProgramFrame, type Termination, type TimedFrame, verifiedFrames } from "./protocol.ts";
import { describeStdoutMismatch } from "./stdout-match.ts";
import type { CompileResult, RunLimits, SetupResult, TestResult, TestStatus } from "./types.ts";
import { parseWireJson, previewWire, type WireValue, wireEqual } from "./wire-value.ts";

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
}

type Terminal = Extract<ProgramFrame, { e: "pass" | "fail" | "error" | "value" }>;

export function interpretTestsReport(
  report: ExecReport,
  nonce: string,
  tests: JobTest[],
  start: number,
  expectations: Map<number, CallExpectation>,
  limits: RunLimits,
): TestsJobOutcome {
  const frames = verifiedFrames(report, nonce);
  assertSandboxWasBuilt(report, frames);
  const setup = setupResult(report, frames, limits);
  const results = new Map<number, TestResult>();
  if (setup.status !== "ok") {
    // The solution (or the setup code) never got to define what the tests need: every remaining test shares its fate.
    const verdict: Verdict = { status: setup.status, errorType: setup.errorType, errorMessage: setup.errorMessage };
    for (const test of tests.slice(start)) results.set(test.index, withOutput(verdict, undefined, 0));
    return { results, setup, resumeAt: null };
  }
  const { starts, terminals, conflicts } = indexTestFrames(frames, new Set(tests.map((test) => test.index)));
  let resumeAt: number | null = null;
  for (let position = start; position < tests.length; position++) {
    const index = tests[position]!.index;
    const output = segmentFor(report.segments, index);
    const startedAt = starts.get(index);
    const terminal = terminals.get(index);
    let verdict: Verdict;
    let durationMs: number;
    if (conflicts.has(index)) {
      verdict = { status: "crash", errorType: "Crash", errorMessage: "the program reported conflicting results for this test" };
      durationMs = 0;
    } else if (terminal && startedAt) {
      verdict = terminalVerdict(terminal.frame as Terminal, expectations.get(index));
      durationMs = (terminal.frame as Terminal).d ?? terminal.at - startedAt.at;
    } else {
      // This test was running (or about to) when the process ended; later tests get a fresh process.
      verdict = terminationVerdict(report.termination, limits);
      durationMs = startedAt ? Math.max(0, report.elapsedMs - startedAt.at) : 0;
      resumeAt = position + 1 < tests.length ? position + 1 : null;
    }
    const value = terminal?.frame.e === "value" ? terminal.frame.v : undefined;
    results.set(index, withOutput(outputLimitVerdict(output, limits) ?? verdict, output, round(durationMs), value));
    if (resumeAt !== null) break;
  }
  return { results, setup, resumeAt };
}

export function interpretStdioReport(report: ExecReport, nonce: string, index: number, expected: string, limits: RunLimits): TestResult {
  const frames = verifiedFrames(report, nonce);
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

export function interpretCompileReport(report: ExecReport, nonce: string, limits: RunLimits): CompileResult {
  const frames = verifiedFrames(report, nonce);
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

function indexTestFrames(frames: TimedFrame[], known: Set<number>) {
  const starts = new Map<number, TimedFrame>();
  const terminals = new Map<number, TimedFrame>();
  const conflicts = new Set<number>();
  for (const timed of frames) {
    const frame = timed.frame;
    if (!("t" in frame) || !known.has(frame.t)) continue;
    if (frame.e === "start") {
      if (!starts.has(frame.t)) starts.set(frame.t, timed);
    } else if (frame.e === "pass" || frame.e === "fail" || frame.e === "error" || frame.e === "value") {
      if (!starts.has(frame.t)) continue; // a result for a test that never started is not one
      if (terminals.has(frame.t)) conflicts.add(frame.t);
      else terminals.set(frame.t, timed);
    }
  }
  return { starts, terminals, conflicts };
}

function terminalVerdict(frame: Terminal, expectation: CallExpectation | undefined): Verdict {
  switch (frame.e) {
    case "pass":
      return { status: "pass" };
    case "fail":
      return { status: "fail", errorType: "AssertionError", errorMessage: frame.message };
    case "error":
      return errorVerdict(frame.type, frame.message, frame.where);
    case "value":
      return compareCallValue(frame.v, expectation);
  }
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
