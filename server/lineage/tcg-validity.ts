// An iteration's TCG validity: the latest completed TCG run on the experiment's dataset with the experiment's model
// name (LINEAGE_DEFINITIONS.tcgValidity). A validity rate belongs to a model on a dataset, and those two are what an
// iteration records of its policy, so that pair picks the run.
import type { Db } from "../db/index.ts";

export interface TcgValidity {
  runId: string;
  /** null when the run's report carries no rate. */
  validityRate: number | null;
  finishedAt: Date | null;
}

/** The `validityRate` of a TcgRun report (server/tcg/tcg-report.ts); null when nothing was validated or no report. */
export function readValidityRate(report: unknown): number | null {
  const rate = field(report, "validityRate");
  return typeof rate === "number" && Number.isFinite(rate) ? rate : null;
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

/** Keyed by `datasetId\u0000model`: the latest completed run for each pair asked for. */
export async function findTcgValidity(prisma: Db, pairs: readonly { datasetId: string; model: string }[]): Promise<Map<string, TcgValidity>> {
  const found = new Map<string, TcgValidity>();
  if (pairs.length === 0) return found;
  const runs = await prisma.tcgRun.findMany({
    where: {
      status: "COMPLETED",
      OR: uniquePairs(pairs).map((p) => ({ datasetId: p.datasetId, model: p.model })),
    },
    orderBy: [{ finishedAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }],
    select: { id: true, datasetId: true, model: true, report: true, finishedAt: true },
  });
  for (const run of runs) {
    const key = tcgKey(run.datasetId, run.model);
    if (!found.has(key)) found.set(key, { runId: run.id, validityRate: readValidityRate(run.report), finishedAt: run.finishedAt });
  }
  return found;
}

export function tcgKey(datasetId: string, model: string): string {
  return `${datasetId}\u0000${model}`;
}

function uniquePairs(pairs: readonly { datasetId: string; model: string }[]) {
  return [...new Map(pairs.map((p) => [tcgKey(p.datasetId, p.model), p])).values()];
}
