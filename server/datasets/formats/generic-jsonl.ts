// `jsonl`: O1-Coder Studio's own format (documented with an example in ../README.md). One problem per record:
//   { "id": string|number, "statement": string, "entry_point"?: string, "signature"?: string,
//     "reference_solution"?: string, "setup_code"?: string, "title"?: string,
//     "tests": [ "assert …" | {"assert": "…", "hidden"?: bool} | {"input": "…", "output": "…", "hidden"?: bool} ] }
// Unknown fields are errors, at every level, so a typo like "hiden" or "entrypoint" is caught instead of silently
// changing what is hidden. A test is search-visible unless it says `"hidden": true`. Problems whose tests are
// stdin/stdout pairs are kind STDIO (they have no entry point); a problem cannot mix the two kinds.
import { z } from "zod";
import { RecordError, describeValue, parseRecordWith } from "../record-errors.ts";
import { normalizeNewlines } from "../python-source.ts";
import type { NormalizedTest, SourceRecord } from "../types.ts";
import type { FormatParser, ParsedProblem } from "./format-parser.ts";

const identifier = z.string().regex(/^[A-Za-z_]\w*$/, "must be a Python identifier");

export const genericRecord = z.strictObject({
  id: z.union([z.string().min(1), z.int()], { error: "expected a non-empty string or an integer" }),
  statement: z.string().min(1),
  title: z.string().min(1).optional(),
  entry_point: identifier.optional(),
  signature: z.string().min(1).optional(),
  reference_solution: z.string().min(1).optional(),
  setup_code: z.string().optional(),
  tests: z.array(z.unknown()).min(1),
});

export type GenericRecord = z.input<typeof genericRecord>;

const assertTest = z.strictObject({ assert: z.string().min(1), hidden: z.boolean().optional() });
const stdioTest = z.strictObject({ input: z.string(), output: z.string(), hidden: z.boolean().optional() });

export const genericJsonlParser: FormatParser = {
  idField: "id",
  parse(record: SourceRecord): ParsedProblem {
    return mapGenericRecord(record.value);
  },
};

export function mapGenericRecord(value: unknown): ParsedProblem {
  const r = parseRecordWith(genericRecord, value);
  const tests = r.tests.map((test, index) => parseTest(test, index));
  const kinds = new Set(tests.map((test) => test.kind));
  if (kinds.size > 1) throw new RecordError("tests", "mixes stdin/stdout tests with assert tests; a problem is one or the other");
  const kind = kinds.has("STDIO") ? "STDIO" : "FUNCTION";
  if (kind === "STDIO" && r.entry_point !== undefined) {
    throw new RecordError("entry_point", "a problem with stdin/stdout tests is a whole program and has no entry point");
  }
  return {
    externalId: String(r.id),
    kind,
    title: r.title,
    statement: r.statement.trim(),
    entryPoint: r.entry_point,
    signature: r.signature,
    referenceSolution: r.reference_solution === undefined ? undefined : normalizeNewlines(r.reference_solution),
    testSetupCode: normalizeNewlines(r.setup_code ?? ""),
    tests,
  };
}

function parseTest(test: unknown, index: number): NormalizedTest {
  const path = ["tests", index];
  if (typeof test === "string") {
    if (test.trim() === "") throw new RecordError(`tests[${index}]`, "must not be empty");
    return { origin: "DATASET_VISIBLE", kind: "ASSERT", input: normalizeNewlines(test), expected: null };
  }
  if (typeof test === "object" && test !== null && !Array.isArray(test)) {
    if ("assert" in test) {
      const t = parseRecordWith(assertTest, test, path);
      return { origin: visibility(t.hidden), kind: "ASSERT", input: normalizeNewlines(t.assert), expected: null };
    }
    if ("input" in test || "output" in test) {
      const t = parseRecordWith(stdioTest, test, path);
      return { origin: visibility(t.hidden), kind: "STDIO", input: normalizeNewlines(t.input), expected: normalizeNewlines(t.output) };
    }
  }
  throw new RecordError(
    `tests[${index}]`,
    `expected an assert string, {"assert": …} or {"input": …, "output": …}, got ${describeValue(test)}`,
  );
}

function visibility(hidden: boolean | undefined): NormalizedTest["origin"] {
  return hidden === true ? "DATASET_HIDDEN" : "DATASET_VISIBLE";
}
