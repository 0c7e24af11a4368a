// One run: the assert/call tests share one process (re-forked after a test that kills it, from the next test on);
// each stdio test runs the program in a process of its own. All of it within the run's time budget.
import { randomUUID } from "node:crypto";
import { ValidationError } from "../errors.ts";
import { WorkerLostError } from "./forkserver-worker.ts";
import { execLimits, resolveLimits, watchdogMs } from "./limits.ts";
import type { ExecReport, ExecRequest, Job, JobTest } from "./protocol.ts";
import type { CompileResult, Isolation, RunLimits, RunRequest, RunResult, SandboxTest, SetupResult, TestResult } from "./types.ts";
import {
  type CallExpectation,
  interpretCompileReport,
  interpretStdioReport,
  interpretTestsReport,
  lostWorkerResult,
  runTimeLimitResult,
} from "./verdict.ts";
import { parseWireJson, WireParseError } from "./wire-value.ts";

export interface RunContext {
  exec(request: ExecRequest, watchdogMs: number): Promise<ExecReport>;
  defaults: RunLimits;
  isolation: Isolation;
  watchdogGraceMs?: number;
}

interface Plan {
  limits: RunLimits;
  jobTests: JobTest[];
  expectations: Map<number, CallExpectation>;
  stdioTests: { index: number; input: string; expected: string }[];
}

export async function runProgram(context: RunContext, request: RunRequest): Promise<RunResult> {
  const plan = planRun(request, context.defaults);
  const startedAt = performance.now();
  const deadline = startedAt + plan.limits.programTimeoutMs;
  const results: (TestResult | undefined)[] = new Array(request.tests.length);
  let setup: SetupResult | undefined;
  if (plan.jobTests.length > 0) setup = await runTestsJobs(context, request, plan, deadline, results);
  for (const test of plan.stdioTests) {
    const remaining = deadline - performance.now();
    results[test.index] = remaining <= 0 ? runTimeLimitResult(plan.limits) : await runStdioJob(context, request.code, test, plan.limits, remaining);
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
  const nonce = newNonce();
  const exec = execLimits(limits, limits.testTimeoutMs);
  try {
    const report = await context.exec({ nonce, job: { kind: "compile", code }, limits: exec }, watchdogMs(exec, context.watchdogGraceMs));
    return interpretCompileReport(report, nonce, limits);
  } catch (error) {
    if (error instanceof WorkerLostError) return { ok: false, errorType: "Crash", errorMessage: error.message };
    throw error;
  }
}

async function runTestsJobs(context: RunContext, request: RunRequest, plan: Plan, deadline: number, results: (TestResult | undefined)[]) {
  let setup: SetupResult | undefined;
  let position: number | null = 0;
  while (position !== null) {
    const remaining = deadline - performance.now();
    if (remaining <= 0) break; // the rest are reported as not run
    const job: Job = {
      kind: "tests",
      solution: request.code,
      setup: request.setupCode ?? "",
      entryPoint: request.entryPoint ?? null,
      start: position,
      tests: plan.jobTests,
    };
    const nonce = newNonce();
    const limits = execLimits(plan.limits, remaining);
    let report: ExecReport;
    try {
      report = await context.exec({ nonce, job, limits }, watchdogMs(limits, context.watchdogGraceMs));
    } catch (error) {
      if (!(error instanceof WorkerLostError)) throw error;
      for (const test of plan.jobTests.slice(position)) results[test.index] = lostWorkerResult(error.message);
      break;
    }
    const outcome = interpretTestsReport(report, nonce, plan.jobTests, position, plan.expectations, plan.limits);
    setup ??= outcome.setup;
    for (const [index, result] of outcome.results) results[index] = result;
    position = outcome.resumeAt;
  }
  return setup;
}

async function runStdioJob(context: RunContext, code: string, test: Plan["stdioTests"][number], runLimits: RunLimits, remaining: number) {
  const nonce = newNonce();
  const limits = execLimits(runLimits, remaining);
  const job: Job = { kind: "stdio", solution: code, stdin: test.input, index: test.index };
  try {
    const report = await context.exec({ nonce, job, limits }, watchdogMs(limits, context.watchdogGraceMs));
    return interpretStdioReport(report, nonce, test.index, test.expected, runLimits);
  } catch (error) {
    if (error instanceof WorkerLostError) return lostWorkerResult(error.message);
    throw error;
  }
}

/** 122 random bits, hex only (the harness embeds it in frames verbatim). randomUUID draws from a cached pool. */
function newNonce(): string {
  return randomUUID().replaceAll("-", "");
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
        plan.jobTests.push({ index, kind: "assert", input: test.input });
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
