// The loop's files under <outputRoot>/<loop name>/: each iteration's export files, the training data of each policy
// (D ∪ D′ when accumulating), and the adapters. Every file that reaches a trainer is checked against the held-out
// split: a record whose provenance names an evaluation problem stops the loop before anything trains on it.
import { createReadStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import type { Db } from "../db/index.ts";
import { parseExportOptions } from "../exports/index.ts";
import { prepareExport } from "../exports/index.ts";
import { writeJsonlFile } from "../exports/index.ts";
import { describeInputFile, type Recipe } from "../training/index.ts";

export function loopRoot(outputRoot: string, loopName: string): string {
  return path.resolve(outputRoot, loopName.replace(/[^A-Za-z0-9._-]+/g, "-"));
}

export function iterationDir(root: string, iteration: number): string {
  return path.join(root, `iteration-${iteration}`);
}

export class HeldOutLeakError extends Error {}

/** Streams a JSONL file; throws when a record's provenance names a held-out problem. */
export async function assertNoHeldOut(file: string, heldOut: ReadonlySet<string>): Promise<void> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number += 1;
    if (!line.trim()) continue;
    const problemId = (JSON.parse(line) as { provenance?: { problemId?: unknown } }).provenance?.problemId;
    if (typeof problemId === "string" && heldOut.has(problemId)) {
      throw new HeldOutLeakError(`${file}:${number}: a record of held-out problem ${problemId} — evaluation problems must never reach training data`);
    }
  }
}

/** Writes the export a recipe reads from the search experiment; returns what the file holds. */
export async function writeIterationExport(prisma: Db, recipe: Recipe, source: { experimentId: string; tcgRunId?: string }, iteration: number, dir: string, heldOut: ReadonlySet<string>) {
  await mkdir(dir, { recursive: true });
  const phi = recipe.export.format === "sft" || recipe.export.format === "prm" ? { "phi-t": iteration } : {};
  // TCG data comes from the iteration's own TCG run (never "the latest on the dataset"), limited to the experiment's problems.
  const tcg = recipe.export.format === "tcg-dpo" ? { "tcg-run": source.tcgRunId } : {};
  const options = parseExportOptions({ experiment: source.experimentId, ...recipe.export, ...phi, ...tcg });
  const file = path.join(dir, recipe.dataFile);
  await writeJsonlFile((await prepareExport(prisma, options)).records(), file);
  await assertNoHeldOut(file, heldOut);
  const described = await describeInputFile("data", file, {});
  return { path: file, sha256: described.sha256, records: described.records };
}

/** One file holding the given files' records in order (D ∪ D′), written atomically. */
export async function concatenateJsonl(files: readonly string[], target: string): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  async function* records() {
    for (const file of files) {
      for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
        if (line.trim()) yield JSON.parse(line) as unknown;
      }
    }
  }
  await writeJsonlFile(records(), target);
}
