// Drives one training job to its end in this process: starts it on its backend (or finds it again after a
// restart), keeps its log tail and heartbeat in the database, stops it when the row is cancelled, and records the
// outcome. A trainer that exits 0 without writing an adapter (adapter_config.json) has failed: the next stage would
// otherwise publish nothing.
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Db } from "../db/index.ts";
import type { RunningTraining, TrainingBackend, TrainingExit } from "./backend.ts";
import { createLogTail } from "./log-tail.ts";
import { getTrainingJob, type TrainingJobRow } from "./training-job-service.ts";

export interface RunTrainingOptions {
  backend: TrainingBackend;
  /** How often the log tail is saved and a cancel looked for. */
  pollMs?: number;
  /** The process is stopping: stop following (the job stays running; a restart finds it again or reports it lost). */
  signal?: AbortSignal;
}

export async function runTrainingJob(prisma: Db, jobId: string, options: RunTrainingOptions): Promise<TrainingJobRow> {
  const pollMs = options.pollMs ?? 1_000;
  const job = await getTrainingJob(prisma, jobId);
  if (job.status !== "QUEUED" && job.status !== "RUNNING") return job;
  const log = createLogTail();
  log.replace(job.logTail);
  const running = await startOrReattach(prisma, job, options.backend, log);
  if (!running) return getTrainingJob(prisma, jobId);

  const finished = running.done.then((exit) => ({ exit }));
  for (;;) {
    const tick = new Promise<null>((resolve) => setTimeout(() => resolve(null), pollMs));
    const outcome = await Promise.race([finished, tick]);
    if (outcome) return settle(prisma, job, outcome.exit, log.text());
    // A cancel is looked for first: a loop that is cancelled also stops following, and its job must still be stopped.
    const current = await prisma.trainingJob.findUnique({ where: { id: jobId }, select: { status: true } });
    if (current?.status === "CANCELLED") {
      await running.cancel().catch((error) => log.append(`\n[o1c] stopping the job failed: ${(error as Error).message}\n`));
      return settle(prisma, job, await running.done, log.text());
    }
    if (options.signal?.aborted) {
      running.stopFollowing();
      await saveTail(prisma, jobId, log.text());
      return getTrainingJob(prisma, jobId);
    }
    await prisma.trainingJob.update({ where: { id: jobId }, data: { heartbeatAt: new Date(), ...(log.takeChanged() ? { logTail: log.text() } : {}) } });
  }
}

async function startOrReattach(prisma: Db, job: TrainingJobRow, backend: TrainingBackend, log: ReturnType<typeof createLogTail>): Promise<RunningTraining | null> {
  if (job.status === "RUNNING") {
    const found = await backend.reattach({ jobId: job.id, handle: job.handle, host: job.host, log }).catch((error) => ({ lost: (error as Error).message }));
    if ("lost" in found) {
      await fail(prisma, job.id, found.lost, log.text());
      return null;
    }
    return found;
  }
  const claimed = await prisma.trainingJob.updateMany({
    where: { id: job.id, status: "QUEUED" },
    data: { status: "RUNNING", startedAt: new Date(), heartbeatAt: new Date(), host: os.hostname() },
  });
  if (claimed.count === 0) return null; // cancelled (or taken) meanwhile
  try {
    const running = await backend.start({ jobId: job.id, command: job.command, log });
    await prisma.trainingJob.update({ where: { id: job.id }, data: { handle: running.handle } });
    return running;
  } catch (error) {
    await fail(prisma, job.id, `could not start on ${backend.name}: ${(error as Error).message}`, log.text());
    return null;
  }
}

async function settle(prisma: Db, job: TrainingJobRow, exit: TrainingExit, logTail: string): Promise<TrainingJobRow> {
  let error = exit.ok ? null : (exit.message ?? "failed");
  if (exit.ok && !existsSync(path.join(job.outputPath, "adapter_config.json"))) {
    error = `the trainer exited 0 but wrote no adapter (adapter_config.json) in ${job.outputPath}`;
  }
  const data = { exitCode: exit.exitCode, logTail, finishedAt: new Date(), heartbeatAt: new Date() };
  // A cancelled row stays cancelled; everything else gets the backend's verdict.
  await prisma.trainingJob.updateMany({ where: { id: job.id, status: "RUNNING" }, data: { ...data, status: error ? "FAILED" : "SUCCEEDED", error } });
  await prisma.trainingJob.updateMany({ where: { id: job.id, status: "CANCELLED" }, data: { exitCode: exit.exitCode, logTail } });
  return getTrainingJob(prisma, job.id);
}

async function fail(prisma: Db, jobId: string, error: string, logTail: string) {
  await prisma.trainingJob.updateMany({ where: { id: jobId, status: { in: ["QUEUED", "RUNNING"] } }, data: { status: "FAILED", error, logTail, finishedAt: new Date() } });
}

async function saveTail(prisma: Db, jobId: string, logTail: string) {
  await prisma.trainingJob.update({ where: { id: jobId }, data: { logTail } });
}
