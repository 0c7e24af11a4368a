// Self-play loops as rows: create (or find again by name, with the same plan), read as the report the CLI prints,
// list, and cancel. Running one is run-loop.ts.
import type { Db } from "../db/index.ts";
import type { Prisma } from "../db/index.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { ensureLineageTx } from "../lineage/index.ts";
import { cancelExperiment } from "../experiments/index.ts";
import { selectProblemIds } from "../datasets/index.ts";
import { cancelTrainingJob } from "../training/index.ts";
import { configFieldError, firstPosition, parseLoopConfig, problemSelection, type IterationState, type LoopConfig } from "../contracts/index.ts";

export interface LoopProblems {
  datasetId: string;
  train: Array<{ id: string; externalId: string }>;
  eval: Array<{ id: string; externalId: string }>;
}

/** Both splits as problem rows; an overlap is refused naming the problems: held-out problems must never be trained on. */
export async function resolveLoopProblems(prisma: Db, config: LoopConfig, source = "loop.json"): Promise<LoopProblems> {
  const dataset = await prisma.dataset.findUnique({ where: { name: config.dataset }, select: { id: true } });
  if (!dataset) throw configFieldError(source, ["dataset"], `no dataset named '${config.dataset}' (o1c datasets lists them)`);
  const pick = async (field: "trainProblems" | "evalProblems") => {
    const ids = await selectProblemIds(prisma, dataset.id, problemSelection(config, field, source), `${source} field ${field}`);
    const rows = await prisma.problem.findMany({ where: { id: { in: ids } }, orderBy: { ordinal: "asc" }, select: { id: true, externalId: true } });
    return rows;
  };
  const train = await pick("trainProblems");
  const held = await pick("evalProblems");
  const trainIds = new Set(train.map((p) => p.id));
  const both = held.filter((p) => trainIds.has(p.id));
  if (both.length > 0) {
    throw configFieldError(
      source,
      ["evalProblems"],
      `${both.length} problem(s) are in both trainProblems and evalProblems (${both.slice(0, 10).map((p) => p.externalId).join(", ")}${both.length > 10 ? ", …" : ""}); held-out problems must never reach training data`,
    );
  }
  return { datasetId: dataset.id, train, eval: held };
}

/**
 * The loop named in the config: created (with its lineage) when new, else the stored one — whose plan must be the
 * same, since its finished stages were done under that plan.
 */
export async function createOrFindLoop(prisma: Db, input: unknown, source = "loop.json"): Promise<{ id: string; created: boolean }> {
  const config = parseLoopConfig(input, source);
  await resolveLoopProblems(prisma, config, source);
  const existing = await prisma.selfPlayLoop.findUnique({ where: { name: config.name }, select: { id: true, config: true } });
  if (existing) {
    const field = firstDifference(existing.config as unknown as LoopConfig, config);
    if (field) throw new ConflictError(`loop '${config.name}' exists with a different plan (${field} differs); give the loop a new name to change it`);
    return { id: existing.id, created: false };
  }
  const start = firstPosition(config.iterations);
  const created = await prisma.$transaction(async (tx) => {
    const lineageId = await ensureLineageTx(tx, config.name);
    if (config.description) await tx.lineage.updateMany({ where: { id: lineageId, description: null }, data: { description: config.description } });
    return tx.selfPlayLoop.create({
      data: { name: config.name, lineageId, config: config as unknown as Prisma.InputJsonValue, iteration: start.iteration, stage: start.stage, state: [] },
      select: { id: true },
    });
  });
  return { id: created.id, created: true };
}

function firstDifference(stored: LoopConfig, given: LoopConfig): string | null {
  const keys = new Set([...Object.keys(stored), ...Object.keys(given)]);
  for (const key of keys) {
    if (canonical((stored as Record<string, unknown>)[key]) !== canonical((given as Record<string, unknown>)[key])) return key;
  }
  return null;
}

/** JSON with object keys sorted: PostgreSQL's jsonb does not keep the key order the config was written in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

export async function findLoopByName(prisma: Db, name: string) {
  const loop = await prisma.selfPlayLoop.findUnique({ where: { name: name.trim() } });
  if (!loop) throw new NotFoundError(`no loop named '${name}'`);
  return loop;
}

export async function listLoops(prisma: Db) {
  return prisma.selfPlayLoop.findMany({
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, status: true, iteration: true, stage: true, error: true, createdAt: true, finishedAt: true, config: true },
  });
}

export interface LoopReport {
  lineage: string;
  loopId: string;
  status: string;
  iteration: number;
  stage: string;
  error: string | null;
  iterations: Array<{
    iteration: number;
    model: string | null;
    baseUrl: string | null;
    searchExperimentId: string | null;
    evalExperimentId: string | null;
    eval: { pass1: number | null; aspr: number | null; tokensPerProblem: number | null; status: string | null };
    /** logTail: the last lines the trainer wrote (stdout and stderr), as the Self-play page shows them. */
    training: Array<{ jobId: string; recipe: string; status: string; output: string; attempt: number; error: string | null; logTail: string }>;
  }>;
}

/** The loop as `o1c loop run --json` prints it: iterations 0..K, 0 being the base policy (no training). */
export async function getLoopReport(prisma: Db, loopId: string): Promise<LoopReport> {
  const loop = await prisma.selfPlayLoop.findUnique({ where: { id: loopId }, include: { lineage: { select: { name: true } } } });
  if (!loop) throw new NotFoundError(`no loop ${loopId}`);
  const config = loop.config as unknown as LoopConfig;
  const states = loop.state as unknown as IterationState[];
  const evalIds = states.map((s) => s.evalExperimentId).filter((id): id is string => Boolean(id));
  const evals = new Map((await prisma.experiment.findMany({ where: { id: { in: evalIds } }, select: { id: true, status: true, metrics: true } })).map((e) => [e.id, e]));
  const jobs = await prisma.trainingJob.findMany({ where: { loopId }, orderBy: [{ iteration: "asc" }, { createdAt: "asc" }] });
  return {
    lineage: loop.lineage.name,
    loopId: loop.id,
    status: loop.status.toLowerCase(),
    iteration: loop.iteration,
    stage: loop.stage,
    error: loop.error,
    iterations: Array.from({ length: config.iterations + 1 }, (_, iteration) => {
      const state = states.find((s) => s.iteration === iteration);
      const experiment = state?.evalExperimentId ? evals.get(state.evalExperimentId) : undefined;
      const metrics = (experiment?.metrics ?? null) as { pass1?: number | null; aspr?: number | null; tokensPerProblem?: number | null } | null;
      return {
        iteration,
        model: state?.model ?? null,
        baseUrl: state?.baseUrl ?? null,
        searchExperimentId: state?.searchExperimentId ?? null,
        evalExperimentId: state?.evalExperimentId ?? null,
        eval: { pass1: metrics?.pass1 ?? null, aspr: metrics?.aspr ?? null, tokensPerProblem: metrics?.tokensPerProblem ?? null, status: experiment?.status.toLowerCase() ?? null },
        training: jobs
          .filter((j) => j.iteration === iteration)
          .map((j) => ({ jobId: j.id, recipe: j.recipe, status: j.status.toLowerCase(), output: j.outputPath, attempt: j.attempt, error: j.error, logTail: j.logTail })),
      };
    }),
  };
}

/**
 * Cancels the loop and whatever it is running (the stage's experiment, its training jobs): the process running the
 * loop sees the rows change and stops. `o1c loop run` on the same config resumes it later.
 */
export async function cancelLoop(prisma: Db, loopId: string): Promise<void> {
  const changed = await prisma.selfPlayLoop.updateMany({ where: { id: loopId, status: { in: ["QUEUED", "RUNNING"] } }, data: { status: "CANCELLED", finishedAt: new Date() } });
  if (changed.count === 0) {
    const loop = await prisma.selfPlayLoop.findUnique({ where: { id: loopId }, select: { status: true } });
    if (!loop) throw new NotFoundError(`no loop ${loopId}`);
    throw new ConflictError(`the loop is already ${loop.status.toLowerCase()}`);
  }
  const loop = await prisma.selfPlayLoop.findUniqueOrThrow({ where: { id: loopId }, select: { state: true } });
  const experimentIds = (loop.state as unknown as IterationState[]).flatMap((s) => [s.searchExperimentId, s.evalExperimentId]).filter((id): id is string => Boolean(id));
  const running = await prisma.experiment.findMany({ where: { id: { in: experimentIds }, status: { in: ["QUEUED", "RUNNING"] } }, select: { id: true } });
  for (const { id } of running) await cancelExperiment(prisma, id).catch(ignoreConflict);
  const jobs = await prisma.trainingJob.findMany({ where: { loopId, status: { in: ["QUEUED", "RUNNING"] } }, select: { id: true } });
  for (const { id } of jobs) await cancelTrainingJob(prisma, id).catch(ignoreConflict);
}

function ignoreConflict(error: unknown) {
  if (!(error instanceof ConflictError)) throw error; // finished meanwhile
}

/** The Self-play page: the report, the plan, and every training job of the loop with its log tail. */
export async function getLoopDetail(prisma: Db, loopId: string) {
  const report = await getLoopReport(prisma, loopId);
  const loop = await prisma.selfPlayLoop.findUniqueOrThrow({ where: { id: loopId }, select: { config: true, createdAt: true, startedAt: true, finishedAt: true, claimedBy: true } });
  const jobs = await prisma.trainingJob.findMany({
    where: { loopId },
    orderBy: [{ iteration: "asc" }, { createdAt: "asc" }],
    select: { id: true, recipe: true, iteration: true, attempt: true, status: true, backend: true, command: true, logTail: true, error: true, outputPath: true, startedAt: true, finishedAt: true, inputs: true },
  });
  return { ...report, config: loop.config as unknown as LoopConfig, createdAt: loop.createdAt, startedAt: loop.startedAt, finishedAt: loop.finishedAt, runningOn: loop.claimedBy, jobs };
}
