// Which problems of a dataset a config's `problems` selects: by 1-based position, a seeded sample, ids, or all. The
// same rule for experiments and TCG runs; a selection that picks nothing is an error on the config's problems field.
import { configFieldError, summarizeProblemSelection, type ProblemSelection } from "../contracts/index.ts";
import type { Db } from "../db/index.ts";
import { createRandom, randomInt } from "../lib/index.ts";

/** Problem ids in dataset order. Ranges and lists refer to 1-based positions / dataset ids as `o1c datasets` shows. */
export async function selectProblemIds(prisma: Db, datasetId: string, selection: ProblemSelection, source: string): Promise<string[]> {
  const bad = (message: string) => configFieldError(source, ["problems"], message);
  const all = await prisma.problem.findMany({ where: { datasetId }, orderBy: { ordinal: "asc" }, select: { id: true, ordinal: true, externalId: true } });
  // Empty datasets, ranges past the end and oversized samples: refused with the dataset's size, as the form says.
  const summary = summarizeProblemSelection(selection, all.length);
  if (!summary.ok) throw bad(summary.error);
  let chosen: typeof all;
  switch (selection.kind) {
    case "all":
      chosen = all;
      break;
    case "range":
      chosen = all.filter((p) => p.ordinal >= selection.from && p.ordinal <= selection.to);
      break;
    case "sample":
      chosen = sampleInOrder(all, selection.count, selection.seed);
      break;
    case "ids": {
      const byExternal = new Map(all.map((p) => [p.externalId, p]));
      const missing = selection.ids.filter((id) => !byExternal.has(id));
      if (missing.length > 0) throw bad(`unknown problem id(s): ${missing.slice(0, 5).join(", ")} (the dataset has ${all.length} problems)`);
      const wanted = new Set(selection.ids);
      chosen = all.filter((p) => wanted.has(p.externalId));
      break;
    }
  }
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
