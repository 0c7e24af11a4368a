// Read side of TCG runs for the dashboard (tRPC router `tcg`): runs, one run's per-problem counts, and one problem's
// prompt, completion, generated tests (with validity and reasons) and dropped cases. Missing ids are NotFoundErrors.
import { z } from "zod";
import type { Db } from "../db/index.ts";
import { problemSelectionLabel, problemSelectionSchema } from "../contracts/index.ts";
import { NotFoundError } from "../errors.ts";
import { emptyAgreement } from "./tcg-agreement.ts";
import { caseCounts, type TcgCaseCounts, type TcgReport } from "./tcg-report.ts";

const droppedSchema = z.array(z.object({ text: z.string(), reason: z.string(), kind: z.enum(["malformed", "duplicate"]).default("malformed") }));

export type TcgRunStatusValue = "running" | "completed" | "failed";
const STATUS = { RUNNING: "running", COMPLETED: "completed", FAILED: "failed" } as const;

export interface TcgRunSummary {
  id: string;
  /** Tells runs apart: "mbpp 1–20 · qwen-7b · 2026-12-04 22:40:05 UTC" (dataset, problems, model, start). */
  name: string;
  datasetId: string;
  datasetName: string;
  status: TcgRunStatusValue;
  model: string;
  llmBaseUrl: string;
  cases: number | null;
  problems: number;
  report: TcgReport | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export async function listTcgRuns(prisma: Db, input: { datasetId?: string } = {}): Promise<TcgRunSummary[]> {
  const runs = await prisma.tcgRun.findMany({
    where: input.datasetId ? { datasetId: input.datasetId } : {},
    orderBy: { createdAt: "desc" },
    take: 200,
    include: { dataset: { select: { name: true } }, _count: { select: { problems: true } } },
  });
  return runs.map((run) => toRunSummary(run, run._count.problems));
}

type StoredRun = {
  id: string;
  datasetId: string;
  dataset: { name: string };
  status: keyof typeof STATUS;
  model: string;
  llmBaseUrl: string;
  config: unknown;
  report: unknown;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
};

function toRunSummary(run: StoredRun, problems: number): TcgRunSummary {
  return {
    id: run.id,
    name: tcgRunName(run),
    datasetId: run.datasetId,
    datasetName: run.dataset.name,
    status: STATUS[run.status],
    model: run.model,
    llmBaseUrl: run.llmBaseUrl,
    cases: casesOf(run.config),
    problems,
    report: reportOf(run.report),
    error: run.error,
    createdAt: run.createdAt,
    finishedAt: run.finishedAt,
  };
}

export interface TcgProblemRow extends TcgCaseCounts {
  problemId: string;
  externalId: string;
  ordinal: number;
  title: string | null;
  kind: "FUNCTION" | "STDIO";
  hasReference: boolean;
  error: string | null;
}

export async function getTcgRun(prisma: Db, id: string): Promise<TcgRunSummary & { config: unknown; problemRows: TcgProblemRow[] }> {
  const run = await prisma.tcgRun.findUnique({
    where: { id },
    include: {
      dataset: { select: { name: true } },
      problems: { include: { problem: { select: { externalId: true, ordinal: true, title: true, kind: true, referenceSolution: true } } } },
    },
  });
  if (!run) throw new NotFoundError(`no TCG run ${id}`);
  const problemRows = run.problems
    .map((row) => ({
      problemId: row.problemId,
      externalId: row.problem.externalId,
      ordinal: row.problem.ordinal,
      title: row.problem.title,
      kind: row.problem.kind,
      hasReference: row.problem.referenceSolution !== null,
      ...caseCounts(row),
      error: row.error,
    }))
    .sort((a, b) => a.ordinal - b.ordinal);
  return { ...toRunSummary(run, problemRows.length), config: run.config, problemRows };
}

export interface TcgProblemDetail {
  runId: string;
  problemId: string;
  externalId: string;
  statement: string;
  prompt: string;
  completion: string;
  error: string | null;
  dropped: Array<{ text: string; reason: string; kind: "malformed" | "duplicate" }>;
  tests: Array<{ id: string; ordinal: number; kind: "ASSERT" | "STDIO" | "CALL"; input: string; expected: string | null; validation: "VALID" | "INVALID" | "UNVALIDATED"; validationNote: string | null }>;
}

export async function getTcgProblem(prisma: Db, input: { runId: string; problemId: string }): Promise<TcgProblemDetail> {
  const row = await prisma.tcgProblem.findUnique({
    where: { runId_problemId: { runId: input.runId, problemId: input.problemId } },
    include: { problem: { select: { externalId: true, statement: true } } },
  });
  if (!row) throw new NotFoundError(`no problem ${input.problemId} in TCG run ${input.runId}`);
  const tests = await prisma.testCase.findMany({
    where: { tcgRunId: input.runId, problemId: input.problemId },
    orderBy: { ordinal: "asc" },
    select: { id: true, ordinal: true, kind: true, input: true, expected: true, validation: true, validationNote: true },
  });
  const dropped = droppedSchema.safeParse(row.dropped);
  return {
    runId: row.runId,
    problemId: row.problemId,
    externalId: row.problem.externalId,
    statement: row.problem.statement,
    prompt: row.prompt,
    completion: row.completion,
    error: row.error,
    dropped: dropped.success ? dropped.data : [{ text: JSON.stringify(row.dropped), reason: "unreadable stored record of dropped cases", kind: "malformed" }],
    tests,
  };
}

/** Dataset, problems, model and start time (UTC, to the second): two runs differ in at least one. */
export function tcgRunName(run: { dataset: { name: string }; model: string; config: unknown; createdAt: Date }): string {
  const selection = z.object({ problems: problemSelectionSchema }).safeParse(run.config);
  const problems = selection.success ? ` ${problemSelectionLabel(selection.data.problems)}` : "";
  const started = `${run.createdAt.toISOString().slice(0, 19).replace("T", " ")} UTC`;
  return `${run.dataset.name}${problems} · ${run.model} · ${started}`;
}

function casesOf(config: unknown): number | null {
  const parsed = z.object({ cases: z.number() }).safeParse(config);
  return parsed.success ? parsed.data.cases : null;
}

/** The report is written by run-tcg.ts; an older or partial one still shows its counts, with agreement unknown. */
function reportOf(report: unknown): TcgReport | null {
  if (report === null || typeof report !== "object") return null;
  const value = report as TcgReport;
  return { ...value, agreement: value.agreement ?? emptyAgreement("not recorded") };
}
