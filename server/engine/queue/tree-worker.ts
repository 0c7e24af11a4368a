// A queue worker: fetches tree jobs while it has free slots (at most `concurrency` trees at once), runs each through
// processTree, and settles the job by the outcome — complete, or fail back to the queue (pg-boss retries it with
// backoff) when the tree was handed back after a transient failure. Any number of workers, on any machines, can
// share one DATABASE_URL. Each also sweeps for trees whose holder stopped heartbeating (kill -9, lost machine) and
// re-enqueues them, so a crashed worker's trees are resumed from their persisted state by whoever is alive.
import { randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import os from "node:os";
import type PgBoss from "pg-boss";
import type { Db } from "../../db/index.ts";
import { createSemaphore } from "../../llm/index.ts";
import { createClaimKeeper } from "../claim-keeper.ts";
import { completeExperimentIfFinished, findFinishedRunningExperiments } from "../../experiments/index.ts";
import { processTree, type TreeOutcome, type TreeWorkDeps } from "../tree-job.ts";
import { DEFAULT_STALE_MS, findStaleTrees } from "../tree-claim.ts";
import { TREE_QUEUE, type TreeJobData, type TreeQueue } from "./tree-queue.ts";

/** Trees claimed and loaded at once (see TreeWorkDeps.startupGate): enough to keep the database pool busy, few enough that the first trees search while a large batch still loads. */
const STARTUP_CONCURRENCY = 32;

/** How long a tree whose experiment is at its concurrency limit waits before its job is fetched again. */
const DEFER_SECONDS = 1;

export interface TreeWorkerOptions extends Pick<TreeWorkDeps, "sandbox" | "createLlm" | "now"> {
  /** Trees searched at once by this worker (LLM requests are further capped by the process-wide in-flight limit). */
  concurrency: number;
  workerId?: string;
  /** How often an idle worker polls for jobs. */
  pollMs?: number;
  /** Heartbeat of held trees, which is also how quickly a cancel is noticed. */
  heartbeatMs?: number;
  /** A claim without a heartbeat for this long is taken over. */
  staleMs?: number;
  log?: (message: string) => void;
}

export interface TreeWorkerStats {
  jobs: number;
  outcomes: Record<TreeOutcome["kind"], number>;
  /** Trees re-enqueued by the stale-claim sweep. */
  recovered: number;
}

export interface TreeWorker {
  readonly workerId: string;
  readonly active: number;
  stats(): TreeWorkerStats;
  /** Stops fetching, stops the running trees between steps (they stay resumable and go back to the queue), waits. */
  close(): Promise<void>;
}

export function startTreeWorker(prisma: Db, queue: TreeQueue, options: TreeWorkerOptions): TreeWorker {
  const workerId = options.workerId ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const pollMs = options.pollMs ?? 500;
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const log = options.log ?? (() => {});
  const shutdown = new AbortController();
  setMaxListeners(0, shutdown.signal); // every running tree listens to it
  const keeper = createClaimKeeper(prisma, { intervalMs: options.heartbeatMs ?? Math.min(2_000, staleMs / 4), onError: (e) => log(`heartbeat failed: ${(e as Error).message}`) });
  const deps: TreeWorkDeps = {
    sandbox: options.sandbox,
    createLlm: options.createLlm,
    now: options.now,
    keeper,
    workerId,
    staleMs,
    signal: shutdown.signal,
    startupGate: createSemaphore(STARTUP_CONCURRENCY),
    configs: new Map(),
  };
  const running = new Set<Promise<void>>();
  const stats: TreeWorkerStats = { jobs: 0, outcomes: { done: 0, failed: 0, retry: 0, stopped: 0, skipped: 0, requeued: 0, deferred: 0 }, recovered: 0 };
  let wake: (() => void) | null = null;

  async function settle(job: PgBoss.JobWithMetadata<TreeJobData>, outcome: TreeOutcome) {
    if (outcome.kind === "retry") return queue.boss.fail(TREE_QUEUE, job.id, { message: outcome.error });
    await queue.boss.complete(TREE_QUEUE, job.id);
    // Its experiment is at its own concurrency limit: a fresh ticket, due a little later, so the slot goes to other work.
    if (outcome.kind === "deferred") await queue.enqueueTrees([job.data], { startAfterSeconds: DEFER_SECONDS });
    // Stopped by this worker's shutdown (not a cancel), or released after its stored progress was lost: hand the tree
    // straight to a worker (this one included) to resume.
    if ((outcome.kind === "stopped" && shutdown.signal.aborted) || outcome.kind === "requeued") await queue.enqueueTrees([job.data]);
  }

  async function handle(job: PgBoss.JobWithMetadata<TreeJobData>) {
    stats.jobs += 1;
    let outcome: TreeOutcome;
    try {
      outcome = await processTree(prisma, job.data.treeId, deps, { retriesLeft: Math.max(0, job.retryLimit - job.retryCount) });
    } catch (error) {
      // Claiming or reading failed (database unreachable): let the queue retry the job.
      outcome = { kind: "retry", error: (error as Error).message };
    }
    stats.outcomes[outcome.kind] += 1;
    if (outcome.kind === "failed" || outcome.kind === "retry") log(`tree ${job.data.treeId}: ${outcome.kind}: ${outcome.error}`);
    // If settling fails (database down), the job stays active until it expires; the tree itself is safe either way.
    await settle(job, outcome).catch((error) => log(`could not settle job ${job.id}: ${(error as Error).message}`));
  }

  async function fetchLoop() {
    while (!shutdown.signal.aborted) {
      const free = options.concurrency - running.size;
      let fetched = 0;
      if (free > 0) {
        try {
          const jobs = await queue.boss.fetch<TreeJobData>(TREE_QUEUE, { batchSize: free, includeMetadata: true });
          fetched = jobs.length;
          for (const job of jobs) {
            const task: Promise<void> = handle(job).finally(() => {
              running.delete(task);
              wake?.();
            });
            running.add(task);
          }
        } catch (error) {
          log(`fetching jobs failed: ${(error as Error).message}`);
        }
      }
      if (fetched > 0 && fetched === free) continue; // maybe more waiting
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, pollMs);
        function done() {
          clearTimeout(timer);
          shutdown.signal.removeEventListener("abort", done);
          wake = null;
          resolve();
        }
        wake = done;
        shutdown.signal.addEventListener("abort", done, { once: true });
      });
    }
  }

  async function sweepStaleClaims() {
    try {
      const stale = await findStaleTrees(prisma, staleMs);
      if (stale.length === 0) return;
      await queue.enqueueTrees(stale.map((t) => ({ experimentId: t.experimentId, treeId: t.id })));
      stats.recovered += stale.length;
      log(`re-enqueued ${stale.length} tree(s) whose worker stopped heartbeating`);
    } catch (error) {
      log(`stale-claim sweep failed: ${(error as Error).message}`);
    }
  }

  // An experiment whose last tree finished while the database dropped its worker's connection was never completed.
  async function sweepFinishedExperiments() {
    try {
      for (const experimentId of await findFinishedRunningExperiments(prisma)) {
        if (await completeExperimentIfFinished(prisma, experimentId)) log(`completed experiment ${experimentId}, whose last tree's worker could not`);
      }
    } catch (error) {
      log(`finished-experiment sweep failed: ${(error as Error).message}`);
    }
  }

  let sweeping = false;
  async function sweep() {
    if (sweeping) return; // a sweep on a slow or unreachable database must not pile up behind itself
    sweeping = true;
    try {
      await sweepStaleClaims();
      await sweepFinishedExperiments();
    } finally {
      sweeping = false;
    }
  }

  const sweeper = setInterval(() => void sweep(), Math.max(250, staleMs / 2));
  sweeper.unref();
  const loop = fetchLoop();

  return {
    workerId,
    get active() {
      return running.size;
    },
    stats: () => ({ ...stats, outcomes: { ...stats.outcomes } }),
    async close() {
      shutdown.abort();
      clearInterval(sweeper);
      await loop;
      await Promise.allSettled([...running]);
      keeper.close();
    },
  };
}
