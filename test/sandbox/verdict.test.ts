// The verdict rules on hand-written reports: what a program's frames plus the judge's answers become. The real
// sandbox produces these reports in run-api.test.ts; here every rule gets a report that only that rule decides, so a
// changed comparison or a dropped branch shows as a wrong status (issue 18: mutation testing).
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../server/sandbox/limits.ts";
import type { ExecReport, JobTest, Judged, OutputSegment, Termination } from "../../server/sandbox/protocol.ts";
import type { RunLimits } from "../../server/sandbox/types.ts";
import {
  decidedAsRecorded,
  interpretCompileReport,
  interpretStdioReport,
  interpretTestsReport,
  judgeRequestFor,
  lostWorkerResult,
  notRunAfterTimeoutResult,
  readTestsReport,
  runTimeLimitResult,
  SandboxFailureError,
  unparsableTestResult,
  type CallExpectation,
} from "../../server/sandbox/verdict.ts";

const LIMITS: RunLimits = { ...DEFAULT_LIMITS, testTimeoutMs: 1000, programTimeoutMs: 5000, outputLimitBytes: 100, excerptBytes: 10 };

function report(frames: Array<[number, object | string]>, termination: Termination = { kind: "finished" }, segments: OutputSegment[] = [], elapsedMs = 50): ExecReport {
  return {
    op: "result",
    id: 1,
    frames: frames.map(([at, frame]) => [at, typeof frame === "string" ? frame : JSON.stringify(frame)]),
    rejectedFrames: 0,
    segments,
    termination,
    elapsedMs,
  };
}

function segment(t: number | null, stdout: string, stderr = ""): OutputSegment {
  return { t, stdout, stderr, stdoutBytes: Buffer.byteLength(stdout), stderrBytes: Buffer.byteLength(stderr) };
}

const SETUP_OK: [number, object] = [1, { e: "setup-ok", d: 1 }];
const callTest = (index: number): JobTest => ({ index, kind: "call", input: "[1]" });
const assertTest = (index: number): JobTest => ({ index, kind: "assert", driver: "f(1)", random: false });
const expect3: CallExpectation = { expected: 3, expectedText: "3", atol: 0 };

function interpret(frames: Array<[number, object | string]>, tests: JobTest[], options: { termination?: Termination; judged?: Map<number, Judged>; expectations?: Map<number, CallExpectation>; segments?: OutputSegment[]; start?: number; elapsedMs?: number } = {}) {
  const reading = readTestsReport(report(frames, options.termination, options.segments, options.elapsedMs), LIMITS);
  const expectations = options.expectations ?? new Map(tests.map((t) => [t.index, expect3]));
  return interpretTestsReport(reading, tests, options.start ?? 0, expectations, options.judged ?? new Map(), LIMITS);
}

describe("stdio tests: exit status 0 and matching stdout, nothing else", () => {
  const stdio = (exitCode: number, stdout = "42\n") =>
    interpretStdioReport(report([[1, { e: "start", t: 0 }], [9, { e: "exit", t: 0, code: exitCode, d: 4 }]], { kind: "finished" }, [segment(0, stdout)]), 0, "42", LIMITS);

  it("passes exit status 0 with matching output and keeps the harness's duration", () => {
    expect(stdio(0)).toEqual({ status: "pass", stdout: "42\n", stderr: "", durationMs: 4 });
  });

  it.each([1, 2, 3, -1, 255])("fails exit status %i even when the output matches", (code) => {
    expect(stdio(code)).toEqual({ status: "error", errorType: "SystemExit", errorMessage: `the program exited with status ${code}`, stdout: "42\n", stderr: "", durationMs: 4 });
  });

  it("fails a clean exit whose stdout differs, naming the line", () => {
    expect(stdio(0, "41\n")).toMatchObject({ status: "fail", errorType: "WrongAnswer", errorMessage: 'line 1: expected "42", got "41"' });
  });

  it("an exception ends as error with where it happened", () => {
    const result = interpretStdioReport(report([[1, { e: "start", t: 0 }], [5, { e: "error", t: 0, type: "ValueError", message: "bad", where: "line 3" }]]), 0, "42", LIMITS);
    expect(result).toMatchObject({ status: "error", errorType: "ValueError", errorMessage: "bad\n  at line 3", durationMs: 4 });
  });

  it("no exit frame: the process's end decides (a kill is a crash, never a pass)", () => {
    const killed = interpretStdioReport(report([[2, { e: "start", t: 0 }]], { kind: "signaled", signal: 9, name: "SIGKILL" }, [segment(0, "42\n")], 30), 0, "42", LIMITS);
    expect(killed).toMatchObject({ status: "crash", errorType: "Crash", errorMessage: "the program was killed by SIGKILL", durationMs: 28 });
  });

  it("keeps a head and tail of a long stdout, and output beyond the limit is output-limit", () => {
    const long = "x".repeat(60);
    const result = interpretStdioReport(report([[1, { e: "start", t: 0 }], [2, { e: "exit", t: 0, code: 0 }]], { kind: "finished" }, [segment(0, long)]), 0, "y", LIMITS);
    expect(result.stdout).toBe(`xxxxx\n[... 50 characters omitted ...]\nxxxxx`);
    expect(result.durationMs).toBe(1);
    const flood = "z".repeat(101);
    const over = interpretStdioReport(report([[1, { e: "start", t: 0 }], [2, { e: "exit", t: 0, code: 0 }]], { kind: "finished" }, [segment(0, flood)]), 0, flood, LIMITS);
    expect(over).toMatchObject({ status: "output-limit", errorType: "OutputLimit", errorMessage: "wrote 101 bytes to stdout/stderr; the limit is 100" });
    const atLimit = interpretStdioReport(report([[1, { e: "start", t: 0 }], [2, { e: "exit", t: 0, code: 0 }]], { kind: "finished" }, [segment(0, "z".repeat(100))]), 0, "z".repeat(100), LIMITS);
    expect(atLimit.status).toBe("pass");
  });
});

describe("stdio tests: edge cases", () => {
  const exitOnly = (frames: Array<[number, object]>, segments: OutputSegment[], expected: string) =>
    interpretStdioReport(report(frames, { kind: "finished" }, segments), 0, expected, LIMITS);

  it("keeps a stdout of exactly the excerpt limit whole, and carries no `actual`", () => {
    const result = exitOnly([[1, { e: "start", t: 0 }], [3, { e: "exit", t: 0, code: 0 }]], [segment(0, "0123456789")], "0123456789");
    expect(result).toStrictEqual({ status: "pass", stdout: "0123456789", stderr: "", durationMs: 2 });
  });

  it("counts stdout and stderr together against the output limit", () => {
    const result = exitOnly([[1, { e: "start", t: 0 }], [2, { e: "exit", t: 0, code: 0 }]], [segment(0, "a".repeat(60), "b".repeat(60))], "a".repeat(60));
    expect(result).toMatchObject({ status: "output-limit", errorMessage: "wrote 120 bytes to stdout/stderr; the limit is 100" });
  });

  it("a program that wrote nothing has empty stdout: passes an empty expectation, fails another", () => {
    expect(exitOnly([[1, { e: "start", t: 0 }], [2, { e: "exit", t: 0, code: 0 }]], [], "")).toStrictEqual({ status: "pass", stdout: "", stderr: "", durationMs: 1 });
    expect(exitOnly([[1, { e: "start", t: 0 }], [2, { e: "exit", t: 0, code: 0 }]], [], "42")).toMatchObject({ status: "fail", errorType: "WrongAnswer" });
  });

  it("measures the duration from the start frame, wherever it is, or from 0 without one", () => {
    const later = exitOnly([[1, { e: "setup-ok" }], [3, { e: "start", t: 0 }], [10, { e: "exit", t: 0, code: 0 }]], [segment(0, "42\n")], "42");
    expect(later.durationMs).toBe(7);
    const none = exitOnly([[10, { e: "exit", t: 0, code: 0 }]], [segment(0, "42\n")], "42");
    expect(none).toMatchObject({ status: "pass", durationMs: 10 });
  });

  it("takes its own output segment, not the last one written", () => {
    const result = interpretStdioReport(report([[1, { e: "start", t: 0 }], [2, { e: "exit", t: 0, code: 0 }]], { kind: "finished" }, [segment(0, "42\n"), segment(null, "setup")]), 0, "42", LIMITS);
    expect(result).toMatchObject({ status: "pass", stdout: "42\n" });
  });
});

describe("call tests", () => {
  it("passes an equal value, fails a different one, and reports the value", () => {
    const frames: Array<[number, object]> = [SETUP_OK, [2, { e: "start", t: 0 }], [5, { e: "value", t: 0, v: "3" }], [6, { e: "start", t: 1 }], [7, { e: "value", t: 1, v: "4", d: 0.5 }]];
    const outcome = interpret(frames, [callTest(0), callTest(1)]);
    expect(outcome.results.get(0)).toEqual({ status: "pass", stdout: "", stderr: "", durationMs: 3, actual: "3" });
    expect(outcome.results.get(1)).toEqual({ status: "fail", errorType: "WrongAnswer", errorMessage: "expected 3, got 4", stdout: "", stderr: "", durationMs: 0.5, actual: "4" });
    expect(outcome).toMatchObject({ resumeAt: null, timedOut: false, setup: { status: "ok" } });
  });

  it("a result for a test that never started is not one: the test ends with the process", () => {
    const outcome = interpret([SETUP_OK, [5, { e: "value", t: 0, v: "3" }]], [callTest(0)], { termination: { kind: "exited", code: 0 } });
    expect(outcome.results.get(0)).toMatchObject({ status: "crash", errorType: "Crash", errorMessage: "the program exited (status 0) before reporting a result" });
    expect(outcome.results.get(0)!.actual).toBeUndefined();
  });

  it("two results for one test are a crash, whatever they say", () => {
    const frames: Array<[number, object]> = [SETUP_OK, [2, { e: "start", t: 0 }], [3, { e: "value", t: 0, v: "3" }], [4, { e: "value", t: 0, v: "3" }]];
    expect(interpret(frames, [callTest(0)]).results.get(0)).toMatchObject({ status: "crash", errorMessage: "the program reported conflicting results for this test", durationMs: 0 });
  });

  it("an unreadable value is a crash; an exception an error; a MemoryError memory; 'done' for a call test a crash", () => {
    const frames: Array<[number, object]> = [
      SETUP_OK,
      [2, { e: "start", t: 0 }], [3, { e: "value", t: 0, v: "{not json" }],
      [4, { e: "start", t: 1 }], [5, { e: "error", t: 1, type: "KeyError", message: "'a'" }],
      [6, { e: "start", t: 2 }], [7, { e: "raised", t: 2, type: "MemoryError", message: "" }],
      [8, { e: "start", t: 3 }], [9, { e: "done", t: 3 }],
    ];
    const outcome = interpret(frames, [callTest(0), callTest(1), callTest(2), callTest(3)]);
    expect(outcome.results.get(0)).toMatchObject({ status: "crash", errorMessage: "the program reported an unreadable return value" });
    expect(outcome.results.get(1)).toMatchObject({ status: "error", errorType: "KeyError", errorMessage: "'a'" });
    expect(outcome.results.get(2)).toMatchObject({ status: "memory", errorType: "MemoryError" });
    expect(outcome.results.get(3)).toMatchObject({ status: "crash", errorMessage: "the program reported no value for this call test" });
  });

  it("expected null passes any value; atol allows a difference up to it", () => {
    const frames: Array<[number, object]> = [SETUP_OK, [2, { e: "start", t: 0 }], [3, { e: "value", t: 0, v: "7" }], [4, { e: "start", t: 1 }], [5, { e: "value", t: 1, v: "3.05" }]];
    const expectations = new Map<number, CallExpectation>([[0, { expected: null, expectedText: null, atol: 0 }], [1, { expected: 3, expectedText: "3", atol: 0.1 }]]);
    const outcome = interpret(frames, [callTest(0), callTest(1)], { expectations });
    expect([outcome.results.get(0)!.status, outcome.results.get(1)!.status]).toEqual(["pass", "pass"]);
  });

  it("a test the process ended in resumes at the next one; the last one resumes nowhere", () => {
    const frames: Array<[number, object]> = [SETUP_OK, [2, { e: "start", t: 0 }], [3, { e: "value", t: 0, v: "3" }], [10, { e: "start", t: 1 }]];
    const killed: Termination = { kind: "signaled", signal: 11, name: "SIGSEGV" };
    const middle = interpret(frames, [callTest(0), callTest(1), callTest(2)], { termination: killed, elapsedMs: 25 });
    expect(middle.results.get(1)).toMatchObject({ status: "crash", errorMessage: "the program was killed by SIGSEGV", durationMs: 15 });
    expect(middle.results.has(2)).toBe(false);
    expect(middle).toMatchObject({ resumeAt: 2, timedOut: false });
    const last = interpret(frames, [callTest(0), callTest(1)], { termination: killed });
    expect(last).toMatchObject({ resumeAt: null, timedOut: false });
  });

  it("a timeout stops the run's testing and says which limit; SIGXCPU is a timeout too", () => {
    const frames: Array<[number, object]> = [SETUP_OK, [2, { e: "start", t: 0 }]];
    const perTest = interpret(frames, [callTest(0), callTest(1)], { termination: { kind: "timeout", scope: "test" } });
    expect(perTest.results.get(0)).toMatchObject({ status: "timeout", errorMessage: "did not finish within the 1000 ms limit per test" });
    expect(perTest).toMatchObject({ timedOut: true, resumeAt: 1 });
    const perRun = interpret(frames, [callTest(0)], { termination: { kind: "timeout", scope: "program" } });
    expect(perRun.results.get(0)).toMatchObject({ status: "timeout", errorMessage: "the run's 5000 ms limit was reached" });
    const cpu = interpret(frames, [callTest(0)], { termination: { kind: "signaled", signal: 24, name: "SIGXCPU" } });
    expect(cpu.results.get(0)).toMatchObject({ status: "timeout", errorMessage: "used up its CPU time limit" });
    const results = interpret(frames, [callTest(0)], { termination: { kind: "result-limit" } });
    expect(results.results.get(0)).toMatchObject({ status: "output-limit", errorMessage: `reported more than ${LIMITS.resultLimitBytes} bytes of results` });
    const finished = interpret(frames, [callTest(0)], { termination: { kind: "finished" } });
    expect(finished.results.get(0)).toMatchObject({ status: "crash", errorMessage: "the program ended without reporting a result for this test" });
  });

  it("starts at `start` and attaches each test's own output segment (the last one for that test)", () => {
    const frames: Array<[number, object]> = [SETUP_OK, [2, { e: "start", t: 1 }], [3, { e: "value", t: 1, v: "3" }]];
    const outcome = interpret(frames, [callTest(0), callTest(1)], { start: 1, segments: [segment(1, "old"), segment(0, "other"), segment(1, "mine", "err")] });
    expect(outcome.results.has(0)).toBe(false);
    expect(outcome.results.get(1)).toMatchObject({ status: "pass", stdout: "mine", stderr: "err" });
  });
});

describe("call tests: frames the program could forge", () => {
  it("a second start frame for a test does not erase the result it already reported", () => {
    const frames: Array<[number, object]> = [SETUP_OK, [2, { e: "start", t: 0 }], [5, { e: "value", t: 0, v: "3" }], [8, { e: "start", t: 0 }]];
    expect(interpret(frames, [callTest(0)]).results.get(0)).toEqual({ status: "pass", stdout: "", stderr: "", durationMs: 3, actual: "3" });
  });

  it("an exit frame inside a tests job is not a test's result: the test ends with the process", () => {
    const frames: Array<[number, object]> = [SETUP_OK, [2, { e: "start", t: 0 }], [5, { e: "exit", t: 0, code: 0 }]];
    expect(interpret(frames, [callTest(0)]).results.get(0)).toMatchObject({ status: "crash", errorMessage: "the program ended without reporting a result for this test" });
  });

  it("attaches the test's own segment even when another test's was written after it", () => {
    const frames: Array<[number, object]> = [SETUP_OK, [2, { e: "start", t: 1 }], [3, { e: "value", t: 1, v: "3" }]];
    const outcome = interpret(frames, [callTest(1)], { segments: [segment(1, "mine"), segment(0, "other")] });
    expect(outcome.results.get(1)).toMatchObject({ status: "pass", stdout: "mine" });
  });
});

describe("assert tests: the judge decides", () => {
  const frames: Array<[number, object]> = [SETUP_OK, [1, { e: "bindings", b: { f: { call: 1 } } }], [2, { e: "start", t: 0 }], [3, { e: "call", t: 0, name: "f", args: "[1]", v: "2" }], [4, { e: "done", t: 0 }]];

  it("asks the judge only for tests that ran to their end, with their calls and bindings", () => {
    const extra: Array<[number, object]> = [[5, { e: "start", t: 1 }], [6, { e: "raised", t: 1, type: "ValueError", message: "x" }], [7, { e: "start", t: 2 }]];
    const reading = readTestsReport(report([...frames, ...extra]), LIMITS);
    const request = judgeRequestFor(reading, new Map([[0, "assert f(1) == 2"], [1, "assert f(2) == 3"], [2, "assert f(3) == 4"], [3, "assert f(4) == 5"]]), 900);
    expect(request).toEqual({
      op: "judge",
      bindings: { f: { call: 1 } },
      tests: [{ index: 0, source: "assert f(1) == 2", calls: [{ e: "call", t: 0, name: "f", args: "[1]", v: "2" }], end: "done" }],
      deadlineMs: 900,
    });
    expect(judgeRequestFor(reading, new Map([[1, "assert f(2) == 3"]]), 900)).toBeNull();
    const failedSetup = readTestsReport(report([[1, { e: "setup-error", type: "NameError", message: "x" }], [2, { e: "start", t: 0 }], [3, { e: "done", t: 0 }]]), LIMITS);
    expect(judgeRequestFor(failedSetup, new Map([[0, "assert True"]]), 900)).toBeNull();
  });

  describe("the verdicts the judge would give for certain (decidedAsRecorded)", () => {
    const FAILED: [string, string] = ["assert f(1) == 2\n  left:  ", "\n  right: 2  (==)"];
    const expectF = new Map([[0, { name: "f", args: "[1]", value: "2", failed: FAILED }]]);
    const reading = (changes: { bindings?: object; call?: object; calls?: object[]; end?: object | null; setup?: object; extra?: Array<[number, object]> } = {}) =>
      readTestsReport(
        report([
          [1, changes.setup ?? { e: "setup-ok" }],
          [1, { e: "bindings", b: changes.bindings ?? { f: { call: 1 } } }],
          [2, { e: "start", t: 0 }],
          ...(changes.calls ?? [{ e: "call", t: 0, name: "f", args: "[1]", v: "2", ...changes.call }]).map((call): [number, object] => [3, call]),
          ...(changes.end === null ? [] : [[4, changes.end ?? { e: "done", t: 0 }] as [number, object]]),
          ...(changes.extra ?? []),
        ]),
        LIMITS,
      );

    it("passes a test whose first recorded call is exactly the expected one, and the judge is not asked about it", () => {
      const passed = decidedAsRecorded(reading(), expectF);
      expect(passed).toEqual(new Map([[0, { t: 0, status: "pass" }]]));
      expect(judgeRequestFor(reading(), new Map([[0, "assert f(1) == 2"]]), 900, passed)).toBeNull();
      // Later calls do not matter (the judge's replay does not consume them either).
      expect(decidedAsRecorded(reading({ calls: [{ e: "call", t: 0, name: "f", args: "[1]", v: "2" }, { e: "call", t: 0, name: "g", args: "[]", v: "0" }] }), expectF).size).toBe(1);
    });

    it.each([
      ["another int", "3", "3"],
      ["a bool for an int it does not equal", "true", "True"],
      ["None", "null", "None"],
      ["a string for the int", '"2"', "'2'"],
      ["a list", "[2]", "[2]"],
      ["a tuple", '{"$tuple":[2]}', "(2,)"],
      ["an int beyond 2^53", "123456789012345678901234567890123456789012345", "123456789012345678...7890123456789012345"],
    ])("fails a test whose first recorded call returned %s, with the judge's message around its repr", (_what, v, shown) => {
      expect(decidedAsRecorded(reading({ call: { v } }), expectF)).toEqual(new Map([[0, { t: 0, status: "fail", message: `${FAILED[0]}${shown}${FAILED[1]}` }]]));
    });

    it("fails a list that is not the expected tuple, and a tuple that is not the expected list", () => {
      const tuple = new Map([[0, { name: "f", args: "[1]", value: '{"$tuple":[1,2]}', failed: FAILED }]]);
      expect(decidedAsRecorded(reading({ call: { v: "[1,2]" } }), tuple).get(0)).toMatchObject({ status: "fail" });
      const list = new Map([[0, { name: "f", args: "[1]", value: "[1,2]", failed: FAILED }]]);
      expect(decidedAsRecorded(reading({ call: { v: '{"$tuple":[1,2]}' } }), list).get(0)).toMatchObject({ status: "fail" });
    });

    it.each([
      ["an equal value in another spelling (True for 1, as Python's == has it)", "true", "1"],
      ["an equal value in another spelling (an int for True)", "1", "true"],
      ["a float, even one that reads as an int here", "3.0", "2"],
      ["an exponent", "2e0", "2"],
      ["-0", "-0", "2"],
      ["text the harness does not write (spaces)", "[1, 2]", "2"],
      ["a dict", '{"a":1}', "2"],
      ["a set", '{"$set":[1]}', "2"],
      ["an $opaque value", '{"$opaque":{"type":"X","repr":"X()","ref":1,"honest":true}}', "2"],
      ["a string beyond ASCII (its repr depends on Python's Unicode tables)", '"\\u00e9"', "2"],
      ["a tuple with a second key", '{"$tuple":[2],"x":1}', "2"],
      ["unreadable text", "[2", "2"],
      ["an int of more digits than Python reads", "9".repeat(4301), "2"],
      // The judge sends only plain expected values; one Node cannot read is still not compared here.
      ["an expected value that is not plain (2 == 2.0 in Python)", "2", "2.0"],
      ["an expected dict", "2", '{"a":1}'],
    ])("leaves a failure to the judge for %s", (_what, v, value) => {
      expect(decidedAsRecorded(reading({ call: { v } }), new Map([[0, { name: "f", args: "[1]", value, failed: FAILED }]])).size).toBe(0);
    });

    it("leaves a failure to the judge without its message (a test with an assert message), or past the judge's 4000 characters", () => {
      expect(decidedAsRecorded(reading({ call: { v: "3" } }), new Map([[0, { name: "f", args: "[1]", value: "2" }]])).size).toBe(0);
      const nearLimit = (extra: number): [string, string] => ["x".repeat(4000 - "3".length - FAILED[1].length + extra), FAILED[1]];
      expect(decidedAsRecorded(reading({ call: { v: "3" } }), new Map([[0, { name: "f", args: "[1]", value: "2", failed: nearLimit(0) }]])).get(0)?.status).toBe("fail");
      expect(decidedAsRecorded(reading({ call: { v: "3" } }), new Map([[0, { name: "f", args: "[1]", value: "2", failed: nearLimit(1) }]])).size).toBe(0);
      // A return value of more than 64 KiB of text goes to the judge too (its quotes count).
      const ofLength = (chars: number) => JSON.stringify("a".repeat(chars - 2));
      expect(decidedAsRecorded(reading({ call: { v: ofLength(64 * 1024 + 1) } }), expectF).size).toBe(0);
      expect(decidedAsRecorded(reading({ call: { v: ofLength(64 * 1024) } }), expectF).get(0)?.status).toBe("fail");
    });

    it.each([
      ["another return value, even an equal one", { call: { v: "2.0" } }],
      ["other arguments", { call: { args: "[2]" } }],
      ["another function", { call: { name: "g" } }],
      ["an exception from the call", { call: { raise: { type: "ValueError", message: "x" } } }],
      ["arguments changed in place", { call: { after: "[[1]]" } }],
      ["no call at all", { calls: [] }],
      ["the name not bound as a callable", { bindings: { f: { v: "2" } } }],
      ["the name not bound at all", { bindings: {} }],
      ["a driver that raised", { end: { e: "raised", t: 0, type: "ValueError", message: "x" } }],
      ["a run cut off inside the test (no end)", { end: null }],
      ["two ends", { extra: [[5, { e: "done", t: 0 }]] as Array<[number, object]> }],
      ["a failed setup", { setup: { e: "setup-error", type: "NameError", message: "x" } }],
      ["no return value recorded", { call: { v: undefined } }],
    ])("leaves a test to the judge with %s", (_why, changes) => {
      expect(decidedAsRecorded(reading(changes), expectF).size).toBe(0);
      // Whatever the call returned: a wrong value is not failed here either.
      const call = (changes as { call?: object }).call ?? {};
      if (!("v" in call)) expect(decidedAsRecorded(reading({ ...changes, call: { ...call, v: "3" } }), expectF).size).toBe(0);
    });

    it("leaves tests without an expectation to the judge, and a name only Object.prototype has is not a binding", () => {
      expect(decidedAsRecorded(reading(), new Map()).size).toBe(0);
      expect(decidedAsRecorded(reading(), new Map([[1, { name: "f", args: "[1]", value: "2" }]])).size).toBe(0);
      const viaPrototype = reading({ bindings: {}, calls: [{ e: "call", t: 0, name: "toString", args: "[1]", v: "2" }] });
      expect(decidedAsRecorded(viaPrototype, new Map([[0, { name: "toString", args: "[1]", value: "2" }]])).size).toBe(0);
    });
  });

  it("does not ask the judge about a test that reported two ends", () => {
    const reading = readTestsReport(report([...frames, [5, { e: "done", t: 0 }]]), LIMITS);
    expect(reading.tests.get(0)!.conflict).toBe(true);
    expect(judgeRequestFor(reading, new Map([[0, "assert f(1) == 2"]]), 900)).toBeNull();
  });

  it("calls after a test's end are not recorded for it", () => {
    const reading = readTestsReport(report([...frames, [5, { e: "call", t: 0, name: "f", args: "[9]", v: "0" }]]), LIMITS);
    expect(reading.tests.get(0)!.calls.map((c) => c.args)).toEqual(["[1]"]);
  });

  it.each([
    [{ status: "pass" }, { status: "pass" }],
    [{ status: "fail", message: "assert 2 == 3" }, { status: "fail", errorType: "AssertionError", errorMessage: "assert 2 == 3" }],
    [{ status: "error", type: "TypeError", message: "bad", where: "test line 1" }, { status: "error", errorType: "TypeError", errorMessage: "bad\n  at test line 1" }],
    [{ status: "timeout" }, { status: "timeout", errorType: "Timeout", errorMessage: "the test's checks did not finish within 1000 ms" }],
    [{ status: "replay", message: "f(2) was never called" }, { status: "fail", errorType: "ReplayMismatch", errorMessage: "f(2) was never called" }],
  ] as Array<[Judged, object]>)("judge answer %o becomes %o", (judged, expected) => {
    const outcome = interpret(frames, [assertTest(0)], { judged: new Map([[0, judged]]) });
    expect(outcome.results.get(0)).toEqual({ ...expected, stdout: "", stderr: "", durationMs: 2 });
  });

  it("an unjudged assert test is a crash; one that raised is an error whatever the judge says", () => {
    expect(interpret(frames, [assertTest(0)]).results.get(0)).toMatchObject({ status: "crash", errorMessage: "the test could not be judged" });
    const raised: Array<[number, object]> = [SETUP_OK, [2, { e: "start", t: 0 }], [4, { e: "raised", t: 0, type: "ZeroDivisionError", message: "division by zero" }]];
    expect(interpret(raised, [assertTest(0)], { judged: new Map([[0, { status: "pass" } as Judged]]) }).results.get(0)).toMatchObject({ status: "error", errorType: "ZeroDivisionError" });
  });
});

describe("setup", () => {
  it("a failing setup gives every remaining test its verdict and is reported with its output", () => {
    const outcome = interpret([[3, { e: "setup-error", type: "NameError", message: "name 'x' is not defined", d: 2 }]], [callTest(0), callTest(1), callTest(2)], { start: 1, segments: [segment(null, "hi", "trace")] });
    expect(outcome.setup).toEqual({ status: "error", errorType: "NameError", errorMessage: "name 'x' is not defined", stdout: "hi", stderr: "trace", durationMs: 2 });
    expect([...outcome.results.keys()]).toEqual([1, 2]);
    expect(outcome.results.get(2)).toEqual({ status: "error", errorType: "NameError", errorMessage: "name 'x' is not defined", stdout: "", stderr: "", durationMs: 0 });
    expect(outcome).toMatchObject({ resumeAt: null, timedOut: false });
  });

  it("a setup that timed out marks the run timed out; one that never reported ends with the process", () => {
    const timedOut = interpret([], [callTest(0)], { termination: { kind: "timeout", scope: "test" }, elapsedMs: 1001 });
    expect(timedOut.setup).toMatchObject({ status: "timeout", durationMs: 1001 });
    expect(timedOut.timedOut).toBe(true);
    const exited = interpret([[4, { e: "setup-ok" }]], [], { segments: [segment(null, "y".repeat(101))] });
    expect(exited.setup).toMatchObject({ status: "output-limit", errorType: "OutputLimit", durationMs: 4 });
  });

  it("a sandbox that could not be built throws instead of judging", () => {
    expect(() => readTestsReport(report([], { kind: "sandbox-error", message: "no userns" }), LIMITS)).toThrow(new SandboxFailureError("the sandbox failed: no userns"));
    expect(() => readTestsReport(report([[0, { e: "sandbox-failed", message: "mount" }]]), LIMITS)).toThrow("the sandbox could not be built for a program: mount");
    expect(() => interpretStdioReport(report([], { kind: "sandbox-error", message: "x" }), 0, "", LIMITS)).toThrow(SandboxFailureError);
  });

  it("a sandbox failure throws even when the program's frames look complete, and wherever its frame is", () => {
    const failed: Termination = { kind: "sandbox-error", message: "no userns" };
    expect(() => readTestsReport(report([SETUP_OK, [2, { e: "start", t: 0 }], [3, { e: "value", t: 0, v: "3" }]], failed), LIMITS)).toThrow(new SandboxFailureError("the sandbox failed: no userns"));
    expect(() => interpretStdioReport(report([[1, { e: "start", t: 0 }], [2, { e: "exit", t: 0, code: 0 }]], failed), 0, "", LIMITS)).toThrow(new SandboxFailureError("the sandbox failed: no userns"));
    expect(() => interpretCompileReport(report([[1, { e: "compiled", ok: true }]], failed), LIMITS)).toThrow(new SandboxFailureError("the sandbox failed: no userns"));
    expect(() => readTestsReport(report([SETUP_OK, [2, { e: "sandbox-failed", message: "mount" }]]), LIMITS)).toThrow("the sandbox could not be built for a program: mount");
  });

  it("finds the setup outcome after other frames", () => {
    const reading = readTestsReport(report([[0, { e: "bindings", b: {} }], [3, { e: "setup-ok" }]]), LIMITS);
    expect(reading.setup).toStrictEqual({ status: "ok", stdout: "", stderr: "", durationMs: 3 });
  });

  it("ignores lines that are not frames", () => {
    const reading = readTestsReport(report([[0, "garbage"], [1, { e: "nonsense" }], SETUP_OK]), LIMITS);
    expect(reading.setup.status).toBe("ok");
  });
});

describe("compile reports and fixed results", () => {
  it("reads compile outcomes", () => {
    expect(interpretCompileReport(report([[1, { e: "compiled", ok: true }]]), LIMITS)).toEqual({ ok: true });
    expect(interpretCompileReport(report([[1, { e: "compiled", ok: false, type: "SyntaxError", message: "bad", line: 2, column: 5 }]]), LIMITS)).toEqual({ ok: false, errorType: "SyntaxError", errorMessage: "bad", line: 2, column: 5 });
    expect(interpretCompileReport(report([[1, { e: "compiled", ok: false, type: "SyntaxError", message: "bad" }]]), LIMITS)).toStrictEqual({ ok: false, errorType: "SyntaxError", errorMessage: "bad" });
    expect(interpretCompileReport(report([[1, { e: "compiled", ok: false, type: "SyntaxError", message: "bad", line: null, column: null }]]), LIMITS)).toStrictEqual({ ok: false, errorType: "SyntaxError", errorMessage: "bad" });
    expect(interpretCompileReport(report([[0, { e: "setup-ok" }], [1, { e: "compiled", ok: true }]]), LIMITS)).toEqual({ ok: true });
    expect(interpretCompileReport(report([], { kind: "signaled", signal: 9, name: "SIGKILL" }), LIMITS)).toEqual({ ok: false, errorType: "Crash", errorMessage: "the program was killed by SIGKILL" });
  });

  it("words the results of tests that never ran", () => {
    expect(notRunAfterTimeoutResult(LIMITS)).toEqual({ status: "timeout", errorType: "Timeout", errorMessage: "not run: an earlier test ran out of time (1000 ms per test; timeoutsPerRun 1)", stdout: "", stderr: "", durationMs: 0 });
    expect(notRunAfterTimeoutResult({ ...LIMITS, timeoutsPerRun: 3 }).errorMessage).toBe("not run: 3 earlier tests ran out of time (1000 ms per test; timeoutsPerRun 3)");
    expect(runTimeLimitResult(LIMITS)).toEqual({ status: "timeout", errorType: "Timeout", errorMessage: "not run: the run's 5000 ms limit was reached", stdout: "", stderr: "", durationMs: 0 });
    expect(lostWorkerResult("gone")).toEqual({ status: "crash", errorType: "Crash", errorMessage: "gone", stdout: "", stderr: "", durationMs: 0 });
    expect(unparsableTestResult({ type: "SyntaxError", message: "bad" })).toEqual({ status: "error", errorType: "SyntaxError", errorMessage: "bad", stdout: "", stderr: "", durationMs: 0 });
  });
});
