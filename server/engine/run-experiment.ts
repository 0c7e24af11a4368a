// Runs an experiment in this process, without the job queue: claims it (QUEUED → RUNNING by compare-and-set),
// then claims and searches its unfinished trees a few at a time (LLM requests are further bounded by the
// process-wide in-flight limit), records a failing problem on its tree without failing the experiment, stops on
// cancel or when the experiment fails as a whole (its LLM server unreachable), and completes the experiment with its
// metrics (FAILED when every problem failed). Each tree goes through processTree (process-tree.ts), the
// same unit queue workers run, so trees this run does not get to can be finished by `o1c worker` processes too.
import { randomUUID } from "node:crypto";
import os from "node:os";
import type { Db } from "../db/index.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import type { LlmClient } from "../llm/index.ts";
import type { Sandbox } from "../sandbox/index.ts";
import { createClaimKeeper } from "./claim-keeper.ts";
import { appendEventsTx, completeExperimentIfFinished } from "../experiments/index.ts";
import type { ExperimentMetrics } from "../evaluation/index.ts";
import { parseExperimentConfig, type ExperimentConfig, type LlmEndpoint } from "../contracts/index.ts";
import { processTree } from "./tree-job.ts";


export interface RunDependencies {
  sandbox: Sandbox;
  /** Called once per tree (see server/llm/create-llm-client.ts for the production factory). */
  createLlm: (endpoint: LlmEndpoint) => LlmClient & { stats?: () => { retries: number } };
  now?: () => number;
  /** How often to heartbeat the claimed trees and look for a cancel request in the database. */
  cancelPollMs?: number;
  /** A tree claim without a heartbeat for this long may be taken over (default 30 s). */
  staleMs?: number;
  onTreeFinished?: (progress: RunProgress) => void;
  /** Aborts the run without marking it cancelled (the process is shutting down); it can be resumed later. */
  signal?: AbortSignal;
}

export interface RunProgress {
  done: number;
  failed: number;
  total: number;
}

export interface ExperimentRunResult {
  /**
   * "cancelled" also covers a run stopped by `deps.signal` (then the experiment stays RUNNING, resumable); "failed":
   * every problem failed, or the LLM server could not be reached at all (`error` says which).
   */
  status: "completed" | "cancelled" | "failed";
  metrics: ExperimentMetrics | null;
  error?: string;
}

export async function runExperiment(prisma: Db, experimentId: string, deps: RunDependencies): Promise<ExperimentRunResult> {
  const now = deps.now ?? Date.now;
  const config = await claimExperiment(prisma, experimentId, now());
  const keeper = createClaimKeeper(prisma, { intervalMs: deps.cancelPollMs ?? 500 });
  const workerId = `${os.hostname()}:${process.pid}:run-${randomUUID().slice(0, 8)}`;
  const trees = await prisma.searchTree.findMany({
    where: { experimentId, status: { in: ["PENDING", "RUNNING", "CANCELLED"] } },
    orderBy: { problem: { ordinal: "asc" } },
    select: { id: true },
  });
  const progress: RunProgress = { done: 0, failed: 0, total: await prisma.searchTree.count({ where: { experimentId } }) };
  progress.done = progress.total - trees.length;
  const stop = new AbortController();
  try {
    await runPool(trees, config.concurrency, stop.signal, async ({ id }) => {
      const searchTree = () => processTree(prisma, id, { ...deps, keeper, workerId, now }, { retriesLeft: 0 });
      let outcome = await searchTree();
      // Released after its stored progress was lost (tree-job.ts): resume it here, from what is stored.
      while (outcome.kind === "requeued") outcome = await searchTree();
      if (outcome.kind === "stopped" || ((outcome.kind === "skipped" || outcome.kind === "failed") && (await hasEnded(prisma, experimentId)))) {
        stop.abort(); // cancelled, failed as a whole, or shutting down: take no further trees
        return;
      }
      if (outcome.kind === "skipped" || outcome.kind === "deferred") return; // other workers hold it, or the limit's slots
      if (outcome.kind !== "done") progress.failed += 1;
      progress.done += 1;
      deps.onTreeFinished?.({ ...progress });
    });
  } finally {
    keeper.close();
  }
  await completeExperimentIfFinished(prisma, experimentId, now());
  const final = await prisma.experiment.findUniqueOrThrow({ where: { id: experimentId }, select: { status: true, metrics: true, error: true } });
  if (final.status === "FAILED") return { status: "failed", metrics: final.metrics as unknown as ExperimentMetrics | null, error: final.error ?? "failed" };
  if (final.status !== "COMPLETED") return { status: "cancelled", metrics: null };
  return { status: "completed", metrics: final.metrics as unknown as ExperimentMetrics };
}

/** Cancelled, or failed as a whole (its trees are not worth claiming any more). */
async function hasEnded(prisma: Db, experimentId: string): Promise<boolean> {
  const experiment = await prisma.experiment.findUnique({ where: { id: experimentId }, select: { status: true } });
  return experiment?.status === "CANCELLED" || experiment?.status === "FAILED";
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
