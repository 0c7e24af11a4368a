// An experiment's end, wherever its trees ran: the worker that finishes the last tree (DONE or FAILED) computes the
// aggregate metrics and moves the experiment RUNNING → COMPLETED by compare-and-set, so with any number of workers
// finishing trees at the same moment it happens exactly once. An experiment none of whose problems was searched
// (every tree FAILED) ends FAILED with the reason instead: a green "completed" with Pass@1 0% would read as a result.
import { type Db, Prisma, queryRows } from "../db/index.ts";
import { scoredOutcomes, summarizeMetrics, type ExperimentMetrics, type TreeMetrics } from "../evaluation/index.ts";
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
  return {
    ...summarizeMetrics(scoredOutcomes(trees)),
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
  const failure = await everyProblemFailed(prisma, experimentId);
  const completed = await prisma.$transaction(async (tx) => {
    const changed = await tx.experiment.updateMany({
      where: { id: experimentId, status: "RUNNING" },
      data: {
        status: failure ? "FAILED" : "COMPLETED",
        finishedAt: new Date(now),
        metrics: metrics as unknown as Prisma.InputJsonValue,
        ...(failure ? { error: failure } : {}),
      },
    });
    if (changed.count === 1) {
      await appendEventsTx(tx, experimentId, [
        failure
          ? { type: "experiment.failed", payload: { error: failure } }
          : { type: "experiment.finished", payload: metrics as unknown as Prisma.InputJsonValue },
      ]);
    }
    return changed.count === 1;
  });
  return completed ? metrics : null;
}

/** The reason an experiment failed as a whole, when none of its trees finished; null when at least one did. */
async function everyProblemFailed(prisma: Db, experimentId: string): Promise<string | null> {
  const [row] = await queryRows<{ failed: number; done: number; firstError: string | null; firstProblem: string | null }>(prisma, Prisma.sql`
    SELECT count(*) FILTER (WHERE t."status" = 'failed')::int AS failed,
           count(*) FILTER (WHERE t."status" = 'done')::int AS done,
           (array_agg(t."error" ORDER BY p."ordinal") FILTER (WHERE t."status" = 'failed'))[1] AS "firstError",
           (array_agg(p."externalId" ORDER BY p."ordinal") FILTER (WHERE t."status" = 'failed'))[1] AS "firstProblem"
    FROM "SearchTree" t JOIN "Problem" p ON p."id" = t."problemId"
    WHERE t."experimentId" = ${experimentId}`);
  if (!row || row.done > 0 || row.failed === 0) return null;
  const all = row.failed === 1 ? "the only problem failed" : `all ${row.failed} problems failed`;
  return `${all}; problem ${row.firstProblem}: ${row.firstError ?? "no error recorded"}`;
}

/**
 * Ends a running experiment as FAILED with `reason` (compare-and-set, so once) without waiting for its trees: the
 * unfinished ones are marked cancelled, the workers holding them see the status at their next heartbeat and stop
 * (their writes are refused meanwhile only if they lose the claim; a cancelled tree's nodes stay resumable), and no
 * worker claims another of its trees.
 * Returns false when the experiment was no longer running.
 */
export async function failExperiment(prisma: Db, experimentId: string, reason: string, now: number = Date.now()): Promise<boolean> {
  const notRunning = new Error("not running");
  try {
    return await prisma.$transaction(async (tx) => {
      // Lock order as every tree write has it (tree rows, then the experiment row for the event's seq), or this
      // deadlocks with a tree recording its own failure at the same moment.
      const before = await tx.experiment.findUnique({ where: { id: experimentId }, select: { status: true } });
      if (before?.status !== "QUEUED" && before?.status !== "RUNNING") return false;
      // Its unfinished trees will not be searched now: shown as cancelled (not "running"), and resumable as such.
      await tx.searchTree.updateMany({ where: { experimentId, status: { in: ["PENDING", "RUNNING"] } }, data: { status: "CANCELLED" } });
      const changed = await tx.experiment.updateMany({
        where: { id: experimentId, status: { in: ["QUEUED", "RUNNING"] } },
        data: { status: "FAILED", finishedAt: new Date(now), error: reason },
      });
      if (changed.count === 0) throw notRunning; // ended meanwhile: roll the trees back too
      await appendEventsTx(tx, experimentId, [{ type: "experiment.failed", payload: { error: reason } }]);
      return true;
    });
  } catch (error) {
    if (error === notRunning) return false;
    throw error;
  }
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
