// The job queue on the app's own PostgreSQL (pg-boss 10, schema `pgboss`): one job per search tree. Jobs are
// tickets, not locks — whoever fetches one still has to claim the tree (tree-claim.ts), so a duplicate or late job
// is harmless. The queue's `short` policy keeps at most one waiting job per tree (singletonKey = tree id).
// A job that fails (LLM server down, database restarting) goes back with exponential backoff and resumes the tree
// from its persisted state; only when its retries are spent is the tree marked FAILED.
import PgBoss from "pg-boss";
import { CONNECT_TIMEOUT_MS, type Db } from "../../db/index.ts";
import { NotFoundError } from "../../errors.ts";

export const TREE_QUEUE = "o1c-tree";

export interface TreeJobData {
  experimentId: string;
  treeId: string;
}

export interface RetryPolicy {
  /** Failed attempts handed back to the queue before the tree is FAILED. */
  retryLimit: number;
  /** Seconds before the first retry; doubles each time (pg-boss retryBackoff), with jitter. */
  retryDelaySeconds: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retryLimit: 5, retryDelaySeconds: 15 };

// An active job is a ticket whose holder's liveness is tracked by the tree's heartbeat, not by pg-boss; the expiry
// only bounds how long a job of a dead worker stays "active" in pg-boss's own tables.
const JOB_EXPIRE_SECONDS = 4 * 3600;

export interface TreeQueue {
  boss: PgBoss;
  /** Enqueues every unfinished tree of the experiment; returns how many jobs were added (waiting ones are kept). */
  enqueueExperiment(prisma: Db, experimentId: string): Promise<number>;
  enqueueTrees(trees: readonly TreeJobData[], options?: { startAfterSeconds?: number }): Promise<void>;
  close(): Promise<void>;
}

export interface OpenQueueOptions {
  retry?: Partial<RetryPolicy>;
  /** Connections of pg-boss's own pool. */
  poolSize?: number;
  onError?: (error: Error) => void;
  /** Shown in pg_stat_activity (default "o1c-queue"). */
  applicationName?: string;
}

export async function openTreeQueue(databaseUrl: string, options: OpenQueueOptions = {}): Promise<TreeQueue> {
  const retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const config: PgBoss.ConstructorOptions & { connectionTimeoutMillis: number } = {
    connectionString: databaseUrl,
    max: options.poolSize ?? 4,
    // Passed through to pg.Pool (pg-boss's types omit it): see server/db/client.ts.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    schema: "pgboss",
    application_name: options.applicationName ?? "o1c-queue",
    // Maintenance (expiring, archiving) runs in every instance; it takes an advisory lock, so instances don't collide.
    maintenanceIntervalSeconds: 60,
  };
  const boss = new PgBoss(config);
  // pg-boss emits 'error' for failed polls and maintenance (e.g. while PostgreSQL restarts) and retries by itself;
  // without a listener Node would crash the process on the first one.
  boss.on("error", (error) => options.onError?.(error));
  await boss.start();
  await ensureQueue(boss, retry);

  async function enqueueTrees(trees: readonly TreeJobData[], options: { startAfterSeconds?: number } = {}) {
    if (trees.length === 0) return;
    const startAfter = options.startAfterSeconds ? new Date(Date.now() + options.startAfterSeconds * 1000) : undefined;
    await boss.insert(
      trees.map((data) => ({
        name: TREE_QUEUE,
        data,
        singletonKey: data.treeId,
        retryLimit: retry.retryLimit,
        retryDelay: retry.retryDelaySeconds,
        retryBackoff: true,
        expireInSeconds: JOB_EXPIRE_SECONDS,
        startAfter,
      })),
    );
  }

  return {
    boss,
    enqueueTrees,
    async enqueueExperiment(prisma, experimentId) {
      const experiment = await prisma.experiment.findUnique({ where: { id: experimentId }, select: { id: true } });
      if (!experiment) throw new NotFoundError(`no experiment ${experimentId}`);
      const trees = await prisma.searchTree.findMany({
        where: { experimentId, status: { in: ["PENDING", "RUNNING", "CANCELLED"] } },
        orderBy: { problem: { ordinal: "asc" } },
        select: { id: true },
      });
      await enqueueTrees(trees.map((t) => ({ experimentId, treeId: t.id })));
      return trees.length;
    },
    close: () => boss.stop({ graceful: false, wait: true, close: true }),
  };
}

async function ensureQueue(boss: PgBoss, retry: RetryPolicy) {
  if (await boss.getQueue(TREE_QUEUE)) return;
  try {
    await boss.createQueue(TREE_QUEUE, {
      name: TREE_QUEUE,
      policy: "short",
      retryLimit: retry.retryLimit,
      retryDelay: retry.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: JOB_EXPIRE_SECONDS,
    });
  } catch (error) {
    // Another process created it between our check and our insert.
    if (!(await boss.getQueue(TREE_QUEUE))) throw error;
  }
}
