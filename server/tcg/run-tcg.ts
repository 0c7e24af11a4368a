// One TCG run: for each selected problem, ask the LLM for test cases with the paper's template, parse them (never
// throwing), drop duplicates, validate them with the reference solution in the sandbox, and store the outcome in one
// transaction per problem (the TcgProblem row and its generated TestCase rows). Problems run with bounded
// concurrency; a problem whose LLM call or validation fails is stored with its error and the run goes on. At the end
// the agreement with the hidden tests is computed and the report stored on the run.
import type { Db, Prisma } from "../db/index.ts";
import { NotFoundError } from "../errors.ts";
import type { LlmClient, StepPrompt } from "../llm/index.ts";
import { describeLlm, parseTcgConfig, type TcgConfig, type TcgConfigInput } from "../contracts/index.ts";
import { selectProblemIds } from "../datasets/index.ts";
import type { Sandbox } from "../sandbox/index.ts";
import { deriveSeed } from "../lib/index.ts";
import { computeAgreement } from "./tcg-agreement.ts";
import { dedupeCases } from "./dedupe-cases.ts";
import { parseCases, type DroppedCase } from "./parse-cases.ts";
import { buildTcgPrompt, tcgFormatFor } from "./tcg-prompt.ts";
import { buildTcgReport, type TcgReport } from "./tcg-report.ts";
import { validateCases, type ValidatedCase } from "./validate-cases.ts";

export interface TcgEdges {
  sandbox: Sandbox;
  llm: LlmClient;
  now?: () => Date;
  /** Stops the run between problems (see executeTcgRun). */
  signal?: AbortSignal;
  /** Called as each problem is stored. */
  onProblemDone?: (progress: { done: number; total: number; failed: number }) => void;
}

export interface TcgProblemSummary {
  problemId: string;
  externalId: string;
  ordinal: number;
  generated: number;
  parsed: number;
  valid: number;
  invalid: number;
  duplicates: number;
  /** Malformed and duplicate cases with their reasons. */
  dropped: DroppedCase[];
  /** Reasons of the invalid / unvalidated cases, in case order. */
  rejected: Array<{ case: string; validation: "INVALID" | "UNVALIDATED"; reason: string }>;
  error: string | null;
  promptTokens: number;
  completionTokens: number;
}

export interface TcgRunResult {
  runId: string;
  report: TcgReport;
  problems: TcgProblemSummary[];
}

type TcgSourceProblem = Prisma.ProblemGetPayload<{
  select: { id: true; externalId: true; ordinal: true; kind: true; statement: true; entryPoint: true; signature: true; referenceSolution: true; testSetupCode: true };
}>;

/** Validates the config, resolves the dataset and the problem selection, and creates the run (status running). */
export async function createTcgRun(prisma: Db, input: TcgConfigInput | TcgConfig, source = "tcg config"): Promise<{ runId: string; config: TcgConfig; problemIds: string[] }> {
  const config = parseTcgConfig(input, source);
  const dataset = await prisma.dataset.findUnique({ where: { name: config.dataset }, select: { id: true } });
  if (!dataset) throw new NotFoundError(`${source} field dataset: no dataset named '${config.dataset}' (o1c datasets lists them)`);
  const problemIds = await selectProblemIds(prisma, dataset.id, config.problems, source);
  const { model, location } = describeLlm(config.llm);
  const run = await prisma.tcgRun.create({
    data: { datasetId: dataset.id, model, llmBaseUrl: location, config: config as unknown as Prisma.InputJsonValue },
    select: { id: true },
  });
  return { runId: run.id, config, problemIds };
}

/** Creates the run and executes it (the CLI's path): validation errors are thrown before anything is written. */
export async function runTcg(prisma: Db, input: TcgConfigInput | TcgConfig, edges: TcgEdges, source = "tcg config"): Promise<TcgRunResult> {
  const created = await createTcgRun(prisma, input, source);
  return executeTcgRun(prisma, created, edges);
}

/**
 * Executes a run made by createTcgRun: every problem, then the agreement and the report, and marks the run COMPLETED
 * (FAILED, report kept, when every problem errored).
 * Any failure marks it FAILED with the error and rethrows. When `edges.signal` aborts, no further problem is started,
 * and the run ends FAILED with the abort reason once the problems in flight are stored.
 */
export async function executeTcgRun(prisma: Db, run: { runId: string; config: TcgConfig; problemIds: string[] }, edges: TcgEdges): Promise<TcgRunResult> {
  const { runId, config, problemIds } = run;
  const now = edges.now ?? (() => new Date());
  try {
    const problems = await prisma.problem.findMany({
      where: { id: { in: problemIds } },
      orderBy: { ordinal: "asc" },
      select: { id: true, externalId: true, ordinal: true, kind: true, statement: true, entryPoint: true, signature: true, referenceSolution: true, testSetupCode: true },
    });
    const summaries: TcgProblemSummary[] = [];
    let failed = 0;
    await forEachLimited(problems, config.concurrency, edges.signal, async (problem) => {
      const summary = await generateForProblem(prisma, runId, problem, config, edges);
      summaries.push(summary);
      if (summary.error) failed++;
      edges.onProblemDone?.({ done: summaries.length, total: problems.length, failed });
    });
    edges.signal?.throwIfAborted();
    summaries.sort((a, b) => a.ordinal - b.ordinal);
    const agreement = await computeAgreement(prisma, edges.sandbox, runId, config.agreementCandidates);
    const report = buildTcgReport(summaries, agreement);
    // Only a run still running is completed: one that a stopping server already marked failed stays failed. A run
    // whose every problem errored is FAILED (its report kept): as "the latest run" it would replace a good one in a
    // lineage's TCG validity and give TCG-DPO exports nothing.
    const failure = everyProblemErrored(summaries);
    await prisma.tcgRun.updateMany({
      where: { id: runId, status: "RUNNING" },
      data: { status: failure ? "FAILED" : "COMPLETED", error: failure, report: report as unknown as Prisma.InputJsonValue, finishedAt: now() },
    });
    return { runId, report, problems: summaries };
  } catch (error) {
    await prisma.tcgRun.updateMany({ where: { id: runId, status: "RUNNING" }, data: { status: "FAILED", error: errorMessage(error), finishedAt: now() } });
    throw error;
  }
}

/** "all 3 problems failed; problem 11: <error>" when no problem got an answer to validate; null otherwise. */
function everyProblemErrored(summaries: readonly TcgProblemSummary[]): string | null {
  const first = summaries[0];
  if (!first || summaries.some((s) => s.error === null)) return null;
  const all = summaries.length === 1 ? "the only problem failed" : `all ${summaries.length} problems failed`;
  return `${all}; problem ${first.externalId}: ${first.error}`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function generateForProblem(prisma: Db, runId: string, problem: TcgSourceProblem, config: TcgConfig, edges: TcgEdges): Promise<TcgProblemSummary> {
  const prompt = buildTcgPrompt(problem, config.cases);
  const format = tcgFormatFor(problem);
  const outcome = { completion: "", promptTokens: 0, completionTokens: 0, generated: 0, parsed: 0, dropped: [] as DroppedCase[], validated: [] as ValidatedCase[], error: null as string | null };
  try {
    const response = await edges.llm.complete({
      prompt: toPrompt(prompt, config.llm.api),
      n: 1,
      temperature: config.sampling.temperature,
      topP: config.sampling.topP,
      maxTokens: config.sampling.maxTokens,
      seed: deriveSeed(config.seed, problem.ordinal),
    });
    const choice = response.choices[0];
    outcome.promptTokens = response.usage.promptTokens;
    outcome.completionTokens = response.usage.completionTokens;
    outcome.completion = choice?.text ?? "";
    const parsed = parseCases(outcome.completion, { format, entryPoint: problem.entryPoint, finishReason: choice?.finishReason ?? null });
    const deduped = dedupeCases(parsed.cases);
    outcome.generated = parsed.generated;
    outcome.parsed = parsed.cases.length;
    outcome.dropped = [...parsed.dropped, ...deduped.duplicates];
    outcome.validated = await validateCases(edges.sandbox, problem, deduped.unique);
  } catch (error) {
    outcome.error = (error as Error).message;
  }
  const counts = {
    generated: outcome.generated,
    parsed: outcome.parsed,
    valid: outcome.validated.filter((v) => v.validation === "VALID").length,
    invalid: outcome.validated.filter((v) => v.validation === "INVALID").length,
    duplicates: outcome.dropped.filter((d) => d.kind === "duplicate").length,
  };
  await prisma.$transaction(async (tx) => {
    // Generated ordinals continue after every earlier run's, so (problem, origin, ordinal) stays unique.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${GENERATED_ORDINAL_LOCK}::int4, hashtext(${problem.id}))`;
    const last = await tx.testCase.aggregate({ where: { problemId: problem.id, origin: "GENERATED" }, _max: { ordinal: true } });
    const first = (last._max.ordinal ?? -1) + 1;
    await tx.tcgProblem.create({
      data: {
        runId,
        problemId: problem.id,
        prompt,
        completion: outcome.completion,
        ...counts,
        dropped: outcome.dropped as unknown as Prisma.InputJsonValue,
        error: outcome.error,
        promptTokens: outcome.promptTokens,
        completionTokens: outcome.completionTokens,
      },
    });
    if (outcome.validated.length === 0) return;
    await tx.testCase.createMany({
      data: outcome.validated.map((v, i) => ({
        problemId: problem.id,
        ordinal: first + i,
        origin: "GENERATED" as const,
        kind: v.case.format === "assert" ? ("ASSERT" as const) : ("STDIO" as const),
        input: v.case.format === "assert" ? v.case.text : v.case.input,
        expected: v.case.format === "assert" ? null : v.case.output,
        validation: v.validation,
        validationNote: v.note,
        tcgRunId: runId,
      })),
    });
    // Embedded PGlite has one connection: concurrent problems queue for it, so allow more than Prisma's 2 s wait.
  }, { maxWait: 30_000, timeout: 30_000 });
  return {
    problemId: problem.id,
    externalId: problem.externalId,
    ordinal: problem.ordinal,
    ...counts,
    dropped: outcome.dropped,
    rejected: outcome.validated
      .filter((v) => v.validation !== "VALID")
      .map((v) => ({ case: v.case.text, validation: v.validation as "INVALID" | "UNVALIDATED", reason: v.note ?? "" })),
    error: outcome.error,
    promptTokens: outcome.promptTokens,
    completionTokens: outcome.completionTokens,
  };
}

/** First key of the two-key advisory lock taken per problem while numbering its generated tests. */
const GENERATED_ORDINAL_LOCK = 7_204_611;

function toPrompt(text: string, api: "chat" | "completions"): StepPrompt {
  return api === "chat" ? { kind: "chat", messages: [{ role: "user", content: text }] } : { kind: "text", text };
}

/** Runs `task` over `items` with at most `limit` at once; once `signal` aborts, no further item is started. */
async function forEachLimited<T>(items: readonly T[], limit: number, signal: AbortSignal | undefined, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length && !signal?.aborted) {
      const item = items[next++]!;
      await task(item);
    }
  });
  await Promise.all(workers);
}
