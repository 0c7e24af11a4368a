// `evalplus-humaneval`: HumanEval+ (HumanEvalPlus.jsonl.gz v0.1.10, 164 tasks, 122,683 plus inputs). The HumanEval
// fields plus contract, base_input, atol, plus_input.
//   everything from `humaneval` (statement, doctest-visible asserts, the hidden `check` harness over base inputs)
//   + every plus_input as a hidden CALL test: input = the argument list's exact JSON text, expected = null (computed
//     later by running the reference in the sandbox), atol = the record's atol.
// `contract` (input guards for the reference) and `base_input` (covered by the `test` harness) are not stored.
import { z } from "zod";
import { parseRecordWith } from "../record-errors.ts";
import type { SourceRecord } from "../types.ts";
import { evalPlusCallTests, type FormatParser, type ParsedProblem } from "./format-parser.ts";
import { humanEvalFields, mapHumanEval } from "./humaneval.ts";

export const evalPlusFields = {
  atol: z.number().nonnegative(),
  // MBPP+ v0.2.0 writes Mbpp/793's empty input list as `{}` (a Python dict); read that as "no plus inputs".
  plus_input: z.preprocess((value) => (isEmptyObject(value) ? [] : value), z.array(z.array(z.unknown()))),
};

function isEmptyObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

const humanEvalPlusRecord = z.object({ ...humanEvalFields, ...evalPlusFields });

export const evalPlusHumanEvalParser: FormatParser = {
  idField: "task_id",
  rawArrayFields: new Set(["plus_input"]),
  parse(record: SourceRecord): ParsedProblem {
    const r = parseRecordWith(humanEvalPlusRecord, record.value);
    const base = mapHumanEval(r);
    return { ...base, tests: [...base.tests, ...evalPlusCallTests(record, r.plus_input, r.atol)] };
  },
};
