// `humaneval`: OpenAI HumanEval (HumanEval.jsonl.gz, 164 tasks). Fields: task_id, prompt, entry_point,
// canonical_solution, test.
//   statement   = prompt (imports + signature + docstring: exactly what HumanEval shows the model)
//   signature   = the `def entry_point(...)` line of the prompt
//   reference   = prompt + canonical_solution (the canonical solution is only a body)
//   tests       = visible: the prompt's `>>>` examples turned into asserts (see doctest-examples.ts) — the model
//                 sees them in the statement anyway; hidden: one ASSERT test, `test` + `check(entry_point)`.
// Problems whose examples are prose rather than doctests end up with no visible test; the import report counts them.
// A doctest that contradicts the canonical solution is left out (DOCTEST_ERRATA): a visible test must never punish
// a correct program.
import { z } from "zod";
import { doctestAsserts } from "../doctest-examples.ts";
import { RecordError, parseRecordWith } from "../record-errors.ts";
import { findSignature, normalizeNewlines } from "../python-source.ts";
import type { NormalizedTest, SourceRecord } from "../types.ts";
import type { FormatParser, ParsedProblem } from "./format-parser.ts";

/**
 * Prompt examples that disagree with the canonical solution and the hidden tests, found by running every derived
 * assert against the reference (test/datasets/reference-checks.test.ts). HumanEval/47 documents the median of
 * [-10, 4, 6, 1000, 10, 20] as 15.0; it is 8.0.
 */
export const DOCTEST_ERRATA: ReadonlyMap<string, readonly string[]> = new Map([
  ["HumanEval/47", ["assert median([-10, 4, 6, 1000, 10, 20]) == 15.0"]],
]);

export const humanEvalFields = {
  task_id: z.string().min(1),
  prompt: z.string().min(1),
  entry_point: z.string().regex(/^[A-Za-z_]\w*$/, "must be a Python identifier"),
  canonical_solution: z.string().min(1),
  test: z.string().min(1),
};

const humanEvalRecord = z.object(humanEvalFields);

export type HumanEvalRecord = z.infer<typeof humanEvalRecord>;

export const humanEvalParser: FormatParser = {
  idField: "task_id",
  parse(record: SourceRecord): ParsedProblem {
    return mapHumanEval(parseRecordWith(humanEvalRecord, record.value));
  },
};

/** Shared with evalplus-humaneval, which adds CALL tests on top. */
export function mapHumanEval(r: HumanEvalRecord): ParsedProblem {
  const prompt = normalizeNewlines(r.prompt);
  const signature = findSignature(prompt, r.entry_point);
  if (!signature) throw new RecordError("entry_point", `the prompt defines no top-level function ${r.entry_point}`);
  const errata = DOCTEST_ERRATA.get(r.task_id) ?? [];
  const examples = doctestAsserts(prompt).filter((assertion) => !errata.includes(assertion));
  const visible: NormalizedTest[] = examples.map((input) => ({
    origin: "DATASET_VISIBLE",
    kind: "ASSERT",
    input,
    expected: null,
  }));
  const harness: NormalizedTest = {
    origin: "DATASET_HIDDEN",
    kind: "ASSERT",
    input: `${normalizeNewlines(r.test)}\ncheck(${r.entry_point})\n`,
    expected: null,
  };
  return {
    externalId: r.task_id,
    kind: "FUNCTION",
    statement: prompt,
    entryPoint: r.entry_point,
    signature,
    referenceSolution: prompt + normalizeNewlines(r.canonical_solution),
    testSetupCode: "",
    tests: [...visible, harness],
  };
}
