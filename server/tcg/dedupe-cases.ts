// Drops repeated cases, keeping the first. Two assert cases are the same when they differ only in whitespace outside
// string literals; two stdin/stdout cases when input and output match under the sandbox's stdout comparison
// (trailing spaces and trailing blank lines do not count). Same input with a different output is not a duplicate:
// at most one of them can be valid, and validation says which.
import { normaliseStdout } from "../sandbox/index.ts";
import { squeezeCode } from "./assert-case.ts";
import type { DroppedCase, GeneratedCase } from "./parse-cases.ts";

export interface DedupeResult {
  unique: GeneratedCase[];
  duplicates: DroppedCase[];
}

export function caseKey(testCase: GeneratedCase): string {
  if (testCase.format === "assert") return `assert\u0000${squeezeCode(testCase.call)}\u0000${squeezeCode(testCase.expected)}`;
  return `stdio\u0000${normaliseStdout(testCase.input).join("\n")}\u0000${normaliseStdout(testCase.output).join("\n")}`;
}

export function dedupeCases(cases: readonly GeneratedCase[]): DedupeResult {
  const firstAt = new Map<string, number>();
  const result: DedupeResult = { unique: [], duplicates: [] };
  for (const testCase of cases) {
    const key = caseKey(testCase);
    const first = firstAt.get(key);
    if (first === undefined) {
      firstAt.set(key, result.unique.length);
      result.unique.push(testCase);
    } else {
      result.duplicates.push({ text: testCase.text, reason: `duplicate of kept case ${first + 1}`, kind: "duplicate" });
    }
  }
  return result;
}
