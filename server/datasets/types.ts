// The one shape every dataset format is mapped to before anything touches the database. Parsers are pure
// (record in, NormalizedProblem out); import-dataset.ts is the only writer.

export const DATASET_FORMATS = ["mbpp", "mbpp-sanitized", "humaneval", "evalplus-humaneval", "evalplus-mbpp", "jsonl"] as const;
/** Formats a user can import. The starter set is stored with format `builtin`, which is not importable. */
export type DatasetFormat = (typeof DATASET_FORMATS)[number];
export const BUILTIN_FORMAT = "builtin";

export type ProblemKindValue = "FUNCTION" | "STDIO";
export type TestOriginValue = "DATASET_VISIBLE" | "DATASET_HIDDEN";
export type TestKindValue = "ASSERT" | "STDIO" | "CALL";
/** BASE decides correctness; CHALLENGE (MBPP's challenge_test_list) and PLUS (EvalPlus inputs) are separate verdicts. */
export type TestSuiteValue = "BASE" | "CHALLENGE" | "PLUS";

export interface NormalizedTest {
  /** DATASET_VISIBLE tests may be shown to the model and used in search rewards; DATASET_HIDDEN tests never are. */
  origin: TestOriginValue;
  kind: TestKindValue;
  /** ASSERT: Python statements run after the solution. STDIO: stdin. CALL: JSON array of arguments (Python `json`
   * dialect: may hold NaN/Infinity, integers beyond 2^53 and floats like `1.0` — parse it in Python, not JS). */
  input: string;
  /** STDIO: expected stdout. CALL: expected JSON value, null until computed from the reference. ASSERT: null. */
  expected?: string | null;
  /** Absolute float tolerance for CALL comparisons (EvalPlus `atol`). */
  atol?: number;
  /** Default BASE. Not part of the content hash: it follows from the format's rules, and the test_suites migration
   * classified stored rows the same way, so adding it changed no stored problem. */
  suite?: TestSuiteValue;
}

export interface NormalizedProblem {
  /** The dataset's own id as text (MBPP task_id, "HumanEval/0", ...); unique within a dataset. */
  externalId: string;
  /** 1-based position of the record in the file. */
  ordinal: number;
  kind: ProblemKindValue;
  title?: string;
  statement: string;
  entryPoint?: string;
  signature?: string;
  referenceSolution?: string;
  /** Code run before every test (imports, fixtures). Empty when there is none. */
  testSetupCode: string;
  split?: string;
  tests: NormalizedTest[];
}

/** Where a record came from, for error messages: `mbpp.jsonl:12` or `sanitized-mbpp.json record 3`. */
export interface RecordLocation {
  file: string;
  /** 1-based line of a JSONL record. */
  line?: number;
  /** 1-based index of a record inside a .json array. */
  record?: number;
}

export interface SourceRecord {
  value: unknown;
  location: RecordLocation;
  /** Raw JSON text of the elements of selected top-level array fields (see JsonParseOptions.rawArrayFields). */
  rawArrays: Map<string, string[]>;
}

export function formatLocation(location: RecordLocation): string {
  if (location.line !== undefined) return `${location.file}:${location.line}`;
  if (location.record !== undefined) return `${location.file} record ${location.record}`;
  return location.file;
}
