// Validates generated cases against the problem's reference solution: one sandbox run per problem with every case
// as a test (the sandbox isolates tests from each other, so one hanging case does not sink the rest). A case the
// reference passes is `VALID`; one it fails is `INVALID` with the reason. Without a reference, or when the
// reference itself does not load, nothing can be judged: the cases stay `UNVALIDATED` with a note saying why.
import type { RunLimits, Sandbox, SandboxTest, TestResult } from "../sandbox/index.ts";
import type { GeneratedCase } from "./parse-cases.ts";

export type CaseValidation = "VALID" | "INVALID" | "UNVALIDATED";

export interface ValidatedCase {
  case: GeneratedCase;
  validation: CaseValidation;
  /** Why a case is invalid or unvalidated; null when valid. */
  note: string | null;
}

export interface ReferenceProgram {
  referenceSolution: string | null;
  testSetupCode: string;
  entryPoint: string | null;
}

/** A generated case should be quick for a reference solution; the whole run gets room for every case. */
export const VALIDATION_LIMITS: Partial<RunLimits> = { testTimeoutMs: 5_000, programTimeoutMs: 120_000 };

export const NO_REFERENCE_NOTE = "not validated: the problem has no reference solution";

export function toSandboxCase(testCase: GeneratedCase): SandboxTest {
  return testCase.format === "assert" ? { kind: "assert", input: testCase.text } : { kind: "stdio", input: testCase.input, expected: testCase.output };
}

export async function validateCases(
  sandbox: Sandbox,
  program: ReferenceProgram,
  cases: readonly GeneratedCase[],
  limits: Partial<RunLimits> = VALIDATION_LIMITS,
): Promise<ValidatedCase[]> {
  if (cases.length === 0) return [];
  if (!program.referenceSolution) return cases.map((c) => ({ case: c, validation: "UNVALIDATED", note: NO_REFERENCE_NOTE }));
  const result = await sandbox.run({
    code: program.referenceSolution,
    tests: cases.map(toSandboxCase),
    setupCode: program.testSetupCode || undefined,
    entryPoint: program.entryPoint ?? undefined,
    // Every case gets its own verdict: one that hangs the reference must not leave the others unrun.
    limits: { timeoutsPerRun: cases.length, ...limits },
  });
  if (result.setup && result.setup.status !== "ok") {
    const why = [result.setup.errorType, result.setup.errorMessage].filter(Boolean).join(": ") || result.setup.status;
    return cases.map((c) => ({ case: c, validation: "UNVALIDATED", note: `not validated: the reference solution did not load (${clip(why)})` }));
  }
  return cases.map((c, i) => {
    const outcome = result.tests[i]!;
    return outcome.status === "pass" ? { case: c, validation: "VALID", note: null } : { case: c, validation: "INVALID", note: failureReason(c, outcome) };
  });
}

/** What the reference did with the case, in words a reader of the TCG page can act on. */
export function failureReason(testCase: GeneratedCase, outcome: TestResult): string {
  const detail = clip(outcome.errorMessage ?? "");
  switch (outcome.status) {
    case "fail":
      if (testCase.format === "stdio") return `the reference's output differs: ${detail || "wrong answer"}`;
      return `the reference fails the assert${detail ? `: ${detail}` : ""}`;
    case "error":
      return `raises ${outcome.errorType ?? "an error"} with the reference${detail ? `: ${detail}` : ""}`;
    case "timeout":
      return `the reference timed out on it${detail ? ` (${detail})` : ""}`;
    case "memory":
      return "the reference ran out of memory on it";
    case "output-limit":
      return "the reference printed more than the output limit on it";
    case "crash":
      return `the reference's process died on it${detail ? `: ${detail}` : ""}`;
    case "pass":
      return "passes";
  }
}

function clip(text: string): string {
  const oneLine = text.trim();
  return oneLine.length > 500 ? `${oneLine.slice(0, 500)}…` : oneLine;
}
