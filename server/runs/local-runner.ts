// Runs experiments for the web server process. Launching or resuming an experiment enqueues its trees on the job
// queue (queue/tree-queue.ts); an in-process queue worker (single-machine mode, the default) searches them, and any
// `o1c worker` processes pointed at the same database share the work. The `serve` command creates this outside
// Next's bundle (so the sandbox finds its forkserver script and llama.cpp its native binary) and registers it;
// route handlers reach it through runner-registry.ts without bundling any of this.
import type { Db } from "../db/client.ts";
import { ConflictError } from "../errors.ts";
import { createLlmFactory } from "../llm/create-llm-client.ts";
import { createSandbox } from "../sandbox/index.ts";
import type { Sandbox } from "../sandbox/types.ts";
import { openTreeQueue, type TreeQueue } from "./queue/tree-queue.ts";
import { startTreeWorker, type TreeWorker } from "./queue/tree-worker.ts";
import type { ExperimentRunner } from "./runner-registry.ts";

export interface LocalRunnerOptions {
  databaseUrl: string;
  /** Run an in-process queue worker (default true); false when separate `o1c worker` processes do the searching. */
  worker?: boolean;
  /** Trees the in-process worker searches at once (default 16). */
  concurrency?: number;
  log?: (message: string) => void;
}

export function createLocalRunner(prisma: Db, options: LocalRunnerOptions): ExperimentRunner {
  const log = options.log ?? console.error;
  const llms = createLlmFactory();
  let sandbox: Sandbox | null = null;
  let worker: TreeWorker | null = null;
  const ready = openQueueAndWorker();
  ready.catch((error) => log(`the job queue could not start: ${(error as Error).message}`));
  const started = new Set<string>();

  async function openQueueAndWorker(): Promise<TreeQueue> {
    const queue = await openTreeQueue(options.databaseUrl, { onError: (e) => log(`job queue: ${e.message}`) });
    if (options.worker !== false) {
      sandbox = await createSandbox();
      worker = startTreeWorker(prisma, queue, {
        sandbox,
        createLlm: (endpoint) => llms.create(endpoint),
        concurrency: options.concurrency ?? 16,
        log,
      });
    }
    return queue;
  }

  async function enqueue(experimentId: string) {
    try {
      const queue = await ready;
      await queue.enqueueExperiment(prisma, experimentId);
      started.add(experimentId);
    } catch (error) {
      log(`experiment ${experimentId} could not be enqueued: ${(error as Error).message}`);
      await prisma.experiment
        .updateMany({ where: { id: experimentId, status: { in: ["QUEUED", "RUNNING"] } }, data: { status: "FAILED", error: (error as Error).message, finishedAt: new Date() } })
        .catch(() => {});
    }
  }

  return {
    start(experimentId) {
      void enqueue(experimentId);
    },
    async resume(experimentId) {
      // RUNNING covers an experiment interrupted by a shutdown or crash; its trees' claims decide who continues them.
      const changed = await prisma.experiment.updateMany({
        where: { id: experimentId, status: { in: ["CANCELLED", "FAILED", "RUNNING"] } },
        data: { status: "QUEUED", finishedAt: null, error: null },
      });
      if (changed.count === 0) throw new ConflictError(`experiment ${experimentId} is not cancelled, failed or interrupted`);
      await prisma.searchTree.updateMany({ where: { experimentId, status: { in: ["CANCELLED", "FAILED"] } }, data: { status: "PENDING" } });
      await enqueue(experimentId);
    },
    running: () => [...started],
    async close() {
      const queue = await ready.catch(() => null);
      await worker?.close(); // stops between steps; the trees go back to the queue and can be resumed
      await queue?.close();
      await llms.close();
      await sandbox?.close();
    },
  };
}
