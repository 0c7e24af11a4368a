// What every format module provides. Parsers are pure: one source record in, one problem out (without its ordinal,
// which is the record's position and is assigned by the caller), or a RecordError naming the bad field.
import type { NormalizedProblem, NormalizedTest, SourceRecord } from "../types.ts";

export type ParsedProblem = Omit<NormalizedProblem, "ordinal">;

export interface FormatParser {
  /** Field that holds the record's id, named in duplicate-id errors. */
  idField: string;
  /** Top-level array fields whose elements must reach the sandbox as the exact JSON text of the file. */
  rawArrayFields?: ReadonlySet<string>;
  parse(record: SourceRecord): ParsedProblem;
}

/** The house visibility rule for assert lists: the first is search-visible, every other one is hidden. */
export function firstVisibleRestHidden(asserts: readonly string[]): NormalizedTest[] {
  return asserts.map((input, index) => ({
    origin: index === 0 ? "DATASET_VISIBLE" : "DATASET_HIDDEN",
    kind: "ASSERT",
    input,
    expected: null,
  }));
}

export function hiddenAsserts(asserts: readonly string[]): NormalizedTest[] {
  return asserts.map((input) => ({ origin: "DATASET_HIDDEN", kind: "ASSERT", input, expected: null }));
}

/** MBPP's challenge_test_list: hidden, and judged as their own "challenge" verdict, not the main one. */
export function challengeAsserts(asserts: readonly string[]): NormalizedTest[] {
  return hiddenAsserts(asserts).map((test) => ({ ...test, suite: "CHALLENGE" }));
}

/**
 * EvalPlus `plus_input` entries as hidden CALL tests: input = the argument list's JSON exactly as in the file,
 * expected = null (EvalPlus ships no outputs; they are computed later by running the reference solution, so these
 * tests start `unvalidated`), atol = the record's tolerance. They form the "plus" verdict (base and plus tests),
 * EvalPlus's own split; the base verdict is the original benchmark's tests.
 */
export function evalPlusCallTests(record: SourceRecord, inputs: readonly unknown[], atol: number): NormalizedTest[] {
  const raw = record.rawArrays.get("plus_input");
  return inputs.map((args, index): NormalizedTest => ({
    origin: "DATASET_HIDDEN",
    kind: "CALL",
    suite: "PLUS",
    input: raw?.[index] ?? JSON.stringify(args),
    expected: null,
    atol,
  }));
}
