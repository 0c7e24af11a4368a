// `evalplus-mbpp`: MBPP+ (MbppPlus.jsonl.gz v0.2.0, 378 tasks, 39,841 plus inputs). Fields: task_id (`Mbpp/<n>`),
// prompt, entry_point, canonical_solution, base_input, atol, plus_input, contract, assertion.
//   statement   = the prompt's docstring text without its example `assert` line
//   entryPoint  = entry_point; signature = its `def` line in canonical_solution; reference = canonical_solution
//   split       = by the MBPP task number, same ranges as mbpp
//   tests       = visible: the assert shown in the prompt (EvalPlus's one example). On v0.2.0 it is the first
//                 `assertion` line for 369 tasks, another `assertion` line for 3 (Mbpp/3, 162, 780) and a variant
//                 found in no `assertion` line for 6 (Mbpp/2, 120, 140, 293, 590, 742) — then it is added as its own
//                 visible test. hidden: every other `assertion` assert, then each plus_input as a CALL test.
//   setup       = the `import` lines of `assertion`, plus `import math` when a test uses `math.` without importing
//                 it (Mbpp/120, 293 and 742 rely on the solution having imported it).
// `contract` and `base_input` (covered by the `assertion` asserts) are not stored. Six tasks (Mbpp/106, 124, 252,
// 580, 720, 793) have inputs that only become valid after EvalPlus's per-task deserialisation (tuples, complex
// numbers); they are stored as written — see README "Known limitations".
import { z } from "zod";
import { RecordError, parseRecordWith } from "../record-errors.ts";
import { findSignature, normalizeNewlines } from "../python-source.ts";
import type { NormalizedTest, SourceRecord } from "../types.ts";
import { evalPlusCallTests, hiddenAsserts, type FormatParser, type ParsedProblem } from "./format-parser.ts";
import { evalPlusFields } from "./evalplus-humaneval.ts";
import { mbppSplit } from "./mbpp-common.ts";

const mbppPlusRecord = z.object({
  task_id: z.string().regex(/^Mbpp\/\d+$/, 'must look like "Mbpp/<number>"'),
  prompt: z.string().min(1),
  entry_point: z.string().regex(/^[A-Za-z_]\w*$/, "must be a Python identifier"),
  canonical_solution: z.string().min(1),
  assertion: z.string().min(1),
  ...evalPlusFields,
});

export const evalPlusMbppParser: FormatParser = {
  idField: "task_id",
  rawArrayFields: new Set(["plus_input"]),
  parse(record: SourceRecord): ParsedProblem {
    const r = parseRecordWith(mbppPlusRecord, record.value);
    const reference = normalizeNewlines(r.canonical_solution);
    const signature = findSignature(reference, r.entry_point);
    if (!signature) throw new RecordError("entry_point", `canonical_solution defines no top-level function ${r.entry_point}`);
    const prompt = splitPrompt(normalizeNewlines(r.prompt));
    const assertion = splitAssertion(normalizeNewlines(r.assertion));
    const visible = prompt.example ?? assertion.asserts[0];
    if (!visible) throw new RecordError("assertion", "contains no assert");
    const hidden = assertion.asserts.filter((line) => line !== visible);
    const tests: NormalizedTest[] = [
      { origin: "DATASET_VISIBLE", kind: "ASSERT", input: visible, expected: null },
      ...hiddenAsserts(hidden),
      ...evalPlusCallTests(record, r.plus_input, r.atol),
    ];
    return {
      externalId: r.task_id,
      kind: "FUNCTION",
      statement: prompt.text,
      entryPoint: r.entry_point,
      signature,
      referenceSolution: reference,
      testSetupCode: setupCode(assertion.setup, [visible, ...hidden]),
      split: mbppSplit(Number(r.task_id.slice("Mbpp/".length))),
      tests,
    };
  },
};

/** `"""\n<text>\nassert …\n"""` → the text, and the example assert (the first line starting with `assert`). */
function splitPrompt(prompt: string): { text: string; example?: string } {
  const lines = prompt.split("\n");
  const example = lines.find((line) => line.trimStart().startsWith("assert "))?.trim();
  const text = lines
    .filter((line) => !line.trimStart().startsWith("assert ") && !/^\s*("""|''')\s*$/.test(line))
    .join("\n")
    .trim();
  if (text === "") throw new RecordError("prompt", "has no problem text besides the example assert");
  return { text, example };
}

/**
 * The `assertion` field: one assert per statement (continuation lines join their statement); imports and anything
 * before the first assert are setup code.
 */
function splitAssertion(assertion: string): { setup: string[]; asserts: string[] } {
  const setup: string[] = [];
  const asserts: string[] = [];
  for (const line of assertion.split("\n")) {
    if (line.trim() === "") continue;
    if (/^(import|from)\s/.test(line) || (asserts.length === 0 && !line.startsWith("assert"))) setup.push(line.trimEnd());
    else if (line.startsWith("assert")) asserts.push(line.trimEnd());
    else asserts[asserts.length - 1] += `\n${line.trimEnd()}`;
  }
  return { setup, asserts };
}

function setupCode(setup: string[], tests: string[]): string {
  const lines = [...new Set(setup)];
  const usesMath = tests.some((test) => /(?<![\w.])math\./.test(test));
  const importsMath = lines.some((line) => /^import\s+.*\bmath\b/.test(line));
  if (usesMath && !importsMath) lines.push("import math");
  return lines.join("\n");
}
