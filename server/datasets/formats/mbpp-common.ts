// Rules shared by the MBPP family (mbpp, mbpp-sanitized, evalplus-mbpp).
import { RecordError } from "../record-errors.ts";
import { calledFunctionNames, definedFunctionNames, findSignature, normalizeNewlines } from "../python-source.ts";
import { challengeAsserts, firstVisibleRestHidden, type ParsedProblem } from "./format-parser.ts";

/**
 * MBPP's split by task_id, from the upstream README: 1-10 few-shot prompts, 11-510 test, 511-600 validation,
 * 601-974 train. Ids outside 1-974 (not MBPP tasks) get no split.
 */
export function mbppSplit(taskId: number): string | undefined {
  if (taskId >= 1 && taskId <= 10) return "prompt";
  if (taskId >= 11 && taskId <= 510) return "test";
  if (taskId >= 511 && taskId <= 600) return "validation";
  if (taskId >= 601 && taskId <= 974) return "train";
  return undefined;
}

/**
 * MBPP has no entry-point field: the function under test is the first name called in the first assert that the
 * reference code defines (`assert int(lobb_num(5, 3)) == 35` → `lobb_num`, skipping the builtin `int`).
 */
export function mbppEntryPoint(code: string, firstAssert: string, testField: string): string {
  const defined = definedFunctionNames(code);
  const entryPoint = calledFunctionNames(firstAssert).find((name) => defined.has(name));
  if (!entryPoint) throw new RecordError(testField, "calls no function that `code` defines, so the entry point is unknown");
  return entryPoint;
}

/** What both MBPP files hold, in their own field names. */
export interface MbppFields {
  taskId: number;
  statement: string;
  code: string;
  testList: string[];
  testSetupCode: string;
  challengeTests?: string[];
}

/** The normalised problem for either MBPP file: first assert visible, the rest (and challenge asserts, their own suite) hidden. */
export function mbppProblem(fields: MbppFields): ParsedProblem {
  const code = normalizeNewlines(fields.code);
  const testList = fields.testList.map(normalizeNewlines);
  const entryPoint = mbppEntryPoint(code, testList[0]!, "test_list[0]");
  return {
    externalId: String(fields.taskId),
    kind: "FUNCTION",
    statement: fields.statement.trim(),
    entryPoint,
    signature: findSignature(code, entryPoint),
    referenceSolution: code,
    testSetupCode: fields.testSetupCode,
    split: mbppSplit(fields.taskId),
    tests: [...firstVisibleRestHidden(testList), ...challengeAsserts((fields.challengeTests ?? []).map(normalizeNewlines))],
  };
}
