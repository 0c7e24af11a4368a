// Messages between Node and the forkserver (forkserver.py), and the frames a program's harness reports. Everything
// that comes back is validated here: the forkserver runs next to untrusted code, and the frames come from inside it.
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

export interface JobTest {
  /** Position in the caller's test list; frames refer to tests by it. */
  index: number;
  kind: "assert" | "call";
  input: string;
}

export type Job =
  | { kind: "tests"; solution: string; setup: string; entryPoint: string | null; start: number; tests: JobTest[] }
  | { kind: "stdio"; solution: string; stdin: string; index: number }
  | { kind: "compile"; code: string };

export interface ExecRequest {
  nonce: string;
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
  /** [milliseconds since the job started, one JSON line as the program's harness wrote it]. The forkserver only
   * checked that the line starts with this job's nonce; verifiedFrames() parses and validates it. */
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

/** Frames written by the harness inside the program. */
export const programFrameSchema = z.discriminatedUnion("e", [
  // Written by the child when it could not build its sandbox, before any program code ran.
  z.object({ e: z.literal("sandbox-failed"), message: z.string() }),
  z.object({ e: z.literal("setup-ok"), d: took }),
  z.object({ e: z.literal("setup-error"), ...errorFields }),
  z.object({ e: z.literal("start"), t: index }),
  z.object({ e: z.literal("pass"), t: index, d: took }),
  z.object({ e: z.literal("fail"), t: index, message: z.string(), d: took }),
  z.object({ e: z.literal("error"), t: index, ...errorFields }),
  z.object({ e: z.literal("value"), t: index, v: z.string(), d: took }),
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

export interface TimedFrame {
  at: number;
  frame: ProgramFrame;
}

/** Frames that carry this job's nonce and a known shape, in arrival order. Anything else is ignored: the result
 * pipe is writable by the program, so only the nonce (which output it cannot see) makes a frame ours. */
export function verifiedFrames(report: ExecReport, nonce: string): TimedFrame[] {
  const frames: TimedFrame[] = [];
  for (const [at, text] of report.frames) {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      continue;
    }
    if (typeof raw !== "object" || raw === null || (raw as { n?: unknown }).n !== nonce) continue;
    const parsed = programFrameSchema.safeParse(raw);
    if (parsed.success) frames.push({ at, frame: parsed.data });
  }
  return frames;
}
