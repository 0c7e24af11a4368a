// Runs a self-play loop in this process, stage by stage (loop-stages.ts), to the end. Every finished stage is stored
// (compare-and-set on this process's claim) before the next starts, and ids are stored as soon as things exist, so
// after kill -9 a new `o1c loop run` continues the stage that was running — its experiment's finished trees and
// succeeded training jobs are kept — and redoes nothing that finished. Cancel (cancelLoop, from any process) stops
// the running experiment or training job too; running the loop again resumes it.
import path from "node:path";
import type { Db } from "../db/index.ts";
import type { LlmClient } from "../llm/index.ts";
import { publishEndpoint, publishVllmLora } from "../publish/index.ts";
import { createExperimentFromInput } from "../experiments/index.ts";
import { llmEndpointSchema, type LlmEndpoint } from "../contracts/index.ts";
import { runExperiment } from "../engine/index.ts";
import { createTcgRun, executeTcgRun } from "../tcg/index.ts";
import type { Sandbox } from "../sandbox/index.ts";
import {
  createCommandBackend,
  createRayBackend,
  createTrainingJob,
  describeInputFile,
  expandLoopRecipes,
  runTrainingJob,
  type TrainingBackend,
  type TrainingJobRow,
} from "../training/index.ts";
import { holderIsDeadHere, claimLoop, newHolderId } from "./loop-claim.ts";
import { advance, iterationState, parseLoopConfig, trainingTemplate, withIteration, type IterationState, type LoopConfig, type Position } from "../contracts/index.ts";
import { assertNoHeldOut, concatenateJsonl, iterationDir, loopRoot, writeIterationExport } from "./loop-files.ts";
import { getLoopReport, resolveLoopProblems, type LoopProblems, type LoopReport } from "./loop-service.ts";

export interface LoopRunDeps {
  sandbox: Sandbox;
  createLlm: (endpoint: LlmEndpoint) => LlmClient & { stats?: () => { retries: number } };
  /** The process is stopping: stop between steps, leave the loop resumable. */
  signal?: AbortSignal;
  log?: (line: string) => void;
  heartbeatMs?: number;
  staleMs?: number;
  trainingPollMs?: number;
  /** Extra environment for command-backend trainers (on top of the loop's training.env). */
  trainingEnv?: Record<string, string>;
}

/** The loop stopped without failing: cancelled, its claim lost, or the process shutting down. */
class LoopStopped extends Error {}

interface LoopContext {
  prisma: Db;
  loopId: string;
  loopName: string;
  holder: string;
  config: LoopConfig;
  problems: LoopProblems;
  heldOut: Set<string>;
  root: string;
  backend: TrainingBackend;
  deps: LoopRunDeps;
  stop: AbortSignal;
  log: (line: string) => void;
  position: Position;
  states: IterationState[];
}

export async function runLoop(prisma: Db, loopId: string, deps: LoopRunDeps): Promise<LoopReport> {
  const row = await prisma.selfPlayLoop.findUniqueOrThrow({ where: { id: loopId } });
  if (row.status === "COMPLETED") return getLoopReport(prisma, loopId);
  const holder = newHolderId();
  await claimLoop(prisma, loopId, holder, deps.staleMs);
  const log = deps.log ?? (() => {});
  const stopper = new AbortController();
  let stopReason: string | null = null;
  const stopFor = (reason: string) => {
    stopReason ??= reason;
    stopper.abort();
  };
  const onShutdown = () => stopFor("the process is stopping");
  deps.signal?.addEventListener("abort", onShutdown);
  const heartbeat = setInterval(() => void beat(), deps.heartbeatMs ?? 1_000);
  async function beat() {
    try {
      const kept = await prisma.selfPlayLoop.updateMany({ where: { id: loopId, claimedBy: holder, status: "RUNNING" }, data: { heartbeatAt: new Date() } });
      if (kept.count === 0) {
        const now = await prisma.selfPlayLoop.findUnique({ where: { id: loopId }, select: { status: true } });
        if (now?.status === "CANCELLED") {
          // Mark the loop's jobs cancelled before stopping, so the job follower stops the trainer rather than leaving it.
          await prisma.trainingJob.updateMany({ where: { loopId, status: { in: ["QUEUED", "RUNNING"] } }, data: { status: "CANCELLED", error: "cancelled", finishedAt: new Date() } });
        }
        stopFor(now?.status === "CANCELLED" ? "cancelled" : "another process took the loop over");
      }
    } catch (error) {
      log(`loop heartbeat failed: ${(error as Error).message}`);
    }
  }

  try {
    await prisma.selfPlayLoop.updateMany({
      where: { id: loopId, claimedBy: holder },
      data: { status: "RUNNING", error: null, finishedAt: null, startedAt: row.startedAt ?? new Date() },
    });
    const config = parseLoopConfig(row.config, `loop '${row.name}' config`);
    const problems = await resolveLoopProblems(prisma, config, `loop '${row.name}' config`);
    const ctx: LoopContext = {
      prisma,
      loopId,
      loopName: row.name,
      holder,
      config,
      problems,
      heldOut: new Set(problems.eval.map((p) => p.id)),
      root: loopRoot(config.training.outputRoot, row.name),
      backend: backendFor(config, deps),
      deps,
      stop: stopper.signal,
      log,
      position: { iteration: row.iteration, stage: row.stage as Position["stage"] },
      states: row.state as unknown as IterationState[],
    };
    await releaseDeadTreeClaims(ctx);
    while (ctx.position.stage !== "done") {
      if (stopper.signal.aborted) throw new LoopStopped(stopReason ?? "stopped");
      log(`iteration ${ctx.position.iteration}: ${ctx.position.stage}`);
      await runStage(ctx);
      const next = advance(ctx.position, config.iterations);
      await save(ctx, next);
      ctx.position = next;
    }
    await prisma.selfPlayLoop.updateMany({ where: { id: loopId, claimedBy: holder, status: "RUNNING" }, data: { status: "COMPLETED", finishedAt: new Date(), claimedBy: null } });
  } catch (error) {
    if (stopper.signal.aborted || error instanceof LoopStopped) {
      log(`loop stopped: ${stopReason ?? (error as Error).message}`);
    } else {
      // Compare-and-set on RUNNING: a cancel that landed while the stage was failing (its trainer killed by that cancel)
      // stays a cancel, not a failure.
      const failed = await prisma.selfPlayLoop.updateMany({ where: { id: loopId, claimedBy: holder, status: "RUNNING" }, data: { status: "FAILED", error: (error as Error).message, finishedAt: new Date() } });
      log(failed.count ? `loop failed: ${(error as Error).message}` : `loop stopped: ${(error as Error).message}`);
    }
  } finally {
    clearInterval(heartbeat);
    deps.signal?.removeEventListener("abort", onShutdown);
    // Let the next `loop run` start at once (a cancelled or stopped loop resumes from its stored stage).
    await prisma.selfPlayLoop.updateMany({ where: { id: loopId, claimedBy: holder }, data: { claimedBy: null } });
  }
  return getLoopReport(prisma, loopId);
}

function backendFor(config: LoopConfig, deps: LoopRunDeps): TrainingBackend {
  if (config.training.backend === "ray") {
    const ray = config.training.ray!;
    return createRayBackend({ address: ray.address, runtimeEnv: ray.runtimeEnv, entrypointNumGpus: ray.entrypointNumGpus, entrypointNumCpus: ray.entrypointNumCpus, pollMs: deps.trainingPollMs });
  }
  return createCommandBackend({ env: { ...config.training.env, ...deps.trainingEnv } });
}

/** Stores the state at `position` (the next stage after a finished one, or the same stage with a new id). */
async function save(ctx: LoopContext, position: Position = ctx.position): Promise<void> {
  const saved = await ctx.prisma.selfPlayLoop.updateMany({
    where: { id: ctx.loopId, claimedBy: ctx.holder, status: "RUNNING" },
    data: { iteration: position.iteration, stage: position.stage, state: ctx.states as never, heartbeatAt: new Date() },
  });
  if (saved.count === 0) throw new LoopStopped("the loop was cancelled or taken over");
}

async function update(ctx: LoopContext, patch: Partial<IterationState>): Promise<IterationState> {
  const next = { ...iterationState(ctx.states, ctx.position.iteration), ...patch };
  ctx.states = withIteration(ctx.states, next);
  await save(ctx);
  return next;
}

async function runStage(ctx: LoopContext): Promise<void> {
  switch (ctx.position.stage) {
    case "train":
      return trainStage(ctx);
    case "publish":
      return publishStage(ctx);
    case "eval":
      return experimentStage(ctx, "eval");
    case "search":
      return experimentStage(ctx, "search");
    case "export":
      return exportStage(ctx);
    case "done":
      return;
  }
}

/** The policy of iteration k: the base model for 0, else what publish recorded. */
function policyOf(ctx: LoopContext, iteration: number): { model: string; baseUrl: string } {
  if (iteration === 0) return { model: ctx.config.llm.model, baseUrl: ctx.config.llm.baseUrl };
  const state = iterationState(ctx.states, iteration);
  if (state.model && state.baseUrl) return { model: state.model, baseUrl: state.baseUrl };
  return policyOf(ctx, iteration - 1); // nothing published (e.g. only a PRM was trained): the policy is unchanged
}

async function experimentStage(ctx: LoopContext, kind: "eval" | "search"): Promise<void> {
  const k = ctx.position.iteration;
  const policy = policyOf(ctx, k);
  let state = iterationState(ctx.states, k);
  if (state.model === null) state = await update(ctx, { model: policy.model, baseUrl: policy.baseUrl });
  if (kind === "search" && ctx.config.training.recipes.includes("tcg")) await tcgRun(ctx, policy);
  const key = kind === "eval" ? "evalExperimentId" : "searchExperimentId";
  let experimentId = state[key];
  const name = `${ctx.loopName} · iteration ${k} · ${kind === "eval" ? "held-out eval" : "train search"}`;
  // Killed between creating the experiment and storing its id: the experiment exists, so it is taken, not made again.
  experimentId ??= (await ctx.prisma.experiment.findFirst({ where: { name, dataset: { name: ctx.config.dataset } }, orderBy: { createdAt: "desc" }, select: { id: true } }))?.id;
  if (experimentId && !state[key]) await update(ctx, { [key]: experimentId });
  if (!experimentId) {
    const split = kind === "eval" ? ctx.problems.eval : ctx.problems.train;
    const trainedOn = k === 0 ? undefined : `loop ${ctx.loopName}: ${trainingSummary(ctx, k)}`;
    const created = await createExperimentFromInput(
      ctx.prisma,
      {
        name,
        dataset: ctx.config.dataset,
        problems: { kind: "ids", ids: split.map((p) => p.externalId) },
        mode: ctx.config.mode,
        llm: { baseUrl: policy.baseUrl, model: policy.model, api: ctx.config.llm.api, timeoutMs: ctx.config.llm.timeoutMs, maxRetries: ctx.config.llm.maxRetries },
        search: ctx.config.search,
        sampling: ctx.config.sampling,
        seed: ctx.config.seed + k,
        concurrency: ctx.config.concurrency,
        // The held-out evaluation is the iteration's row on the lineage page; training searches stay off it.
        ...(kind === "eval" ? { lineage: { name: ctx.loopName, iteration: k, trainedOn } } : {}),
      },
      `loop '${ctx.loopName}' ${kind} experiment`,
    );
    experimentId = created.id;
    await update(ctx, { [key]: experimentId });
  }
  await runExperimentToEnd(ctx, experimentId);
}

/**
 * With the `tcg` recipe, the policy first generates tests for the TRAIN problems (the paper's TCG); its validated
 * cases become the TCG training data. A run a killed process left running is marked failed and made again.
 */
async function tcgRun(ctx: LoopContext, policy: { model: string; baseUrl: string }): Promise<void> {
  const state = iterationState(ctx.states, ctx.position.iteration);
  if (state.tcgRunId) {
    const run = await ctx.prisma.tcgRun.findUnique({ where: { id: state.tcgRunId }, select: { status: true } });
    if (run?.status === "COMPLETED") return;
    await ctx.prisma.tcgRun.updateMany({ where: { id: state.tcgRunId, status: "RUNNING" }, data: { status: "FAILED", error: "interrupted: the loop was stopped or restarted", finishedAt: new Date() } });
  }
  const llm = { baseUrl: policy.baseUrl, model: policy.model, api: ctx.config.llm.api, timeoutMs: ctx.config.llm.timeoutMs };
  const created = await createTcgRun(
    ctx.prisma,
    { dataset: ctx.config.dataset, problems: { kind: "ids", ids: ctx.problems.train.map((p) => p.externalId) }, llm, seed: ctx.config.seed + ctx.position.iteration },
    `loop '${ctx.loopName}' TCG run`,
  );
  await update(ctx, { tcgRunId: created.runId });
  await executeTcgRun(ctx.prisma, created, { sandbox: ctx.deps.sandbox, llm: ctx.deps.createLlm(llmEndpointSchema.parse(llm)), signal: ctx.stop });
  if (ctx.stop.aborted) throw new LoopStopped("stopped");
  const run = await ctx.prisma.tcgRun.findUniqueOrThrow({ where: { id: created.runId }, select: { status: true, error: true } });
  if (run.status !== "COMPLETED") throw new Error(`the TCG run ${created.runId} of iteration ${ctx.position.iteration} ${run.status.toLowerCase()}: ${run.error ?? "no reason given"}`);
}

function trainingSummary(ctx: LoopContext, k: number): string {
  const recipes = ctx.config.training.recipes.join(" + ");
  return `${recipes} on ${ctx.config.accumulate ? `the searches of iterations 0-${k - 1}` : `the search of iteration ${k - 1}`}`;
}

/** Runs (or resumes) the experiment here until it completes. */
async function runExperimentToEnd(ctx: LoopContext, experimentId: string): Promise<void> {
  const { prisma } = ctx;
  let first = true;
  for (;;) {
    if (ctx.stop.aborted) throw new LoopStopped("stopped");
    const experiment = await prisma.experiment.findUniqueOrThrow({ where: { id: experimentId }, select: { status: true } });
    if (experiment.status === "COMPLETED") return;
    if (experiment.status === "CANCELLED" && !first) throw new Error(`experiment ${experimentId} was cancelled; run the loop again to resume it`);
    if (experiment.status !== "QUEUED") {
      // Interrupted (kill -9), cancelled with the loop, or failed: back in the queue; finished trees are kept.
      await prisma.experiment.updateMany({ where: { id: experimentId, status: { in: ["RUNNING", "CANCELLED", "FAILED"] } }, data: { status: "QUEUED", finishedAt: null, error: null } });
      await prisma.searchTree.updateMany({ where: { experimentId, status: { in: ["CANCELLED", "FAILED"] } }, data: { status: "PENDING" } });
    }
    first = false;
    const result = await runExperiment(prisma, experimentId, { sandbox: ctx.deps.sandbox, createLlm: ctx.deps.createLlm, signal: ctx.stop, staleMs: ctx.deps.staleMs });
    if (result.status === "completed") return;
    if (result.status === "failed") throw new Error(`experiment ${experimentId} failed: ${result.error}`);
    if (ctx.stop.aborted) throw new LoopStopped("stopped");
    // Some trees are held by another live worker: give it time, then look again.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/** Trees claimed by a process of this host that no longer exists (the killed loop) are freed at once. */
async function releaseDeadTreeClaims(ctx: LoopContext): Promise<void> {
  const ids = ctx.states.flatMap((s) => [s.evalExperimentId, s.searchExperimentId]).filter((id): id is string => Boolean(id));
  if (ids.length === 0) return;
  const held = await ctx.prisma.searchTree.findMany({ where: { experimentId: { in: ids }, status: "RUNNING", claimToken: { not: null } }, select: { id: true, claimedBy: true } });
  const dead = held.filter((t) => t.claimedBy && holderIsDeadHere(t.claimedBy)).map((t) => t.id);
  if (dead.length > 0) await ctx.prisma.searchTree.updateMany({ where: { id: { in: dead } }, data: { claimToken: null, heartbeatAt: null } });
}

async function exportStage(ctx: LoopContext): Promise<void> {
  const k = ctx.position.iteration;
  const state = iterationState(ctx.states, k);
  const exports: NonNullable<IterationState["exports"]> = {};
  for (const recipe of expandLoopRecipes(ctx.config.training.recipes)) {
    if (exports[recipe.dataFile]) continue;
    exports[recipe.dataFile] = await writeIterationExport(ctx.prisma, recipe, { experimentId: state.searchExperimentId!, tcgRunId: state.tcgRunId }, k, path.join(iterationDir(ctx.root, k), "data"), ctx.heldOut);
  }
  await update(ctx, { exports });
}

async function trainStage(ctx: LoopContext): Promise<void> {
  const k = ctx.position.iteration;
  const outputs = new Map<string, string>();
  const jobIds: string[] = [];
  for (const recipe of expandLoopRecipes(ctx.config.training.recipes)) {
    let job = await trainingJobFor(ctx, recipe, outputs);
    let done = await runJob(ctx, job, jobIds);
    // A job a killed process left running cannot be followed (command backend): it was stopped and is tried again.
    if (job.status === "RUNNING" && done.status === "FAILED" && done.error?.startsWith("interrupted by a restart")) {
      ctx.log(`training ${recipe.id}: ${done.error}; starting attempt ${done.attempt + 1}`);
      job = await trainingJobFor(ctx, recipe, outputs);
      done = await runJob(ctx, job, jobIds);
    }
    if (done.status !== "SUCCEEDED") throw new Error(`training ${recipe.id} for iteration ${k} ${done.status.toLowerCase()}: ${done.error ?? "no reason given"} (job ${done.id}; \`o1c loop show ${ctx.loopName}\` prints its log tail)`);
    outputs.set(recipe.id, done.outputPath);
  }
}

async function runJob(ctx: LoopContext, job: TrainingJobRow, jobIds: string[]): Promise<TrainingJobRow> {
  jobIds.push(job.id);
  await update(ctx, { trainingJobIds: [...new Set(jobIds)] });
  const done = job.status === "SUCCEEDED" ? job : await runTrainingJob(ctx.prisma, job.id, { backend: ctx.backend, pollMs: ctx.deps.trainingPollMs, signal: ctx.stop });
  if (ctx.stop.aborted) throw new LoopStopped("stopped");
  return done;
}

/** The job of this recipe in this iteration: a succeeded or still running one is kept, else a new attempt. */
async function trainingJobFor(ctx: LoopContext, recipe: ReturnType<typeof expandLoopRecipes>[number], outputs: Map<string, string>): Promise<TrainingJobRow> {
  const k = ctx.position.iteration;
  const latest = await ctx.prisma.trainingJob.findFirst({ where: { loopId: ctx.loopId, iteration: k, recipe: recipe.id }, orderBy: { attempt: "desc" } });
  if (latest && (latest.status === "SUCCEEDED" || latest.status === "QUEUED" || latest.status === "RUNNING")) return latest;
  const attempt = (latest?.attempt ?? 0) + 1;
  const data = await trainingData(ctx, recipe.dataFile);
  const initFrom = recipe.startsFrom ? (outputs.get(recipe.startsFrom) ?? null) : null;
  return createTrainingJob(ctx.prisma, {
    recipe: recipe.id,
    backend: ctx.config.training.backend,
    template: trainingTemplate(ctx.config),
    templateField: `loop '${ctx.loopName}' training template`,
    data,
    baseModel: ctx.config.training.baseModel ?? ctx.config.llm.model,
    outputPath: path.join(iterationDir(ctx.root, k), "adapters", recipe.id, `attempt-${attempt}`),
    initFrom,
    iteration: k,
    loopId: ctx.loopId,
    attempt,
  });
}

/** Policy k trains on the exports of iterations < k (accumulated) or of k − 1 only; checked against the held-out split. */
async function trainingData(ctx: LoopContext, dataFile: string) {
  const k = ctx.position.iteration;
  const from = ctx.config.accumulate ? Array.from({ length: k }, (_, i) => i) : [k - 1];
  const files = from.map((i) => {
    const file = iterationState(ctx.states, i).exports?.[dataFile];
    if (!file) throw new Error(`iteration ${i} has no ${dataFile} export (its export stage did not finish)`);
    return file;
  });
  const target = path.join(iterationDir(ctx.root, k), "train-data", dataFile);
  await concatenateJsonl(files.map((f) => f.path), target);
  await assertNoHeldOut(target, ctx.heldOut);
  const described = await describeInputFile("data", target, {
    loop: ctx.loopName,
    iterations: from,
    sources: files.map((f) => ({ path: f.path, sha256: f.sha256, records: f.records })),
    searchExperimentIds: from.map((i) => iterationState(ctx.states, i).searchExperimentId ?? null),
  });
  if (described.records === 0) {
    throw new Error(`no ${dataFile} records to train on from iteration(s) ${from.join(", ")}: the searches found nothing this recipe can use (more rollouts or problems help)`);
  }
  return described;
}

async function publishStage(ctx: LoopContext): Promise<void> {
  const k = ctx.position.iteration;
  const state = iterationState(ctx.states, k);
  const jobs = await ctx.prisma.trainingJob.findMany({ where: { id: { in: state.trainingJobIds ?? [] } } });
  const policyJobs = expandLoopRecipes(ctx.config.training.recipes).filter((r) => r.target === "policy").map((r) => jobs.find((j) => j.recipe === r.id && j.status === "SUCCEEDED")!);
  const adapter = policyJobs.at(-1);
  if (!adapter) return; // no policy recipe: the next iteration searches with the same policy
  const publish = ctx.config.publish;
  const published =
    publish.kind === "vllm-lora"
      ? await publishVllmLora({ baseUrl: publish.baseUrl ?? ctx.config.llm.baseUrl, loraName: `${ctx.loopName.replace(/[^A-Za-z0-9._-]+/g, "-")}-it${k}`, loraPath: adapter.outputPath })
      : await publishEndpoint(publish.endpoints[k - 1]!, `loop '${ctx.loopName}' config field publish.endpoints[${k - 1}]`);
  await update(ctx, { model: published.model, baseUrl: publish.kind === "vllm-lora" ? ctx.config.llm.baseUrl : published.baseUrl, adapterPath: adapter.outputPath });
}
