// The export service: validated options in, an async stream of records out. Trees are read one at a time as the
// consumer pulls (a file writer waiting on disk, an HTTP response waiting on the browser), so an export of any size
// holds one tree in memory. Shared by `o1c export` and the download route.
import { createHash } from "node:crypto";
import type { Db } from "../db/index.ts";
import { ConflictError, NotFoundError, ValidationError } from "../errors.ts";
import { dpoRecords, loadJudgements, type DpoRecord } from "./dpo.ts";
import { exportFileName, type ExportOptions } from "./export-options.ts";
import { loadExportExperiment, readExportTrees, type ExportExperiment } from "./export-tree.ts";
import { prmRecords, type PrmPairRecord, type PrmRecord } from "./prm.ts";
import { sftRecords, type SftRecord } from "./sft.ts";
import { experimentTcgRun, tcgDpoRecords, type TcgDpoExportRecord } from "./tcg-dpo.ts";
import { tcgSftRecords, type TcgSftRecord } from "./tcg-sft.ts";

export type ExportRecord = SftRecord | DpoRecord | PrmRecord | PrmPairRecord | TcgDpoExportRecord | TcgSftRecord;

export interface PreparedExport {
  experiment: ExportExperiment | null;
  /** "<experiment name>-<format>.jsonl". */
  fileName: string;
  records(): AsyncGenerator<ExportRecord>;
}

/**
 * Checks what can be checked before the first byte is written (the experiment, lineage or TCG run exists), so a
 * caller can answer 404 / write no file, then hands out the record stream.
 */
export async function prepareExport(prisma: Db, options: ExportOptions): Promise<PreparedExport> {
  if (options.lineage !== null) return prepareLineageExport(prisma, options, options.lineage);
  const experiment = options.experimentId === null ? null : await loadExportExperiment(prisma, options.experimentId);
  if (experiment) assertSampledLabels(experiment, options);
  if (options.tcgRunId !== null) {
    await requireCompletedTcgRun(prisma, options.tcgRunId);
  } else if (options.format === "tcg-dpo" && experiment) {
    options = { ...options, tcgRunId: await experimentTcgRun(prisma, experiment) };
  }
  const fileName = exportFileName(experiment?.name ?? `tcg-run-${options.tcgRunId}`, options);
  if (options.format === "tcg-dpo") {
    const why = `TCG run ${options.tcgRunId} has no preference pairs (a pair needs a problem with two or more valid generated cases whose outputs differ)`;
    return { experiment, fileName, records: await firstRecordOrRefuse(recordsOf(prisma, experiment, options), () => new ValidationError(why, "tcg-run")) };
  }
  return { experiment, fileName, records: () => recordsOf(prisma, experiment, options) };
}

/**
 * The download route's and `o1c export`'s export: as prepareExport, and an export that would hold no record is
 * refused with the reason (which records the format takes, and from what) instead of handing out an empty file.
 * (A loop iteration checks its own data.)
 */
export async function prepareNonEmptyExport(prisma: Db, options: ExportOptions): Promise<PreparedExport> {
  const prepared = await prepareExport(prisma, options);
  const subject = prepared.experiment ? `experiment '${prepared.experiment.name}'` : options.lineage !== null ? `lineage '${options.lineage}'` : `TCG run ${options.tcgRunId}`;
  return { ...prepared, records: await firstRecordOrRefuse(prepared.records(), () => new ConflictError(`${subject} has no ${noRecordsReason(options)}`)) };
}

/** What an export of this format would have needed, said as "has no …". */
export function noRecordsReason(options: Pick<ExportOptions, "format" | "pairs" | "source" | "margin" | "pairwise" | "success" | "labels">): string {
  const passing = options.success === "hidden" ? "passes its hidden tests" : "passes all its search-visible tests";
  switch (options.format) {
    case "sft":
      return `SFT records: no complete path's final code ${passing} yet`;
    case "dpo":
      if (options.pairs === "path") return "DPO path pairs: no problem has both a complete path that passes all its search-visible tests and one that fails them";
      if (options.source === "human") return "DPO records from human judgements: nobody has judged a step pair 'A better' or 'B better' yet (Annotate step pairs; ties and both-bad give no record)";
      if (options.source === "search") return `DPO records from search values: no two sibling steps have values Q/N at least ${options.margin} apart`;
      return `DPO records: no step pair judged 'A better' or 'B better', and no two sibling steps with values Q/N at least ${options.margin} apart`;
    case "prm":
      if (options.pairwise) return "PRM pairs: no two sibling steps have different rollout labels";
      return `PRM records: no step has a ${options.labels} label yet (a step is labelled from finished rollouts below it)`;
    case "tcg-sft":
      return "TCG-SFT records: none of its problems has a dataset test to use as a case";
    case "tcg-dpo":
      return "TCG-DPO preference pairs";
  }
}

/** A failed or unfinished TCG run has no pairs worth training on: say so instead of writing an empty file. */
async function requireCompletedTcgRun(prisma: Db, runId: string): Promise<void> {
  const run = await prisma.tcgRun.findUnique({ where: { id: runId }, select: { status: true, error: true } });
  if (!run) throw new NotFoundError(`no TCG run ${runId}`);
  if (run.status !== "COMPLETED") {
    const why = run.error ? ` (${run.error})` : "";
    throw new ValidationError(`TCG run ${runId} is ${run.status.toLowerCase()}${why}; TCG-DPO needs a completed run`, "tcg-run");
  }
}

/**
 * Pulls the first record before anything is written, so "no records" is an error rather than a 0-byte file. TCG-DPO
 * always asks this (a run may have no valid generated cases at all); the download route asks it of every format.
 */
export async function firstRecordOrRefuse(records: AsyncGenerator<ExportRecord>, refusal: () => Error): Promise<() => AsyncGenerator<ExportRecord>> {
  const first = await records.next();
  if (first.done) throw refusal();
  return async function* () {
    try {
      yield first.value;
      yield* records;
    } finally {
      await records.return(undefined); // closed also when the consumer stops at the first record (a download check)
    }
  };
}

function assertSampledLabels(experiment: ExportExperiment, options: ExportOptions) {
  if (options.format === "prm" && options.labels === "sampled" && !(experiment.config.prm.mode === "rollout" && experiment.config.prm.labels === "sampled")) {
    throw new ValidationError(`experiment ${experiment.id} has no sampled labels: run it with prm.mode rollout and prm.labels sampled`, "labels option");
  }
}

/**
 * D ∪ D′: the records of every experiment of the lineage, iteration by iteration (provenance names each record's
 * iteration and experiment). A record whose training content (everything but provenance) an earlier iteration
 * already gave is written once: the union, not a multiset that would weight repeated paths by how often they recur.
 */
async function prepareLineageExport(prisma: Db, options: ExportOptions, name: string): Promise<PreparedExport> {
  const lineage = await prisma.lineage.findUnique({
    where: { name },
    select: { name: true, experiments: { orderBy: [{ iteration: "asc" }, { createdAt: "asc" }], select: { id: true } } },
  });
  if (!lineage) throw new NotFoundError(`no lineage named '${name}' (o1c lineage list shows them)`);
  const experiments = await Promise.all(lineage.experiments.map((e) => loadExportExperiment(prisma, e.id)));
  for (const experiment of experiments) assertSampledLabels(experiment, options);
  return {
    experiment: null,
    fileName: exportFileName(`${lineage.name}-lineage`, options),
    async *records() {
      const seen = new Set<string>();
      for (const experiment of experiments) {
        for await (const record of recordsOf(prisma, experiment, { ...options, experimentId: experiment.id })) {
          const { provenance: _provenance, ...content } = record;
          const key = createHash("sha256").update(JSON.stringify(content)).digest("base64");
          if (seen.has(key)) continue;
          seen.add(key);
          yield record;
        }
      }
    },
  };
}

export async function* streamExport(prisma: Db, options: ExportOptions): AsyncGenerator<ExportRecord> {
  yield* (await prepareExport(prisma, options)).records();
}

async function* recordsOf(prisma: Db, experiment: ExportExperiment | null, options: ExportOptions): AsyncGenerator<ExportRecord> {
  if (options.format === "tcg-dpo") {
    yield* tcgDpoRecords(prisma, experiment, options);
    return;
  }
  if (!experiment) return; // unreachable: parseExportOptions requires an experiment for these formats
  if (options.format === "tcg-sft") {
    yield* tcgSftRecords(prisma, experiment, options);
    return;
  }
  // SFT and PRM need finished searches (final labels, hidden verdicts); preferences come from any tree with nodes.
  const onlyDone = options.format !== "dpo";
  for await (const tree of readExportTrees(prisma, experiment, { onlyDone, hidden: options.format !== "dpo" })) {
    if (options.format === "sft") yield* sftRecords(experiment, tree, options);
    else if (options.format === "prm") yield* prmRecords(experiment, tree, options);
    else {
      const judgements = options.source === "search" ? [] : await loadJudgements(prisma, experiment.id, tree.id);
      yield* dpoRecords(experiment, tree, judgements, options);
    }
  }
}
