// TCG-SFT: supervised data for the test case generator, in the paper's Fig. 3 template (tcg-prompt.ts, the reference's
// ### Instruction / ### Problem / ### Code Part / ### Test Part): the prompt asks for as many cases as the problem has
// ground-truth tests, and the completion writes those tests in the format the prompt asks for (```case blocks).
// Call tests (EvalPlus inputs as JSON) have no literal form the template asks for and are left out.
import { buildTcgPrompt, renderAssertCase, renderStdioCase, type TcgPromptProblem } from "./tcg-prompt.ts";

export interface GroundTruthTest {
  kind: "ASSERT" | "STDIO" | "CALL";
  input: string;
  expected: string | null;
}

export interface TcgSftExample {
  prompt: string;
  completion: string;
  /** Cases written (the tests that have a case form). */
  cases: number;
}

function renderCase(test: GroundTruthTest): string | null {
  if (test.kind === "ASSERT") return renderAssertCase(test.input);
  if (test.kind === "STDIO") return renderStdioCase(test.input, test.expected ?? "");
  return null;
}

/** null when none of the tests can be written as a case. */
export function buildTcgSftExample(problem: TcgPromptProblem, tests: readonly GroundTruthTest[]): TcgSftExample | null {
  const cases = tests.map(renderCase).filter((c): c is string => c !== null);
  if (cases.length === 0) return null;
  return { prompt: buildTcgPrompt(problem, cases.length), completion: cases.join("\n"), cases: cases.length };
}
