// Runs an experiment in this process: claims it (QUEUED → RUNNING by compare-and-set), searches its pending trees
// a few at a time (LLM requests are further bounded by the process-wide in-flight limit), records a failing
// problem on its tree without failing the experiment, stops on cancel, and stores the aggregate metrics.
import type { Db } from "../db/client.ts";
import type { Prisma } from "../db/generated/client.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import type { LlmClient } from "../llm/llm-client.ts";
import type { Sandbox } from "../sandbox/types.ts";
import { summarizeMetrics, type MetricsSummary } from "../search/metrics.ts";
import { appendEventsTx } from "./event-log.ts";
import { parseExperimentConfig, type ExperimentConfig, type LlmEndpoint } from "./experiment-config.ts";
import { runTree, type TreeMetrics } from "./run-tree.ts";

export interface RunDependencies {
  sandbox: Sandbox;
  /** Called once per tree (see server/llm/create-llm-client.ts for the production factory). */
  createLlm: (endpoint: LlmEndpoint) => LlmClient & { stats?: () => { retries: number } };
  now?: () => number;
  /** How often to look for a cancel request in the database. */
  cancelPollMs?: number;
  onTreeFinished?: (progress: RunProgress) => void;
  /** Aborts the run without marking it cancelled (the process is shutting down); it can be resumed later. */
  signal?: AbortSignal;
}

export interface RunProgress {
  done: number;
  failed: number;
  total: number;
}

export interface ExperimentMetrics extends MetricsSummary {
  /** Problems whose search failed (e.g. the LLM kept erroring); they count as not solved. */
  failedProblems: number;
  /** Problems without a judgeable hidden test: searched, but left out of Pass@1, ASPR and pass@k. */
  unjudgedProblems: number;
  llmRetries: number;
  wallMs: number;
}

export interface ExperimentRunResult {
  /** "cancelled" also covers a run stopped by `deps.signal` (then the experiment stays RUNNING, resumable). */
  status: "completed" | "cancelled";
  metrics: ExperimentMetrics | null;
}

export async function runExperiment(prisma: Db, experimentId: string, deps: RunDependencies): Promise<ExperimentRunResult> {
  const now = deps.now ?? Date.now;
  const started = now();
  const config = await claimExperiment(prisma, experimentId, started);
  const cancel = watchForCancel(prisma, experimentId, deps.cancelPollMs ?? 500, deps.signal);
  const trees = await prisma.searchTree.findMany({
    where: { experimentId, status: { in: ["PENDING", "RUNNING", "CANCELLED"] } },
    orderBy: { problem: { ordinal: "asc" } },
    select: { id: true },
  });
  const progress: RunProgress = { done: 0, failed: 0, total: await prisma.searchTree.count({ where: { experimentId } }) };
  progress.done = progress.total - trees.length;
  let retries = 0;
  try {
    await runPool(trees, config.concurrency, cancel.signal, async ({ id }) => {
      const llm = deps.createLlm(config.llm);
      try {
        await runTree(prisma, { experimentId, treeId: id, config }, { sandbox: deps.sandbox, llm, signal: cancel.signal, now });
      } catch (error) {
        if (cancel.signal.aborted) return;
        progress.failed += 1;
        await recordTreeFailure(prisma, experimentId, id, error);
      } finally {
        retries += llm.stats?.().retries ?? 0;
      }
      progress.done += 1;
      deps.onTreeFinished?.({ ...progress });
    });
  } finally {
    cancel.stop();
  }
  if (cancel.signal.aborted) return { status: "cancelled", metrics: null };
  const metrics = await computeExperimentMetrics(prisma, experimentId, { llmRetries: retries, wallMs: now() - started });
  await completeExperiment(prisma, experimentId, metrics, now());
  return { status: "completed", metrics };
}

async function claimExperiment(prisma: Db, experimentId: string, now: number): Promise<ExperimentConfig> {
  const experiment = await prisma.experiment.findUnique({ where: { id: experimentId }, select: { config: true, status: true } });
  if (!experiment) throw new NotFoundError(`no experiment ${experimentId}`);
  const claimed = await prisma.$transaction(async (tx) => {
    const changed = await tx.experiment.updateMany({
      where: { id: experimentId, status: "QUEUED" },
      data: { status: "RUNNING", startedAt: new Date(now), error: null },
    });
    if (changed.count === 1) await appendEventsTx(tx, experimentId, [{ type: "experiment.started", payload: {} }]);
    return changed.count === 1;
  });
  if (!claimed) throw new ConflictError(`experiment ${experimentId} is ${experiment.status.toLowerCase()}, not queued`);
  return parseExperimentConfig(experiment.config, `experiment ${experimentId} config`);
}

/** Polls the experiment's status; a cancel (from the CLI, the dashboard or another process) aborts the signal. */
function watchForCancel(prisma: Db, experimentId: string, pollMs: number, shutdown?: AbortSignal) {
  const controller = new AbortController();
  if (shutdown?.aborted) controller.abort();
  shutdown?.addEventListener("abort", () => controller.abort(), { once: true });
  const timer = setInterval(() => {
    prisma.experiment
      .findUnique({ where: { id: experimentId }, select: { status: true } })
      .then((e) => {
        if (e?.status === "CANCELLED") controller.abort();
      })
      .catch(() => {}); // a missed poll is retried at the next tick
  }, pollMs);
  timer.unref();
  return { signal: controller.signal, stop: () => clearInterval(timer) };
}

/** Runs `work` over `items` with at most `limit` at a time; stops taking new items once `signal` aborts. */
async function runPool<T>(items: readonly T[], limit: number, signal: AbortSignal, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length && !signal.aborted) {
      const item = items[next++]!;
      await work(item);
    }
  });
  await Promise.all(lanes);
}

async function recordTreeFailure(prisma: Db, experimentId: string, treeId: string, error: unknown) {
  const message = error instanceof Error ? error.message : String(error);
  await prisma.$transaction(async (tx) => {
    await tx.searchTree.update({ where: { id: treeId }, data: { status: "FAILED", error: message, finishedAt: new Date() } });
    await appendEventsTx(tx, experimentId, [{ type: "tree.failed", payload: { treeId, error: message } }]);
  });
}

export async function computeExperimentMetrics(
  prisma: Db,
  experimentId: string,
  extra: { llmRetries: number; wallMs: number },
): Promise<ExperimentMetrics> {
  const trees = await prisma.searchTree.findMany({
    where: { experimentId },
    select: { status: true, metrics: true, problemId: true, promptTokens: true, completionTokens: true, llmCalls: true },
  });
  const done = trees.filter((t) => t.status === "DONE").map((t) => t.metrics as unknown as TreeMetrics);
  const failed = trees.filter((t) => t.status === "FAILED");
  // A failed search is an attempted problem that was not solved: it counts, as a miss.
  const outcomes = [
    ...done.filter((m) => m.judged),
    ...failed.map((t) => ({
      problemId: t.problemId,
      finalAnswerPasses: null,
      terminalPasses: [],
      promptTokens: t.promptTokens,
      completionTokens: t.completionTokens,
      llmCalls: t.llmCalls,
    })),
  ];
  return {
    ...summarizeMetrics(outcomes),
    failedProblems: failed.length,
    unjudgedProblems: done.filter((m) => !m.judged).length,
    ...extra,
  };
}

async function completeExperiment(prisma: Db, experimentId: string, metrics: ExperimentMetrics, now: number) {
  await prisma.$transaction(async (tx) => {
    const changed = await tx.experiment.updateMany({
      where: { id: experimentId, status: "RUNNING" },
      data: { status: "COMPLETED", finishedAt: new Date(now), metrics: metrics as unknown as Prisma.InputJsonValue },
    });
    if (changed.count === 1) {
      await appendEventsTx(tx, experimentId, [{ type: "experiment.finished", payload: metrics as unknown as Prisma.InputJsonValue }]);
    }
  });
}
