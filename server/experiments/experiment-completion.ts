// An experiment's end, wherever its trees ran: the worker that finishes the last tree (DONE or FAILED) computes the
// aggregate metrics and moves the experiment RUNNING → COMPLETED by compare-and-set, so with any number of workers
// finishing trees at the same moment it happens exactly once.
import { type Db, Prisma, queryRows } from "../db/index.ts";
import { summarizeMetrics, type ExperimentMetrics, type TreeMetrics } from "../evaluation/index.ts";
import { appendEventsTx } from "./event-log.ts";

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

/** Completes the experiment if every tree is DONE or FAILED; returns its metrics when this call completed it. */
export async function completeExperimentIfFinished(prisma: Db, experimentId: string, now: number = Date.now()): Promise<ExperimentMetrics | null> {
  // Raw: every finishing tree asks, and this is the one question most of them need answered.
  const [row] = await queryRows<{ unfinished: boolean }>(prisma, Prisma.sql`
    SELECT EXISTS (SELECT 1 FROM "SearchTree" WHERE "experimentId" = ${experimentId} AND "status" NOT IN ('done', 'failed')) AS unfinished`);
  if (row?.unfinished) return null;
  const experiment = await prisma.experiment.findUnique({ where: { id: experimentId }, select: { status: true, startedAt: true } });
  if (experiment?.status !== "RUNNING") return null;
  const retries = await prisma.searchTree.aggregate({ where: { experimentId }, _sum: { llmRetries: true } });
  const wallMs = experiment.startedAt ? Math.max(0, now - experiment.startedAt.getTime()) : 0;
  const metrics = await computeExperimentMetrics(prisma, experimentId, { llmRetries: retries._sum.llmRetries ?? 0, wallMs });
  const completed = await prisma.$transaction(async (tx) => {
    const changed = await tx.experiment.updateMany({
      where: { id: experimentId, status: "RUNNING" },
      data: { status: "COMPLETED", finishedAt: new Date(now), metrics: metrics as unknown as Prisma.InputJsonValue },
    });
    if (changed.count === 1) {
      await appendEventsTx(tx, experimentId, [{ type: "experiment.finished", payload: metrics as unknown as Prisma.InputJsonValue }]);
    }
    return changed.count === 1;
  });
  return completed ? metrics : null;
}

/**
 * Running experiments whose trees are all DONE or FAILED: normally none, since the worker finishing the last tree
 * completes the experiment. But if the database dropped that worker's connection right after the tree's final write,
 * the completion never happened, and a retried job only finds a finished tree to skip. Workers' sweeps complete these.
 */
export async function findFinishedRunningExperiments(prisma: Db): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT e."id" FROM "Experiment" AS e
    WHERE e."status" = 'running'
      AND NOT EXISTS (SELECT 1 FROM "SearchTree" AS t WHERE t."experimentId" = e."id" AND t."status" NOT IN ('done', 'failed'))
    LIMIT 100`;
  return rows.map((r) => r.id);
}
