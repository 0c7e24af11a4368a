// Runs experiments inside the web server process (single-machine mode). The `serve` command creates it outside
// Next's bundle (so the sandbox finds its forkserver script and llama.cpp its native binary) and registers it;
// route handlers reach it through runner-registry.ts without bundling any of this.
import type { Db } from "../db/client.ts";
import { ConflictError } from "../errors.ts";
import { createLlmFactory } from "../llm/create-llm-client.ts";
import { createSandbox } from "../sandbox/index.ts";
import type { Sandbox } from "../sandbox/types.ts";
import { runExperiment } from "./run-experiment.ts";
import type { ExperimentRunner } from "./runner-registry.ts";

export function createLocalRunner(prisma: Db, log: (message: string) => void = console.error): ExperimentRunner {
  const active = new Map<string, Promise<void>>();
  const shutdown = new AbortController();
  let sandbox: Promise<Sandbox> | null = null;
  const llms = createLlmFactory();

  function start(experimentId: string) {
    if (active.has(experimentId)) return;
    sandbox ??= createSandbox();
    const run = (async () => {
      try {
        await runExperiment(prisma, experimentId, {
          sandbox: await sandbox!,
          createLlm: (endpoint) => llms.create(endpoint),
          signal: shutdown.signal,
        });
      } catch (error) {
        log(`experiment ${experimentId} failed: ${(error as Error).message}`);
        await prisma.experiment
          .updateMany({ where: { id: experimentId, status: { in: ["QUEUED", "RUNNING"] } }, data: { status: "FAILED", error: (error as Error).message, finishedAt: new Date() } })
          .catch(() => {});
      } finally {
        active.delete(experimentId);
      }
    })();
    active.set(experimentId, run);
  }

  return {
    start,
    async resume(experimentId) {
      if (active.has(experimentId)) throw new ConflictError(`experiment ${experimentId} is already running here`);
      // RUNNING but not active here: interrupted by a shutdown or crash of the process that ran it.
      const changed = await prisma.experiment.updateMany({
        where: { id: experimentId, status: { in: ["CANCELLED", "FAILED", "RUNNING"] } },
        data: { status: "QUEUED", finishedAt: null, error: null },
      });
      if (changed.count === 0) throw new ConflictError(`experiment ${experimentId} is not cancelled, failed or interrupted`);
      await prisma.searchTree.updateMany({ where: { experimentId, status: { in: ["CANCELLED", "FAILED"] } }, data: { status: "PENDING" } });
      start(experimentId);
    },
    running: () => [...active.keys()],
    async close() {
      shutdown.abort(); // stops between steps; the experiments stay RUNNING and can be resumed
      await Promise.allSettled(active.values());
      await llms.close();
      if (sandbox) await (await sandbox).close();
    },
  };
}
