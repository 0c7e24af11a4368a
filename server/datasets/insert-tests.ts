// Bulk insert of dataset test rows. HumanEval+ alone has ~123k tests; Prisma's createMany spent ~23 s building and
// binding parameters for them, so tests go in as a few `INSERT … SELECT FROM unnest(arrays)` statements instead:
// one array parameter per column, ids from gen_random_uuid() (core PostgreSQL since 13, and in PGlite).
import type { Db } from "../db/index.ts";
import type { NormalizedTest } from "./types.ts";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export interface TestRow {
  problemId: string;
  /** 0-based within the problem's tests of the same origin (the unique key is problem × origin × ordinal). */
  ordinal: number;
  origin: NormalizedTest["origin"];
  kind: NormalizedTest["kind"];
  input: string;
  expected: string | null;
  atol: number | null;
  suite: NonNullable<NormalizedTest["suite"]>;
}

/** Raw SQL sees the stored enum values (`@map` in schema.prisma), not the Prisma names. */
const ORIGIN_VALUE: Record<TestRow["origin"], string> = { DATASET_VISIBLE: "dataset-visible", DATASET_HIDDEN: "dataset-hidden" };
const KIND_VALUE: Record<TestRow["kind"], string> = { ASSERT: "assert", STDIO: "stdio", CALL: "call" };
const SUITE_VALUE: Record<TestRow["suite"], string> = { BASE: "base", CHALLENGE: "challenge", PLUS: "plus" };

/** Per statement: enough rows to amortise the round trip, few enough bytes to keep one message modest. */
const MAX_ROWS = 10_000;
const MAX_CHARS = 8 * 1024 * 1024;

export function testRowsFor(problemId: string, tests: NormalizedTest[]): TestRow[] {
  const next = { DATASET_VISIBLE: 0, DATASET_HIDDEN: 0 };
  return tests.map((test) => ({
    problemId,
    ordinal: next[test.origin]++,
    origin: test.origin,
    kind: test.kind,
    input: test.input,
    expected: test.expected ?? null,
    atol: test.atol ?? null,
    suite: test.suite ?? "BASE",
  }));
}

export async function insertTestRows(tx: Tx, rows: TestRow[]): Promise<void> {
  for (const batch of batches(rows)) {
    await tx.$executeRaw`
      INSERT INTO "TestCase" ("id", "problemId", "ordinal", "origin", "kind", "input", "expected", "atol", "suite")
      SELECT gen_random_uuid()::text, t.problem_id, t.ordinal, t.origin::"TestOrigin", t.kind::"TestKind", t.input, t.expected, t.atol,
             t.suite::"TestSuite"
      FROM unnest(
        ${batch.map((r) => r.problemId)}::text[],
        ${batch.map((r) => r.ordinal)}::int4[],
        ${batch.map((r) => ORIGIN_VALUE[r.origin])}::text[],
        ${batch.map((r) => KIND_VALUE[r.kind])}::text[],
        ${batch.map((r) => r.input)}::text[],
        ${batch.map((r) => r.expected)}::text[],
        ${batch.map((r) => r.atol)}::float8[],
        ${batch.map((r) => SUITE_VALUE[r.suite])}::text[]
      ) AS t(problem_id, ordinal, origin, kind, input, expected, atol, suite)`;
  }
}

function* batches(rows: TestRow[]): Generator<TestRow[]> {
  let start = 0;
  while (start < rows.length) {
    let end = start;
    let chars = 0;
    while (end < rows.length && end - start < MAX_ROWS && (end === start || chars < MAX_CHARS)) {
      chars += rows[end]!.input.length + (rows[end]!.expected?.length ?? 0);
      end++;
    }
    yield rows.slice(start, end);
    start = end;
  }
}
