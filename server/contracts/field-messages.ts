// Field errors in words: zod's default messages ("Too small: expected number to be >=1", a JSON dump of issues) reach
// people through the form, the CLI and tRPC errors. This error map writes each issue as a sentence that names the
// field by its config path and says what it allows, e.g. "search.rollouts must be a whole number from 1 to 10000
// (got 0)." It is installed once, for every zod schema in the process (server or browser), when this room is imported,
// so the CLI and the form say the same thing. Messages a schema writes itself (refinements) are kept as they are.
import { z } from "zod";
import { formatFieldPath } from "./field-path.ts";

type Issue = z.core.$ZodRawIssue;

/** The issue as a sentence, or undefined to keep a schema's own message (custom refinements). */
export function describeIssue(issue: Issue): string | undefined {
  const field = formatFieldPath(issue.path ?? []);
  const got = issue.input === undefined ? "" : ` (got ${shown(issue.input)})`;
  switch (issue.code) {
    case "too_small":
    case "too_big":
      return `${field} ${describeBounds(issue)}${got}.`;
    case "invalid_type": {
      if (issue.input === undefined) return `${field} is required${expectedValues(issue)}.`;
      const range = numberRange(issue);
      if (range && typeof issue.input === "number") return `${field} must be ${range}${got}.`;
      return `${field} must be ${article(String(issue.expected))}${got}.`;
    }
    case "invalid_value":
      if (issue.input === undefined) return `${field} is required: one of ${(issue.values as unknown[]).map(String).join(", ")}.`;
      return `${field} must be one of ${(issue.values as unknown[]).map(String).join(", ")}${got}.`;
    case "invalid_format":
      if (issue.format === "url") return httpUrlMessage("http://127.0.0.1:8000/v1")(issue);
      return `${field} must be a valid ${String(issue.format)}${got}.`;
    case "unrecognized_keys":
      return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => formatFieldPath([...(issue.path ?? []), k])).join(", ")} (not part of this config).`;
    case "not_multiple_of":
      return `${field} must be a multiple of ${String(issue.divisor)}${got}.`;
    default:
      return undefined;
  }
}

/** A URL field's message with an example of the server it points at (zod's `error` option of z.url). */
export function httpUrlMessage(example: string): (issue: Issue) => string {
  return (issue) => {
    const got = issue.input === undefined ? "" : ` (got ${shown(issue.input)})`;
    return `${formatFieldPath(issue.path ?? [])} must be an http(s) URL such as ${example}${got}.`;
  };
}

/** "must be a whole number from 1 to 10000", "must be at most 1", "must not be empty", "must have at least 2 items". */
function describeBounds(issue: Issue & { code: "too_small" | "too_big" }): string {
  if (issue.origin === "number" || issue.origin === "int" || issue.origin === "bigint") {
    const range = numberRange(issue);
    if (range) return `must be ${range}`;
    const kind = numberKind(issue);
    const bound = String(issue.code === "too_small" ? issue.minimum : issue.maximum);
    const strict = !issue.inclusive;
    if (issue.code === "too_small") return `must be ${kind} ${strict ? "greater than" : "of at least"} ${bound}`;
    return `must be ${kind} ${strict ? "less than" : "of at most"} ${bound}`;
  }
  const unit = issue.origin === "string" ? "character" : issue.origin === "array" || issue.origin === "set" ? "item" : "";
  const bound = Number(issue.code === "too_small" ? issue.minimum : issue.maximum);
  if (issue.code === "too_small" && bound === 1 && unit) return "must not be empty";
  const amount = unit ? `${bound} ${unit}${bound === 1 ? "" : "s"}` : String(bound);
  return `must have ${issue.code === "too_small" ? "at least" : "at most"} ${amount}`;
}

interface NumberSchema {
  minValue?: number | null;
  maxValue?: number | null;
  isInt?: boolean;
  format?: string | null;
}

function numberSchema(issue: Issue): NumberSchema | undefined {
  return (issue as { schema?: NumberSchema }).schema ?? (issue as { inst?: NumberSchema }).inst;
}

function numberKind(issue: Issue): string {
  const schema = numberSchema(issue);
  return schema?.isInt || schema?.format?.includes("int") || issue.code === "invalid_type" ? "a whole number" : "a number";
}

/** "a whole number from 1 to 10000" when the schema bounds both ends. */
function numberRange(issue: Issue): string | undefined {
  const schema = numberSchema(issue);
  const min = finite(schema?.minValue);
  const max = finite(schema?.maxValue);
  return min !== undefined && max !== undefined ? `${numberKind(issue)} from ${min} to ${max}` : undefined;
}

function expectedValues(issue: Issue): string {
  const values = (issue as { inst?: { options?: unknown[] } }).inst?.options;
  return Array.isArray(values) && values.every((v) => typeof v === "string") ? `: one of ${values.join(", ")}` : "";
}

function finite(value: number | null | undefined): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && Math.abs(value) < Number.MAX_SAFE_INTEGER ? value : undefined;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function shown(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : typeof value === "object" && value !== null ? (Array.isArray(value) ? "a list" : "an object") : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

z.config({ customError: describeIssue });
