// Messages between Node and a worker's two processes, the forkserver (forkserver.py) and the judge (judge.py), and
// the frames a program's harness reports. Everything that comes back is validated here: the forkserver runs next to
// untrusted code, and the frames come from inside it (they are data only: values and recorded calls).
import { z } from "zod";

/** Limits as the forkserver applies them to one job (one forked program). */
export interface ExecLimits {
  testTimeoutMs: number;
  /** Wall-clock budget of this job: what is left of the run's programTimeoutMs. */
  deadlineMs: number;
  cpuSeconds: number;
  memoryBytes: number;
  fileSizeBytes: number;
  maxProcesses: number;
  tmpfsBytes: number;
  outputLimitBytes: number;
  resultLimitBytes: number;
  excerptBytes: number;
}

/** A test as the program's process gets it: a call test's arguments, or an assert test's driver (never the full
 * assert test: see judge.py). Frames refer to tests by `index`, their position in the caller's list. */
export type JobTest = { index: number; kind: "call"; input: string } | { index: number; kind: "assert"; driver: string; random: boolean };

export type Job =
  | {
      kind: "tests";
      solution: string;
      setup: string;
      entryPoint: string | null;
      start: number;
      tests: JobTest[];
      /** Names the assert tests use: those the solution defines are recorded (callables) or reported (values). */
      names: string[];
    }
  | { kind: "stdio"; solution: string; stdin: string; index: number }
  | { kind: "compile"; code: string };

export interface ExecRequest {
  job: Job;
  limits: ExecLimits;
}

const terminationSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("exited"), code: z.number().int() }),
  // The harness reported its end (every result is in); the process was left to exit without being waited for.
  z.object({ kind: z.literal("finished") }),
  z.object({ kind: z.literal("signaled"), signal: z.number().int(), name: z.string() }),
  z.object({ kind: z.literal("timeout"), scope: z.enum(["test", "program"]) }),
  z.object({ kind: z.literal("result-limit") }),
  z.object({ kind: z.literal("sandbox-error"), message: z.string() }),
]);
export type Termination = z.infer<typeof terminationSchema>;

const segmentSchema = z.object({
  t: z.number().int().nullable(),
  stdout: z.string(),
  stderr: z.string(),
  stdoutBytes: z.number().int().nonnegative(),
  stderrBytes: z.number().int().nonnegative(),
});
export type OutputSegment = z.infer<typeof segmentSchema>;

export const execReportSchema = z.object({
  op: z.literal("result"),
  id: z.number().int(),
  /** [milliseconds since the job started, one JSON line as written to the result pipe, by the harness or by the
   * program]; readFrames() parses and validates it. */
  frames: z.array(z.tuple([z.number(), z.string()])),
  rejectedFrames: z.number().int().nonnegative(),
  segments: z.array(segmentSchema),
  termination: terminationSchema,
  elapsedMs: z.number(),
});
export type ExecReport = z.infer<typeof execReportSchema>;

export const helloSchema = z.object({
  op: z.literal("hello"),
  pid: z.number().int(),
  mode: z.enum(["isolated", "none"]),
  /** How children enter their namespaces: "clone" (one step), "unshare" (fallback, one extra process), "fork". */
  strategy: z.string().nullable(),
  python: z.string(),
  error: z.string().nullable(),
});
export type Hello = z.infer<typeof helloSchema>;

export const forkserverErrorSchema = z.object({ op: z.literal("error"), id: z.number().int().nullable(), message: z.string() });

const index = z.number().int().nonnegative();
/** Milliseconds the phase took, measured by the harness (informational only; never part of a verdict). */
const took = z.number().nonnegative().optional();
const errorFields = { type: z.string(), message: z.string(), where: z.string().optional(), d: took };

const wireText = z.string();

/** Frames written inside the program's process, by the harness or by the program pretending to be it: so none of
 * them is a verdict, only what the program could have produced anyway (values it returned, calls it made). */
export const programFrameSchema = z.discriminatedUnion("e", [
  // Written by the child when it could not build its sandbox, before any program code ran.
  z.object({ e: z.literal("sandbox-failed"), message: z.string() }),
  z.object({ e: z.literal("setup-ok"), d: took }),
  z.object({ e: z.literal("setup-error"), ...errorFields }),
  // Names the assert tests use, as the solution defined them: callables, modules, or values.
  z.object({
    e: z.literal("bindings"),
    b: z.record(z.string(), z.union([z.object({ call: z.literal(1) }), z.object({ module: z.string() }), z.object({ v: wireText })])),
  }),
  z.object({ e: z.literal("start"), t: index }),
  // One call an assert test's driver made into the solution: arguments (matching key), return value or exception,
  // and the arguments afterwards when the call changed them.
  z.object({
    e: z.literal("call"),
    t: index,
    name: z.string(),
    args: wireText,
    v: wireText.optional(),
    raise: z.object({ type: z.string(), message: z.string(), where: z.string().optional() }).optional(),
    after: wireText.optional(),
  }),
  // The driver of an assert test ran to its end, or raised (outside the recorded calls or from one of them).
  z.object({ e: z.literal("done"), t: index, d: took }),
  z.object({ e: z.literal("raised"), t: index, ...errorFields }),
  // A call test's return value, or its exception.
  z.object({ e: z.literal("value"), t: index, v: wireText, d: took }),
  z.object({ e: z.literal("error"), t: index, ...errorFields }),
  z.object({ e: z.literal("exit"), t: index, code: z.number().int(), d: took }),
  z.object({
    e: z.literal("compiled"),
    ok: z.boolean(),
    type: z.string().optional(),
    message: z.string().optional(),
    line: z.number().int().nullish(),
    column: z.number().int().nullish(),
  }),
  z.object({ e: z.literal("end") }),
]);
export type ProgramFrame = z.infer<typeof programFrameSchema>;
export type CallRecord = Extract<ProgramFrame, { e: "call" }>;
export type Bindings = Extract<ProgramFrame, { e: "bindings" }>["b"];

export interface TimedFrame {
  at: number;
  frame: ProgramFrame;
}

/** The frames of a known shape, in arrival order; anything else is ignored. */
export function readFrames(report: ExecReport): TimedFrame[] {
  const frames: TimedFrame[] = [];
  for (const [at, text] of report.frames) {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      continue;
    }
    const parsed = programFrameSchema.safeParse(raw);
    if (parsed.success) frames.push({ at, frame: parsed.data });
  }
  return frames;
}

// ---------------------------------------------------------------------------------------------------------------
// The judge (judge.py): derives drivers from assert tests, and replays assert tests from recorded calls.

export type JudgeRequest =
  | { op: "drivers"; tests: string[] }
  | {
      op: "judge";
      bindings: Bindings;
      tests: { index: number; source: string; calls: CallRecord[]; end: "done" }[];
      deadlineMs: number;
    };

const describedError = { type: z.string(), message: z.string(), where: z.string().optional() };

/** For a test `assert NAME(literal, ...) == literal`: the first recorded call (name, argument key, return value as
 * wire text) that makes the judge's replay pass, and (without an assert message) the judge's message when that call
 * returned another value, as the text before and after the value's repr (see recorded_expectation in judge.py). */
const recordedExpectationSchema = z.object({ name: z.string(), args: z.string(), value: z.string(), failed: z.tuple([z.string(), z.string()]).optional() });
export type RecordedExpectation = z.infer<typeof recordedExpectationSchema>;

export const driverSchema = z.union([
  z.object({ driver: z.string(), names: z.array(z.string()), random: z.boolean(), expect: recordedExpectationSchema.optional() }),
  z.object({ error: z.object(describedError) }),
]);
export type Driver = z.infer<typeof driverSchema>;

export const driversAnswerSchema = z.object({ op: z.literal("drivers"), drivers: z.array(driverSchema) });

export const judgedSchema = z.discriminatedUnion("status", [
  z.object({ t: index, status: z.literal("pass"), d: took }),
  z.object({ t: index, status: z.literal("fail"), message: z.string(), d: took }),
  z.object({ t: index, status: z.literal("error"), ...describedError, d: took }),
  // The judge's run of the test left the recorded calls: `reason` exhausted (it needed a call the program's run
  // never made) or mismatch (another function or other arguments).
  z.object({ t: index, status: z.literal("replay"), reason: z.string(), message: z.string(), d: took }),
  z.object({ t: index, status: z.literal("timeout"), d: took }),
]);
export type Judged = z.infer<typeof judgedSchema>;

export const judgedAnswerSchema = z.object({ op: z.literal("judged"), results: z.array(judgedSchema) });
export type JudgeAnswer = z.infer<typeof driversAnswerSchema> | z.infer<typeof judgedAnswerSchema>;
export const judgeAnswerSchema = z.union([driversAnswerSchema, judgedAnswerSchema]);
