// The part of a problem a prompt may show. Hidden tests have no field here on purpose: code that builds prompts cannot
// be handed them, and `hiddenTests?: never` makes passing an object that carries them a type error.

export interface SearchVisibleProblem {
  statement: string;
  /** Name of the function to write (MBPP/HumanEval entry point). */
  entryPoint?: string | null;
  /** e.g. "def add(a: int, b: int) -> int:". */
  signature?: string | null;
  /** Search-visible tests only (Python asserts), shown as examples and used for the search reward. */
  visibleTests: readonly string[];
  hiddenTests?: never;
}

/** The "### Question" body: statement, what to name the function, the visible tests. */
export function renderQuestion(problem: SearchVisibleProblem): string {
  const parts = [problem.statement.trim()];
  if (problem.signature) parts.push(`Use this signature:\n\`\`\`python\n${problem.signature.trim()}\n\`\`\``);
  else if (problem.entryPoint) parts.push(`The function must be named \`${problem.entryPoint}\`.`);
  if (problem.visibleTests.length > 0) {
    parts.push(`Your code should pass these tests:\n\`\`\`python\n${problem.visibleTests.map((t) => t.trim()).join("\n")}\n\`\`\``);
  }
  return parts.join("\n\n");
}
