// Creating, listing, reading and cancelling experiments. Running them is run-experiment.ts.
import type { Db, Prisma } from "../db/index.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { selectProblemIds } from "../datasets/index.ts";
import { appendEventsTx } from "./event-log.ts";
import { ensureLineageTx } from "../lineage/index.ts";
import { configFieldError, defaultExperimentName, describeLlm, parseExperimentConfig, type ExperimentConfig } from "../contracts/index.ts";

export interface CreatedExperiment {
  id: string;
  name: string;
  problems: number;
}

/** For callers holding unparsed input (a test's object, a bench): the edge parse, then createExperiment. */
export async function createExperimentFromInput(prisma: Db, input: unknown, source = "config"): Promise<CreatedExperiment> {
  return createExperiment(prisma, parseExperimentConfig(input, source), source);
}

/** Resolves the parsed config's problems and creates the experiment with one pending tree per problem. */
export async function createExperiment(prisma: Db, input: ExperimentConfig, source = "config"): Promise<CreatedExperiment> {
  const dataset = await prisma.dataset.findUnique({ where: { name: input.dataset }, select: { id: true } });
  if (!dataset) throw configFieldError(source, ["dataset"], `no dataset named '${input.dataset}' (o1c datasets lists them)`);
  const problemIds = await selectProblemIds(prisma, dataset.id, input.problems, source);
  const tcgRun = await pinTcgRun(prisma, input, dataset.id, source);
  const config: ExperimentConfig = tcgRun === undefined ? input : { ...input, tcgRun };
  const name = config.name ?? defaultName(config);
  const experiment = await prisma.$transaction(async (tx) => {
    // Self-play: the lineage is created on first use and reused after (same transaction: no lineage without its experiment).
    const lineageId = config.lineage ? await ensureLineageTx(tx, config.lineage.name) : null;
    const created = await tx.experiment.create({
      data: {
        name,
        datasetId: dataset.id,
        config: config as unknown as Prisma.InputJsonValue,
        mode: config.mode,
        model: describeLlm(config.llm).model,
        llmBaseUrl: describeLlm(config.llm).location,
        seed: config.seed,
        lineageId,
        iteration: config.lineage?.iteration ?? null,
        trainedOn: config.lineage?.trainedOn ?? null,
      },
      select: { id: true },
    });
    await tx.searchTree.createMany({ data: problemIds.map((problemId) => ({ experimentId: created.id, problemId })) });
    await appendEventsTx(tx, created.id, [{ type: "experiment.created", payload: { problems: problemIds.length } }]);
    return created;
  });
  return { id: experiment.id, name, problems: problemIds.length };
}

/**
 * The TCG run a search with generated tests uses, fixed once here and stored in the config: the one asked for (it
 * must be a completed run on this dataset), or the dataset's latest completed run. A later TCG run then changes
 * neither a resume of this experiment nor its exports.
 */
async function pinTcgRun(prisma: Db, config: ExperimentConfig, datasetId: string, source: string): Promise<string | undefined> {
  if (config.testSource === "dataset-visible") return undefined;
  if (config.tcgRun !== undefined) {
    const run = await prisma.tcgRun.findUnique({ where: { id: config.tcgRun }, select: { datasetId: true, status: true } });
    if (!run) throw configFieldError(source, ["tcgRun"], `no TCG run ${config.tcgRun} (the Tests (TCG) page lists the runs; o1c tcg --json prints a new run's runId)`);
    if (run.datasetId !== datasetId) throw configFieldError(source, ["tcgRun"], `TCG run ${config.tcgRun} generated tests for another dataset than '${config.dataset}'`);
    if (run.status !== "COMPLETED") throw configFieldError(source, ["tcgRun"], `TCG run ${config.tcgRun} is ${run.status.toLowerCase()}, not completed`);
    return config.tcgRun;
  }
  const latest = await prisma.tcgRun.findFirst({ where: { datasetId, status: "COMPLETED" }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true } });
  if (!latest) {
    throw configFieldError(
      source,
      ["testSource"],
      `${config.testSource} needs generated tests, and dataset '${config.dataset}' has no completed TCG run: generate tests first (the Tests (TCG) page, or o1c tcg), or search with dataset-visible`,
    );
  }
  return latest.id;
}

function defaultName(config: ExperimentConfig): string {
  return defaultExperimentName({ dataset: config.dataset, mode: config.mode, model: describeLlm(config.llm).model });
}

export async function getExperimentConfig(prisma: Db, id: string): Promise<ExperimentConfig> {
  const experiment = await prisma.experiment.findUnique({ where: { id }, select: { config: true } });
  if (!experiment) throw new NotFoundError(`no experiment ${id}`);
  return parseExperimentConfig(experiment.config, `experiment ${id} config`);
}

/** Marks the experiment cancelled; running workers see it within a poll interval and stop between steps. */
export async function cancelExperiment(prisma: Db, id: string): Promise<void> {
  const result = await prisma.$transaction(async (tx) => {
    // The claims' per-experiment lock (o1c_claim_tree): a claim either commits before the cancel, or waits and then
    // sees the experiment cancelled. Without it a claim whose snapshot predates the cancel could still take a tree.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${"o1c-claims:" + id}))`;
    const changed = await tx.experiment.updateMany({
      where: { id, status: { in: ["QUEUED", "RUNNING"] } },
      data: { status: "CANCELLED", finishedAt: new Date() },
    });
    if (changed.count === 1) await appendEventsTx(tx, id, [{ type: "experiment.cancelled", payload: {} }]);
    return changed.count;
  });
  if (result === 0) {
    const exists = await prisma.experiment.findUnique({ where: { id }, select: { status: true } });
    if (!exists) throw new NotFoundError(`no experiment ${id}`);
    throw new ConflictError(`experiment ${id} is already ${exists.status.toLowerCase()}`);
  }
}
