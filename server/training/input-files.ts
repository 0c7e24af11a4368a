// The files a training job consumes, identified by content: path, sha256 and record count, so the job row says
// exactly what was trained on even if a file is later overwritten.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { ValidationError } from "../errors.ts";

export interface TrainingInput {
  /** What the file is to the recipe ("data"). */
  role: string;
  path: string;
  sha256: string;
  bytes: number;
  /** JSONL records (non-empty lines). */
  records: number;
  /** Where the records came from (experiments, iterations, export options). */
  provenance: Record<string, unknown>;
}

export async function describeInputFile(role: string, file: string, provenance: Record<string, unknown>): Promise<TrainingInput> {
  const absolute = path.resolve(file);
  const info = await stat(absolute).catch(() => null);
  if (!info?.isFile()) throw new ValidationError(`no such file: ${absolute}`, `training input ${role}`);
  const hash = createHash("sha256");
  let records = 0;
  let lineHasText = false;
  for await (const chunk of createReadStream(absolute)) {
    const bytes = chunk as Buffer;
    hash.update(bytes);
    for (const byte of bytes) {
      if (byte === 0x0a) {
        if (lineHasText) records += 1;
        lineHasText = false;
      } else if (byte !== 0x20 && byte !== 0x0d && byte !== 0x09) lineHasText = true;
    }
  }
  if (lineHasText) records += 1;
  return { role, path: absolute, sha256: hash.digest("hex"), bytes: info.size, records, provenance };
}
