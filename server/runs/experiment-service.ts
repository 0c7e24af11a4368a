// Creating, listing, reading and cancelling experiments. Running them is run-experiment.ts.
import type { Db } from "../db/client.ts";
import type { Prisma } from "../db/generated/client.ts";
import { ConflictError, NotFoundError, ValidationError } from "../errors.ts";
import { createRandom, randomInt } from "../search/rng.ts";
import { appendEventsTx } from "./event-log.ts";
import { ensureLineageTx } from "../lineage/lineage-service.ts";
import { describeLlm, parseExperimentConfig, type ExperimentConfig, type ProblemSelection } from "../contracts/experiment-config.ts";

export interface CreatedExperiment {
  id: string;
  name: string;
  problems: number;
}

/** Validates the config, resolves its problems and creates the experiment with one pending tree per problem. */
export async function createExperiment(prisma: Db, input: unknown, source = "config"): Promise<CreatedExperiment> {
  const config = parseExperimentConfig(input, source);
  const dataset = await prisma.dataset.findUnique({ where: { name: config.dataset }, select: { id: true } });
  if (!dataset) throw new ValidationError(`no dataset named '${config.dataset}' (o1c datasets lists them)`, `${source} field dataset`);
  const problemIds = await selectProblemIds(prisma, dataset.id, config.problems, `${source} field problems`);
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

function defaultName(config: ExperimentConfig): string {
  return `${config.dataset} · ${config.mode} · ${describeLlm(config.llm).model}`;
}

/** Problem ids in dataset order. Ranges and lists refer to 1-based positions / dataset ids as `o1c datasets` shows. */
export async function selectProblemIds(prisma: Db, datasetId: string, selection: ProblemSelection, where: string): Promise<string[]> {
  const all = await prisma.problem.findMany({ where: { datasetId }, orderBy: { ordinal: "asc" }, select: { id: true, ordinal: true, externalId: true } });
  let chosen: typeof all;
  switch (selection.kind) {
    case "all":
      chosen = all;
      break;
    case "range":
      chosen = all.filter((p) => p.ordinal >= selection.from && p.ordinal <= selection.to);
      if (chosen.length === 0) throw new ValidationError(`positions ${selection.from}-${selection.to} select no problem (the dataset has ${all.length})`, where);
      break;
    case "sample":
      if (selection.count > all.length) throw new ValidationError(`cannot sample ${selection.count} of ${all.length} problems`, where);
      chosen = sampleInOrder(all, selection.count, selection.seed);
      break;
    case "ids": {
      const byExternal = new Map(all.map((p) => [p.externalId, p]));
      const missing = selection.ids.filter((id) => !byExternal.has(id));
      if (missing.length > 0) throw new ValidationError(`unknown problem id(s): ${missing.slice(0, 5).join(", ")}`, where);
      const wanted = new Set(selection.ids);
      chosen = all.filter((p) => wanted.has(p.externalId));
      break;
    }
  }
  if (chosen.length === 0) throw new ValidationError("selects no problem (the dataset is empty)", where);
  return chosen.map((p) => p.id);
}

/** A seeded sample (partial Fisher-Yates), returned in dataset order so runs read naturally. */
function sampleInOrder<T>(items: readonly T[], count: number, seed: number): T[] {
  const random = createRandom(seed);
  const indices = items.map((_, i) => i);
  for (let i = 0; i < count; i += 1) {
    const j = i + randomInt(random, indices.length - i);
    [indices[i], indices[j]] = [indices[j]!, indices[i]!];
  }
  return indices.slice(0, count).sort((a, b) => a - b).map((i) => items[i]!);
}

export async function getExperimentConfig(prisma: Db, id: string): Promise<ExperimentConfig> {
  const experiment = await prisma.experiment.findUnique({ where: { id }, select: { config: true } });
  if (!experiment) throw new NotFoundError(`no experiment ${id}`);
  return parseExperimentConfig(experiment.config, `experiment ${id} config`);
}

/** Marks the experiment cancelled; running workers see it within a poll interval and stop between steps. */
export async function cancelExperiment(prisma: Db, id: string): Promise<void> {
  const result = await prisma.$transaction(async (tx) => {
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
