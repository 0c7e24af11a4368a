// TCG-DPO: preference records for the test case generator, built by server/tcg/tcg-dpo.ts (prompt = the TCG prompt as
// sent; chosen = the valid generated cases; rejected = the same inputs with outputs deranged). This file only picks
// the run and the problems and gives the records the same shape as the other exports: the builder's `metadata`
// becomes `provenance`, and the conversational style wraps the texts as user / assistant messages.
//   --tcg-run ID                 that run's records
//   --experiment ID              the run the experiment searched with (else the latest completed TCG run on its
//                                dataset), limited to its problems
//   both                         that run, limited to the experiment's problems
import type { Db } from "../db/index.ts";
import { NotFoundError } from "../errors.ts";
import { streamTcgDpoRecords, type TcgDpoRecord } from "../tcg/index.ts";
import type { ExportOptions } from "./export-options.ts";
import type { ExportExperiment } from "./export-tree.ts";
import type { TextOrMessages } from "./record-text.ts";

export interface TcgDpoExportRecord {
  prompt: TextOrMessages;
  chosen: TextOrMessages;
  rejected: TextOrMessages;
  provenance: TcgDpoRecord["metadata"] & { kind: "tcg-dpo"; experimentId: string | null };
}

export async function* tcgDpoRecords(prisma: Db, experiment: ExportExperiment | null, options: ExportOptions): AsyncGenerator<TcgDpoExportRecord> {
  const runId = options.tcgRunId ?? (experiment ? await experimentTcgRun(prisma, experiment) : null);
  if (runId === null) return;
  const problems = experiment ? await experimentProblemIds(prisma, experiment.id) : null;
  for await (const record of streamTcgDpoRecords(prisma, runId)) {
    if (problems && !problems.has(record.metadata.problemId)) continue;
    yield toExportRecord(record, experiment?.id ?? null, options.style);
  }
}

/**
 * The run an experiment-only TCG-DPO export uses (prepareExport resolves it before the first byte): the run the
 * experiment searched with, when it used generated tests; otherwise the dataset's latest completed run.
 */
export async function experimentTcgRun(prisma: Db, experiment: ExportExperiment): Promise<string> {
  if (experiment.config.tcgRun !== undefined) return experiment.config.tcgRun;
  const run = await prisma.tcgRun.findFirst({
    where: { dataset: { name: experiment.datasetName }, status: "COMPLETED" },
    orderBy: { createdAt: "desc" },
    select: { id: true },
  });
  if (!run) throw new NotFoundError(`no completed TCG run on dataset '${experiment.datasetName}' (generate tests first: the Tests (TCG) page, or o1c tcg; o1c export --tcg-run ID picks another run)`);
  return run.id;
}

/** One id per problem of the experiment: small next to its trees, and needed to filter the run's records. */
async function experimentProblemIds(prisma: Db, experimentId: string): Promise<Set<string>> {
  const trees = await prisma.searchTree.findMany({ where: { experimentId }, select: { problemId: true } });
  return new Set(trees.map((t) => t.problemId));
}

function toExportRecord(record: TcgDpoRecord, experimentId: string | null, style: ExportOptions["style"]): TcgDpoExportRecord {
  const provenance = { ...record.metadata, kind: "tcg-dpo" as const, experimentId };
  if (style === "standard") return { prompt: record.prompt, chosen: record.chosen, rejected: record.rejected, provenance };
  return {
    prompt: [{ role: "user", content: record.prompt }],
    chosen: [{ role: "assistant", content: record.chosen }],
    rejected: [{ role: "assistant", content: record.rejected }],
    provenance,
  };
}
