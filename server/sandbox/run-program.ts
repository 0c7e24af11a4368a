// One run: the assert/call tests share one process (re-forked after a test that kills it, from the next test on;
// a test that runs out of time ends the run's testing instead); each stdio test runs the program in a process of
// its own. Assert tests reach the program's process only as drivers, and are decided by the judge from what it
// recorded. All of it within the run's time budget.
import { ValidationError } from "../errors.ts";
import { WorkerLostError, type WorkerAnswer, type WorkerRequest } from "./forkserver-worker.ts";
import type { JobQueueing } from "./worker-pool.ts";
import { execLimits, resolveLimits, watchdogMs } from "./limits.ts";
import type { Driver, Job, JobTest, Judged, RecordedExpectation } from "./protocol.ts";
import type { CompileResult, Isolation, RunLimits, RunRequest, RunResult, SandboxTest, SetupResult, TestResult } from "./types.ts";
import {
  type CallExpectation,
  decidedAsRecorded,
  interpretCompileReport,
  interpretStdioReport,
  interpretTestsReport,
  judgeRequestFor,
  lostWorkerResult,
  notRunAfterTimeoutResult,
  readTestsReport,
  runTimeLimitResult,
  type TestsReading,
  unparsableTestResult,
} from "./verdict.ts";
import { parseWireJson, WireParseError } from "./wire-value.ts";

export interface RunContext {
  exec<R extends WorkerRequest>(request: R, watchdogMs: number, queueing?: JobQueueing): Promise<WorkerAnswer<R>>;
  /** Drivers by test source, shared by the runs of a sandbox (a search runs the same tests thousands of times). */
  drivers: Map<string, Driver>;
  defaults: RunLimits;
  isolation: Isolation;
  watchdogGraceMs?: number;
  /** Every finished assert test goes to the judge's replay, those decidedAsRecorded could decide included. */
  judgeEveryAssert?: boolean;
}

interface Plan {
  limits: RunLimits;
  /** Assert tests as given (their sources go to the judge only) and call tests. */
  jobTests: PlannedTest[];
  expectations: Map<number, CallExpectation>;
  stdioTests: { index: number; input: string; expected: string }[];
}

type PlannedTest = { index: number; kind: "call"; input: string } | { index: number; kind: "assert"; source: string };

const DRIVER_CACHE_LIMIT = 20_000;

export async function runProgram(untimed: RunContext, request: RunRequest): Promise<RunResult> {
  const plan = planRun(request, untimed.defaults);
  const startedAt = performance.now();
  const { context, remainingMs } = jobsOfRun(untimed, request, plan.limits.programTimeoutMs);
  const results: (TestResult | undefined)[] = new Array(request.tests.length);
  let setup: SetupResult | undefined;
  let timeouts = 0;
  if (plan.jobTests.length > 0) ({ setup, timeouts } = await runTestsJobs(context, request, plan, remainingMs, results));
  for (const test of plan.stdioTests) {
    const remaining = remainingMs();
    if (timeouts >= plan.limits.timeoutsPerRun) results[test.index] = notRunAfterTimeoutResult(plan.limits);
    else if (remaining <= 0) results[test.index] = runTimeLimitResult(plan.limits);
    else {
      results[test.index] = await runStdioJob(context, request.code, test, plan.limits, remaining);
      if (results[test.index]!.status === "timeout") timeouts++;
    }
  }
  const tests = Array.from(results, (result) => result ?? runTimeLimitResult(plan.limits)); // (map would skip holes)
  return {
    tests,
    passed: tests.filter((result) => result.status === "pass").length,
    ...(setup ? { setup } : {}),
    durationMs: Math.round((performance.now() - startedAt) * 1000) / 1000,
    isolation: context.isolation,
  };
}

export async function checkCompiles(context: RunContext, code: string): Promise<CompileResult> {
  if (typeof code !== "string") throw new ValidationError("must be a string", "code");
  const limits = context.defaults;
  const exec = execLimits(limits, limits.testTimeoutMs);
  try {
    const report = await context.exec({ job: { kind: "compile", code }, limits: exec }, watchdogMs(exec, context.watchdogGraceMs));
    return interpretCompileReport(report, limits);
  } catch (error) {
    if (error instanceof WorkerLostError) return { ok: false, errorType: "Crash", errorMessage: error.message };
    throw error;
  }
}

/** Drivers for the given assert test sources, from the cache or the judge. */
async function driversFor(context: RunContext, sources: string[], limits: RunLimits): Promise<Map<string, Driver>> {
  const found = new Map<string, Driver>();
  const missing = [...new Set(sources.filter((source) => !context.drivers.has(source)))];
  if (missing.length > 0) {
    const answer = await context.exec({ op: "drivers", tests: missing }, limits.testTimeoutMs + (context.watchdogGraceMs ?? 10_000));
    if (answer.op !== "drivers" || answer.drivers.length !== missing.length) throw new Error("the sandbox judge answered a drivers request with something else");
    if (context.drivers.size + missing.length > DRIVER_CACHE_LIMIT) context.drivers.clear();
    missing.forEach((source, i) => context.drivers.set(source, answer.drivers[i]!));
  }
  for (const source of sources) found.set(source, context.drivers.get(source)!);
  return found;
}

/**
 * The context through which a run's jobs go: each queues with the run's priority (RunPriority), and the run's time
 * budget (programTimeoutMs) counts the time its jobs spend with a worker, not the time they wait in the pool's queue
 * behind other runs' jobs: a background run may wait long, and under load any run can, and the queue's wait must not
 * eat its programs' time (their tests would be reported as not run for lack of time).
 */
function jobsOfRun(context: RunContext, request: RunRequest, budgetMs: number): { context: RunContext; remainingMs: () => number } {
  const { priority } = request;
  let spentMs = 0;
  /** When the job now with a worker was taken (a run's jobs go one at a time). */
  let takenAt: number | null = null;
  async function exec<R extends WorkerRequest>(job: R, watchdogMs: number): Promise<WorkerAnswer<R>> {
    try {
      return await context.exec(job, watchdogMs, { priority, onDispatch: () => (takenAt = performance.now()) });
    } finally {
      if (takenAt !== null) spentMs += performance.now() - takenAt;
      takenAt = null;
    }
  }
  const remainingMs = () => budgetMs - spentMs - (takenAt === null ? 0 : performance.now() - takenAt);
  return { context: { ...context, exec }, remainingMs };
}

async function runTestsJobs(context: RunContext, request: RunRequest, plan: Plan, remainingMs: () => number, results: (TestResult | undefined)[]) {
  let setup: SetupResult | undefined;
  let timeouts = 0;
  const sources = new Map<number, string>();
  for (const test of plan.jobTests) if (test.kind === "assert") sources.set(test.index, test.source);
  let drivers: Map<string, Driver>;
  try {
    drivers = await driversFor(context, [...sources.values()], plan.limits);
  } catch (error) {
    if (!(error instanceof WorkerLostError)) throw error;
    for (const test of plan.jobTests) results[test.index] = lostWorkerResult(error.message);
    return { setup, timeouts };
  }
  // What the program's process gets: call tests as they are, assert tests as drivers (a test that does not parse
  // is decided here, without running).
  const jobTests: JobTest[] = [];
  const names = new Set<string>();
  const recorded = new Map<number, RecordedExpectation>();
  for (const test of plan.jobTests) {
    if (test.kind === "call") {
      jobTests.push(test);
      continue;
    }
    const driver = drivers.get(test.source)!;
    if ("error" in driver) {
      results[test.index] = unparsableTestResult(driver.error);
      sources.delete(test.index);
      continue;
    }
    jobTests.push({ index: test.index, kind: "assert", driver: driver.driver, random: driver.random });
    if (driver.expect) recorded.set(test.index, driver.expect);
    for (const name of driver.names) names.add(name);
  }
  let position: number | null = jobTests.length > 0 ? 0 : null;
  while (position !== null) {
    const remaining = remainingMs();
    if (remaining <= 0) break; // the rest are reported as not run
    const job: Job = {
      kind: "tests",
      solution: request.code,
      setup: request.setupCode ?? "",
      entryPoint: request.entryPoint ?? null,
      start: position,
      tests: jobTests,
      names: [...names],
    };
    const limits = execLimits(plan.limits, remaining);
    let reading: TestsReading;
    let judged: Map<number, Judged>;
    try {
      const report = await context.exec({ job, limits }, watchdogMs(limits, context.watchdogGraceMs));
      reading = readTestsReport(report, plan.limits);
      judged = await judge(context, reading, sources, recorded, plan.limits);
    } catch (error) {
      if (!(error instanceof WorkerLostError)) throw error;
      for (const test of jobTests.slice(position)) results[test.index] = lostWorkerResult(error.message);
      break;
    }
    const outcome = interpretTestsReport(reading, jobTests, position, plan.expectations, judged, plan.limits);
    setup ??= outcome.setup;
    for (const [index, result] of outcome.results) results[index] = result;
    position = outcome.resumeAt;
    if (outcome.timedOut && ++timeouts >= plan.limits.timeoutsPerRun) {
      // A program that hangs costs timeoutsPerRun timeouts per run, not one per test.
      for (const test of jobTests) results[test.index] ??= notRunAfterTimeoutResult(plan.limits);
      position = null;
    }
  }
  return { setup, timeouts };
}

/** The judge's verdicts on the job's finished assert tests, by test index: replayed in the judge, except those whose
 * verdict is certain from the recorded call (decidedAsRecorded), so a run whose tests are all decided that way
 * needs no judge request. */
async function judge(context: RunContext, reading: TestsReading, sources: Map<number, string>, recorded: Map<number, RecordedExpectation>, limits: RunLimits) {
  const judged = context.judgeEveryAssert ? new Map<number, Judged>() : decidedAsRecorded(reading, recorded);
  const request = judgeRequestFor(reading, sources, limits.testTimeoutMs, judged);
  if (!request) return judged;
  const answer = await context.exec(request, limits.testTimeoutMs + (context.watchdogGraceMs ?? 10_000));
  if (answer.op !== "judged") throw new Error("the sandbox judge answered a judge request with something else");
  for (const result of answer.results) judged.set(result.t, result);
  return judged;
}

async function runStdioJob(context: RunContext, code: string, test: Plan["stdioTests"][number], runLimits: RunLimits, remaining: number) {
  const limits = execLimits(runLimits, remaining);
  const job: Job = { kind: "stdio", solution: code, stdin: test.input, index: test.index };
  try {
    const report = await context.exec({ job, limits }, watchdogMs(limits, context.watchdogGraceMs));
    return interpretStdioReport(report, test.index, test.expected, runLimits);
  } catch (error) {
    if (error instanceof WorkerLostError) return lostWorkerResult(error.message);
    throw error;
  }
}

/** Checks the request and sorts its tests by how they run. Throws ValidationError naming the bad field. */
function planRun(request: RunRequest, defaults: RunLimits): Plan {
  if (typeof request?.code !== "string") throw new ValidationError("must be a string", "code");
  if (!Array.isArray(request.tests)) throw new ValidationError("must be an array", "tests");
  if (request.setupCode !== undefined && typeof request.setupCode !== "string") throw new ValidationError("must be a string", "setupCode");
  if (request.entryPoint !== undefined && (typeof request.entryPoint !== "string" || !/^[A-Za-z_]\w*$/.test(request.entryPoint))) {
    throw new ValidationError("must be a Python identifier", "entryPoint");
  }
  const plan: Plan = { limits: resolveLimits(defaults, request.limits), jobTests: [], expectations: new Map(), stdioTests: [] };
  request.tests.forEach((test: SandboxTest, index) => {
    const where = `tests[${index}]`;
    if (!["assert", "stdio", "call"].includes(test?.kind)) {
      throw new ValidationError(`unknown test kind ${JSON.stringify((test as { kind?: unknown } | null)?.kind)}`, where);
    }
    if (typeof test.input !== "string") throw new ValidationError("must be a string", `${where}.input`);
    switch (test.kind) {
      case "assert":
        plan.jobTests.push({ index, kind: "assert", source: test.input });
        break;
      case "stdio":
        if (typeof test.expected !== "string") throw new ValidationError("must be a string for a stdio test", `${where}.expected`);
        plan.stdioTests.push({ index, input: test.input, expected: test.expected });
        break;
      case "call":
        if (!request.entryPoint) throw new ValidationError("call tests need an entryPoint", "entryPoint");
        if (!Array.isArray(parseWire(test.input, `${where}.input`))) throw new ValidationError("must be a JSON array of arguments", `${where}.input`);
        if (test.expected != null && typeof test.expected !== "string") throw new ValidationError("must be JSON text or null", `${where}.expected`);
        if (test.atol != null && (typeof test.atol !== "number" || !(test.atol >= 0))) throw new ValidationError("must be a number >= 0", `${where}.atol`);
        plan.jobTests.push({ index, kind: "call", input: test.input });
        plan.expectations.set(index, {
          expected: test.expected == null ? null : parseWire(test.expected, `${where}.expected`),
          expectedText: test.expected ?? null,
          atol: test.atol ?? 0,
        });
        break;
    }
  });
  return plan;
}

function parseWire(text: string, where: string) {
  try {
    return parseWireJson(text);
  } catch (error) {
    if (error instanceof WireParseError) throw new ValidationError(`is not valid JSON: ${error.message}`, where);
    throw error;
  }
}
