// Loads the built-in starter problems as dataset `starter` (format `builtin`). Called at every start (web server,
// CLI), so the common case — already loaded, unchanged — is one indexed lookup; the set is (re)written only when
// missing or when its content in this file changed (compared by sha256 of the records).
import { createHash } from "node:crypto";
import { ConflictError } from "../../errors.ts";
import type { Db } from "../../db/index.ts";
import { mapGenericRecord } from "../formats/generic-jsonl.ts";
import { writeDataset, type ImportReport } from "../import-dataset.ts";
import { BUILTIN_FORMAT, type NormalizedProblem } from "../types.ts";
import { STARTER_RECORDS } from "./starter-problems.ts";

export const STARTER_DATASET_NAME = "starter";

export type StarterResult =
  | { status: "unchanged" }
  | { status: "written"; report: ImportReport }
  /** The starter set could not be updated (a same-named dataset of another format, or changed problems that
   * experiments already used); the existing data is left alone so the app still starts. */
  | { status: "skipped"; reason: string };

export function starterProblems(): NormalizedProblem[] {
  return STARTER_RECORDS.map((record, index) => ({ ...mapGenericRecord(record), ordinal: index + 1 }));
}

export function starterSha256(): string {
  return createHash("sha256").update(JSON.stringify(STARTER_RECORDS)).digest("hex");
}

export async function ensureStarterDataset(prisma: Db): Promise<StarterResult> {
  const sha256 = starterSha256();
  const existing = await prisma.dataset.findUnique({ where: { name: STARTER_DATASET_NAME }, select: { sourceSha256: true, format: true } });
  if (existing?.format === BUILTIN_FORMAT && existing.sourceSha256 === sha256) return { status: "unchanged" };
  try {
    const report = await writeDataset(prisma, {
      name: STARTER_DATASET_NAME,
      format: BUILTIN_FORMAT,
      sourceFile: null,
      sourceSha256: sha256,
      description: "Built-in Python problems written for O1-Coder Studio, so a fresh install has something to run.",
      problems: starterProblems(),
    });
    return { status: "written", report };
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    console.warn(`[o1c] starter problems not updated: ${error.message}`);
    return { status: "skipped", reason: error.message };
  }
}
