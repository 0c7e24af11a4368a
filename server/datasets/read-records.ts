// Turns a dataset file (a path, or uploaded bytes with their file name) into records that remember where they came
// from: JSONL records keep their 1-based line, .json array elements their 1-based index ("record N"), so every later
// error can name the exact place. `.gz` files are gunzipped first; the sha256 is taken over the decoded bytes, so a
// re-compressed copy of the same data counts as the same file.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { ValidationError } from "../errors.ts";
import { JsonSyntaxError, lineAndColumn, parseJsonRecord, parseJsonRecordList, type JsonParseOptions } from "./json-text.ts";
import type { SourceRecord } from "./types.ts";

const gunzipAsync = promisify(gunzip);

/** A decompressed dataset above this size is refused (a guard against gzip bombs from uploads). */
export const MAX_DECODED_BYTES = 256 * 1024 * 1024;

export type DatasetSource = { path: string } | { fileName: string; bytes: Uint8Array };

export interface DatasetFile {
  /** Base name of the file as given (`mbpp.jsonl`, `HumanEval.jsonl.gz`). */
  fileName: string;
  /** sha256 (hex) of the decoded, i.e. decompressed, bytes. */
  sha256: string;
  records: SourceRecord[];
}

type Layout = "jsonl" | "json";

export async function readDatasetFile(source: DatasetSource, options: JsonParseOptions = {}): Promise<DatasetFile> {
  const { fileName, bytes } = await loadSource(source);
  const { layout, gzipped } = layoutOf(fileName);
  const decoded = await decodeBytes(fileName, bytes, gzipped);
  const text = decodeUtf8(fileName, decoded);
  const records = layout === "jsonl" ? splitJsonLines(fileName, text, options) : splitJsonArray(fileName, text, options);
  return { fileName, sha256: createHash("sha256").update(decoded).digest("hex"), records };
}

async function loadSource(source: DatasetSource): Promise<{ fileName: string; bytes: Uint8Array }> {
  if ("bytes" in source) return { fileName: path.basename(source.fileName), bytes: source.bytes };
  try {
    return { fileName: path.basename(source.path), bytes: await readFile(source.path) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory, not a file" : (error as Error).message;
    throw new ValidationError(reason, source.path, { cause: error });
  }
}

/** The record layout comes from the extension under an optional `.gz`: `.jsonl`/`.ndjson` or `.json`. */
export function layoutOf(fileName: string): { layout: Layout; gzipped: boolean } {
  const lower = fileName.toLowerCase();
  const gzipped = lower.endsWith(".gz");
  const inner = gzipped ? lower.slice(0, -3) : lower;
  if (inner.endsWith(".jsonl") || inner.endsWith(".ndjson")) return { layout: "jsonl", gzipped };
  if (inner.endsWith(".json")) return { layout: "json", gzipped };
  throw new ValidationError("unsupported file type: expected .jsonl, .json or .jsonl.gz (or .json.gz)", fileName);
}

async function decodeBytes(fileName: string, bytes: Uint8Array, gzipped: boolean): Promise<Buffer> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const looksGzipped = buffer.length >= 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  if (gzipped !== looksGzipped) {
    const problem = gzipped ? "is named .gz but is not gzip data" : "is gzip data but its name does not end in .gz";
    throw new ValidationError(problem, fileName);
  }
  if (!gzipped) {
    if (buffer.length > MAX_DECODED_BYTES) throw tooLarge(fileName);
    return buffer;
  }
  try {
    return await gunzipAsync(buffer, { maxOutputLength: MAX_DECODED_BYTES });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge(fileName);
    throw new ValidationError(`cannot gunzip: ${(error as Error).message}`, fileName, { cause: error });
  }
}

function tooLarge(fileName: string): ValidationError {
  return new ValidationError(`decoded data exceeds the ${MAX_DECODED_BYTES / 1024 / 1024} MiB limit`, fileName);
}

function decodeUtf8(fileName: string, bytes: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    throw new ValidationError("is not valid UTF-8 text", fileName, { cause: error });
  }
  // TextDecoder drops a leading BOM by default (ignoreBOM: false), so nothing else to strip here.
  return text;
}

function splitJsonLines(fileName: string, text: string, options: JsonParseOptions): SourceRecord[] {
  const records: SourceRecord[] = [];
  let start = 0;
  let line = 0;
  while (start <= text.length) {
    line++;
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    const content = text.slice(start, end).replace(/\r$/, "");
    start = end + 1;
    if (content.trim() === "") continue;
    try {
      const { value, rawArrays } = parseJsonRecord(content, options);
      records.push({ value, rawArrays, location: { file: fileName, line } });
    } catch (error) {
      throw invalidJson(error, `${fileName}:${line}`, (offset) => `column ${offset + 1}`);
    }
  }
  return records;
}

function splitJsonArray(fileName: string, text: string, options: JsonParseOptions): SourceRecord[] {
  if (text.trim() === "") throw new ValidationError("the file is empty", fileName);
  const records: SourceRecord[] = [];
  try {
    parseJsonRecordList(text, options, ({ value, rawArrays }, index) => {
      records.push({ value, rawArrays, location: { file: fileName, record: index } });
    });
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const { line, column } = lineAndColumn(text, error.offset);
    throw new ValidationError(`invalid JSON at column ${column}: ${error.message}`, `${fileName}:${line}`, { cause: error });
  }
  return records;
}

function invalidJson(error: unknown, where: string, describeOffset: (offset: number) => string): Error {
  if (!(error instanceof JsonSyntaxError)) return error as Error;
  return new ValidationError(`invalid JSON at ${describeOffset(error.offset)}: ${error.message}`, where, { cause: error });
}
