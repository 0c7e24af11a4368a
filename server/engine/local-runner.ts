// Runs experiments for the web server process. Launching or resuming an experiment enqueues its trees on the job
// queue (queue/tree-queue.ts); an in-process queue worker (single-machine mode, the default) searches them, and any
// `o1c worker` processes pointed at the same database share the work. The `serve` command creates this outside
// Next's bundle (so the sandbox finds its forkserver script and llama.cpp its native binary) and registers it;
// route handlers reach it through runner-registry.ts without bundling any of this.
import type { Db } from "../db/index.ts";
import { ConflictError } from "../errors.ts";
import { createLlmFactory } from "../llm/index.ts";
import { createSandbox, type Sandbox } from "../sandbox/index.ts";
import { createTcgRun, executeTcgRun } from "../tcg/index.ts";
import type { TcgConfigInput } from "../contracts/index.ts";
import { openTreeQueue, type TreeQueue } from "./queue/tree-queue.ts";
import { startTreeWorker, type TreeWorker } from "./queue/tree-worker.ts";
import type { ExperimentRunner } from "./runner-registry.ts";

export interface LocalRunnerOptions {
  databaseUrl: string;
  /** Run an in-process queue worker (default true); false when separate `o1c worker` processes do the searching. */
  worker?: boolean;
  /** Trees the in-process worker searches at once (default 16). */
  concurrency?: number;
  /** The in-process worker's heartbeat, which is how quickly it notices a cancel (default: the worker's). */
  heartbeatMs?: number;
  log?: (message: string) => void;
}

/** How long a stopping server waits for the TCG problems in flight (an LLM answer, its validation) to be stored. */
const TCG_STOP_GRACE_MS = 5_000;

export function createLocalRunner(prisma: Db, options: LocalRunnerOptions): ExperimentRunner {
  const log = options.log ?? console.error;
  const llms = createLlmFactory();
  let sandbox: Sandbox | null = null;
  let worker: TreeWorker | null = null;
  const ready = openQueueAndWorker();
  ready.catch((error) => log(`the job queue could not start: ${(error as Error).message}`));
  const started = new Set<string>();
  /** TCG runs executing in this process; close() stops them between problems. */
  const tcgRuns = new Map<string, Promise<unknown>>();
  const stopping = new AbortController();
  let ownSandbox: Promise<Sandbox> | null = null;

  /** The worker's sandbox; without an in-process worker (`serve --no-worker`), one made on first use. */
  async function tcgSandbox(): Promise<Sandbox> {
    if (options.worker !== false) {
      await ready.catch(() => null);
      if (sandbox) return sandbox;
    }
    ownSandbox ??= createSandbox();
    return ownSandbox;
  }

  async function startTcg(input: unknown): Promise<{ runId: string }> {
    if (stopping.signal.aborted) throw new ConflictError("the server is stopping; start the test generation run again after it restarts");
    // createTcgRun parses the input with the zod schema: a bad config throws before anything is written.
    const created = await createTcgRun(prisma, input as TcgConfigInput, "tcg config");
    const execution = (async () => {
      const edges = { sandbox: await tcgSandbox(), llm: llms.create(created.config.llm), signal: stopping.signal };
      return executeTcgRun(prisma, created, edges);
    })()
      .catch(async (error) => {
        log(`TCG run ${created.runId} failed: ${(error as Error).message}`);
        // executeTcgRun marks its own failures; this covers a sandbox that could not start.
        await prisma.tcgRun
          .updateMany({ where: { id: created.runId, status: "RUNNING" }, data: { status: "FAILED", error: (error as Error).message, finishedAt: new Date() } })
          .catch(() => {});
      })
      .finally(() => tcgRuns.delete(created.runId));
    tcgRuns.set(created.runId, execution);
    return { runId: created.runId };
  }

  /** Stops the TCG runs: no new problem starts; the problems in flight get a few seconds, then the runs are marked
   * failed so none is left "running" forever (their generated tests so far stay stored). */
  async function stopTcgRuns() {
    stopping.abort(new Error("server stopped before the run finished"));
    if (tcgRuns.size === 0) return;
    const ids = [...tcgRuns.keys()];
    await Promise.race([Promise.allSettled(tcgRuns.values()), new Promise((resolve) => setTimeout(resolve, TCG_STOP_GRACE_MS).unref())]);
    await prisma.tcgRun
      .updateMany({ where: { id: { in: ids }, status: "RUNNING" }, data: { status: "FAILED", error: "server stopped before the run finished", finishedAt: new Date() } })
      .catch((error) => log(`TCG runs could not be marked stopped: ${(error as Error).message}`));
  }

  async function openQueueAndWorker(): Promise<TreeQueue> {
    const queue = await openTreeQueue(options.databaseUrl, { onError: (e) => log(`job queue: ${e.message}`) });
    if (options.worker !== false) {
      sandbox = await createSandbox();
      worker = startTreeWorker(prisma, queue, {
        sandbox,
        createLlm: (endpoint) => llms.create(endpoint),
        concurrency: options.concurrency ?? 16,
        heartbeatMs: options.heartbeatMs,
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
    startTcg,
    async close() {
      await stopTcgRuns();
      const queue = await ready.catch(() => null);
      await worker?.close(); // stops between steps; the trees go back to the queue and can be resumed
      await queue?.close();
      await llms.close();
      await sandbox?.close();
      await (await ownSandbox?.catch(() => null))?.close();
    },
  };
}
