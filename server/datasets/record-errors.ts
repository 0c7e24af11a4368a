// Record-level validation errors. Parsers throw RecordError (field path + message) without knowing the file;
// the importer adds the location, so the user reads `mbpp.jsonl:12 field test_list[1]: expected a string, got 7`.
import type { z } from "zod";
import { ValidationError } from "../errors.ts";
import { formatLocation, type RecordLocation } from "./types.ts";

export class RecordError extends Error {
  constructor(
    /** Path inside the record, e.g. `test_list[1]`; undefined when the record as a whole is wrong. */
    readonly field: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = "RecordError";
  }
}

export function toValidationError(error: RecordError, location: RecordLocation): ValidationError {
  const where = formatLocation(location) + (error.field ? ` field ${error.field}` : "");
  return new ValidationError(error.message, where, { cause: error });
}

/** Validates `value` with `schema`; the first issue becomes a RecordError naming the field. */
export function parseRecordWith<T>(schema: z.ZodType<T>, value: unknown, basePath: PropertyKey[] = []): T {
  const result = schema.safeParse(value, { error: describeIssue });
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0]!;
    const others = issue.keys.length > 1 ? ` (also: ${issue.keys.slice(1).join(", ")})` : "";
    throw new RecordError(formatPath([...basePath, ...issue.path, key]), `unknown field — check its spelling${others}`);
  }
  throw new RecordError(formatPath([...basePath, ...issue.path]) || undefined, issue.message);
}

/** `["test_list", 1]` → `test_list[1]`; `["tests", 2, "assert"]` → `tests[2].assert`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

type RawIssue = Parameters<z.core.$ZodErrorMap>[0];

function describeIssue(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is required";
      return `expected ${withArticle(issue.expected)}, got ${describeValue(issue.input)}`;
    case "too_small":
      if (issue.origin === "string" && Number(issue.minimum) === 1) return "must not be empty";
      if (issue.origin === "array" && Number(issue.minimum) === 1) return "must have at least one item";
      if (issue.origin === "array") return `must have at least ${issue.minimum} items`;
      return `must be at least ${issue.minimum}`;
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, got ${describeValue(issue.input)}`;
    default:
      return undefined;
  }
}

function withArticle(expected: string): string {
  if (expected === "int") return "an integer";
  if (expected === "boolean") return "true or false";
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return value.length > 40 ? `a string (${JSON.stringify(value.slice(0, 40))}…)` : JSON.stringify(value);
  return String(value);
}
