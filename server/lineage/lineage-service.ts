// Self-play lineages: create and list them, attach an experiment as iteration k (with what its policy was trained
// on), detach it, and the comparison read model of a lineage's iterations. How TCG validity is found is
// tcg-validity.ts; the deltas are iteration-deltas.ts.
import type { z } from "zod";
import type { Db, Prisma } from "../db/index.ts";
import { ConflictError, NotFoundError, ValidationError } from "../errors.ts";
import { scoredOutcomes, type ExperimentMetrics, type ProblemOutcome } from "../evaluation/index.ts";
import { computeIterationDeltas, type IterationDelta } from "./iteration-deltas.ts";
import { iterationSchema, lineageNameSchema, trainedOnSchema } from "../contracts/index.ts";
import { findTcgValidity, tcgKey, type TcgValidity } from "./tcg-validity.ts";

const DESCRIPTION_MAX = 2_000;

/** Parses one field with its schema; a failure is a ValidationError naming the field. */
function checkField<S extends z.ZodType>(schema: S, value: unknown, field: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(result.error.issues[0]?.message ?? "is not valid", field, { cause: result.error });
}

function checkDescription(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw new ValidationError("must be text", "description");
  const text = value.trim();
  if (text.length > DESCRIPTION_MAX) throw new ValidationError(`at most ${DESCRIPTION_MAX} characters`, "description");
  return text === "" ? null : text;
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "P2002";
}

export interface LineageSummary {
  id: string;
  name: string;
  description: string | null;
  createdAt: Date;
}

export async function createLineage(prisma: Db, input: { name: unknown; description?: unknown }): Promise<LineageSummary> {
  const name = checkField(lineageNameSchema, input.name, "name");
  const description = checkDescription(input.description);
  const taken = () => new ValidationError(`a lineage named '${name}' already exists`, "name");
  if (await prisma.lineage.findUnique({ where: { name }, select: { id: true } })) throw taken();
  try {
    return await prisma.lineage.create({ data: { name, description }, select: { id: true, name: true, description: true, createdAt: true } });
  } catch (error) {
    if (isUniqueViolation(error)) throw taken(); // created by someone else between the check and the insert
    throw error;
  }
}

/** Create-or-find by name, inside the caller's transaction (createExperiment with a `lineage` config section). */
export async function ensureLineageTx(tx: Prisma.TransactionClient, rawName: string): Promise<string> {
  const name = checkField(lineageNameSchema, rawName, "lineage.name");
  // INSERT … ON CONFLICT DO NOTHING: a concurrent launch naming the same new lineage waits for the other insert and
  // then finds its row (Prisma's upsert is a select-then-insert here, and fails that race with a unique violation).
  await tx.lineage.createMany({ data: [{ name }], skipDuplicates: true });
  return (await tx.lineage.findUniqueOrThrow({ where: { name }, select: { id: true } })).id;
}

export interface LineageListItem extends LineageSummary {
  /** Distinct iteration numbers that hold at least one experiment. */
  iterations: number;
  experiments: number;
  latestIteration: number | null;
}

export async function listLineages(prisma: Db): Promise<LineageListItem[]> {
  const lineages = await prisma.lineage.findMany({ orderBy: { createdAt: "desc" }, select: { id: true, name: true, description: true, createdAt: true } });
  const groups = await prisma.experiment.groupBy({
    by: ["lineageId", "iteration"],
    where: { lineageId: { in: lineages.map((l) => l.id) } },
    _count: { _all: true },
  });
  return lineages.map((lineage) => {
    const own = groups.filter((g) => g.lineageId === lineage.id && g.iteration !== null);
    return {
      ...lineage,
      iterations: own.length,
      experiments: own.reduce((sum, g) => sum + g._count._all, 0),
      latestIteration: own.length ? Math.max(...own.map((g) => g.iteration!)) : null,
    };
  });
}

export async function findLineageByName(prisma: Db, name: string): Promise<LineageSummary> {
  const lineage = await prisma.lineage.findUnique({ where: { name: name.trim() }, select: { id: true, name: true, description: true, createdAt: true } });
  if (!lineage) throw new NotFoundError(`no lineage named '${name}' (o1c lineage list shows them)`);
  return lineage;
}

export interface AttachInput {
  lineageId: string;
  experimentId: string;
  iteration: unknown;
  trainedOn?: unknown;
}

/**
 * Makes the experiment iteration `iteration` of the lineage. Re-attaching within the same lineage changes its
 * iteration and trainedOn; an experiment of another lineage must be detached first (it cannot silently move).
 */
export async function attachExperiment(prisma: Db, input: AttachInput): Promise<void> {
  const iteration = checkField(iterationSchema, input.iteration, "iteration");
  const trainedOn = input.trainedOn === undefined || input.trainedOn === null ? null : (checkField(trainedOnSchema, input.trainedOn, "trainedOn") ?? null);
  const [lineage, experiment] = await Promise.all([
    prisma.lineage.findUnique({ where: { id: input.lineageId }, select: { id: true } }),
    prisma.experiment.findUnique({ where: { id: input.experimentId }, select: { id: true, name: true, lineageId: true, lineage: { select: { name: true } } } }),
  ]);
  if (!lineage) throw new NotFoundError(`no lineage ${input.lineageId}`);
  if (!experiment) throw new NotFoundError(`no experiment ${input.experimentId}`);
  if (experiment.lineageId !== null && experiment.lineageId !== lineage.id) {
    throw new ConflictError(`experiment '${experiment.name}' is already in lineage '${experiment.lineage?.name}'; detach it first`);
  }
  const changed = await prisma.experiment.updateMany({
    where: { id: experiment.id, OR: [{ lineageId: null }, { lineageId: lineage.id }] },
    data: { lineageId: lineage.id, iteration, trainedOn },
  });
  if (changed.count === 0) throw new ConflictError(`experiment '${experiment.name}' was attached to another lineage meanwhile; detach it first`);
}

/** Takes the experiment out of its lineage (the experiment itself is kept). */
export async function detachExperiment(prisma: Db, experimentId: string): Promise<void> {
  const experiment = await prisma.experiment.findUnique({ where: { id: experimentId }, select: { lineageId: true, name: true } });
  if (!experiment) throw new NotFoundError(`no experiment ${experimentId}`);
  if (experiment.lineageId === null) throw new ConflictError(`experiment '${experiment.name}' is in no lineage`);
  await prisma.experiment.update({ where: { id: experimentId }, data: { lineageId: null, iteration: null, trainedOn: null } });
}

export interface ExperimentLineage {
  lineage: { id: string; name: string };
  iteration: number;
  trainedOn: string | null;
}

/** The experiment page's "iteration k of lineage L" line; null when it is in no lineage. */
export async function getExperimentLineage(prisma: Db, experimentId: string): Promise<ExperimentLineage | null> {
  const experiment = await prisma.experiment.findUnique({
    where: { id: experimentId },
    select: { iteration: true, trainedOn: true, lineage: { select: { id: true, name: true } } },
  });
  if (!experiment) throw new NotFoundError(`no experiment ${experimentId}`);
  if (!experiment.lineage || experiment.iteration === null) return null;
  return { lineage: experiment.lineage, iteration: experiment.iteration, trainedOn: experiment.trainedOn };
}

/** Experiments in no lineage, newest first: what the lineage page offers to attach. */
export async function listAttachableExperiments(prisma: Db) {
  const experiments = await prisma.experiment.findMany({
    where: { lineageId: null },
    orderBy: { createdAt: "desc" },
    take: 200,
    select: { id: true, name: true, mode: true, model: true, llmBaseUrl: true, status: true, createdAt: true, dataset: { select: { name: true } } },
  });
  return experiments.map(({ dataset, ...e }) => ({ ...e, dataset: dataset.name }));
}

export interface IterationRow {
  experimentId: string;
  name: string;
  iteration: number;
  dataset: string;
  mode: string;
  /** The policy: the served model name and where it was served (Experiment.model / llmBaseUrl). */
  model: string;
  endpoint: string;
  trainedOn: string | null;
  status: string;
  createdAt: Date;
  finishedAt: Date | null;
  /** Judged problems; null until the experiment has metrics. */
  problems: number | null;
  pass1: number | null;
  aspr: number | null;
  tokensPerProblem: number | null;
  tcg: TcgValidity | null;
  judgements: number;
  annotators: number;
  delta: IterationDelta;
}

export interface IterationGroup {
  iteration: number;
  rows: IterationRow[];
}

export interface LineageComparison extends LineageSummary {
  /** One group per iteration, ascending; each experiment of the iteration is its own row. */
  iterations: IterationGroup[];
}

/** The lineage page: every experiment as a row, grouped by iteration, with metrics, TCG validity, annotations, deltas. */
export async function getLineage(prisma: Db, lineageId: string): Promise<LineageComparison> {
  const lineage = await prisma.lineage.findUnique({ where: { id: lineageId }, select: { id: true, name: true, description: true, createdAt: true } });
  if (!lineage) throw new NotFoundError(`no lineage ${lineageId}`);
  const experiments = await prisma.experiment.findMany({
    where: { lineageId, iteration: { not: null } },
    orderBy: [{ iteration: "asc" }, { createdAt: "asc" }],
    select: {
      id: true, name: true, iteration: true, datasetId: true, mode: true, model: true, llmBaseUrl: true, trainedOn: true,
      status: true, metrics: true, createdAt: true, finishedAt: true, dataset: { select: { name: true } },
    },
  });
  const ids = experiments.map((e) => e.id);
  const withMetrics = experiments.filter((e) => e.metrics !== null);
  const [tcg, annotations, outcomes] = await Promise.all([findTcgValidity(prisma, experiments), countAnnotations(prisma, ids), loadComparedOutcomes(prisma, withMetrics)]);
  const base = experiments.map((e) => {
    const metrics = e.metrics as unknown as ExperimentMetrics | null;
    return {
      experiment: e,
      metrics,
      tcg: tcg.get(tcgKey(e.datasetId, e.model)) ?? null,
    };
  });
  const deltas = computeIterationDeltas(
    base.map(({ experiment: e, metrics, tcg }) => ({
      experimentId: e.id,
      iteration: e.iteration!,
      datasetId: e.datasetId,
      mode: e.mode,
      createdAt: e.createdAt,
      outcomes: metrics ? (outcomes.get(e.id) ?? []) : null,
      tcgValidity: tcg?.validityRate ?? null,
    })),
  );
  const groups = new Map<number, IterationRow[]>();
  for (const { experiment: e, metrics, tcg } of base) {
    const counts = annotations.get(e.id);
    const row: IterationRow = {
      experimentId: e.id,
      name: e.name,
      iteration: e.iteration!,
      dataset: e.dataset.name,
      mode: e.mode,
      model: e.model,
      endpoint: e.llmBaseUrl,
      trainedOn: e.trainedOn,
      status: e.status,
      createdAt: e.createdAt,
      finishedAt: e.finishedAt,
      problems: metrics?.problems ?? null,
      pass1: metrics?.pass1 ?? null,
      aspr: metrics?.aspr ?? null,
      tokensPerProblem: metrics?.tokensPerProblem ?? null,
      tcg,
      judgements: counts?.judgements ?? 0,
      annotators: counts?.annotators.size ?? 0,
      delta: deltas.get(e.id)!,
    };
    groups.set(row.iteration, [...(groups.get(row.iteration) ?? []), row]);
  }
  return { ...lineage, iterations: [...groups.entries()].map(([iteration, rows]) => ({ iteration, rows })) };
}

/**
 * Each experiment's problems as its iterations are compared: its scored problems (failed searches count as misses, as
 * in its own metrics), except that an experiment which failed as a whole (every search failed, or its LLM was
 * unreachable) is compared on its judged problems only: an outage says nothing of the policy, and counting it would
 * show as a drop of the next iteration's Pass@1. In an experiment that completed, a failed search stays a miss (a
 * policy that overruns its context fails searches too).
 */
async function loadComparedOutcomes(prisma: Db, experiments: ReadonlyArray<{ id: string; status: string }>): Promise<Map<string, ProblemOutcome[]>> {
  if (experiments.length === 0) return new Map();
  const failedAsAWhole = new Set(experiments.filter((e) => e.status === "FAILED").map((e) => e.id));
  const trees = await prisma.searchTree.findMany({
    where: { experimentId: { in: experiments.map((e) => e.id) } },
    select: { experimentId: true, status: true, metrics: true, problemId: true, promptTokens: true, completionTokens: true, llmCalls: true },
  });
  const byExperiment = new Map<string, typeof trees>();
  for (const t of trees) {
    const rows = byExperiment.get(t.experimentId);
    if (rows) rows.push(t);
    else byExperiment.set(t.experimentId, [t]);
  }
  return new Map([...byExperiment].map(([id, rows]) => [id, scoredOutcomes(failedAsAWhole.has(id) ? rows.filter((t) => t.status === "DONE") : rows)]));
}

/** Human judgements per experiment and the distinct annotators behind them. */
async function countAnnotations(prisma: Db, experimentIds: readonly string[]) {
  const groups = await prisma.stepPreference.groupBy({
    by: ["experimentId", "annotator"],
    where: { experimentId: { in: [...experimentIds] }, source: "HUMAN" },
    _count: { _all: true },
  });
  const counts = new Map<string, { judgements: number; annotators: Set<string> }>();
  for (const g of groups) {
    const entry = counts.get(g.experimentId) ?? { judgements: 0, annotators: new Set<string>() };
    entry.judgements += g._count._all;
    entry.annotators.add(g.annotator);
    counts.set(g.experimentId, entry);
  }
  return counts;
}
