// The TCG prompt: the O1-CODER reference template (### Instruction / ### Problem / ### Code Part / ### Test Part,
// src/TestCaseGenerate/tcg_test.py) with the reference solution in the code part when there is one. The reference
// model was fine-tuned on the output format, an off-the-shelf one is not, so the instruction adds one sentence on
// how to write each case: the paper's ```case blocks with `# input:` / `# output:` for stdin/stdout problems, and
// an assert variant (one `assert <call> == <expected>` per block) for function problems (MBPP, HumanEval).
// The exact text is stored in TcgProblem.prompt; it is also the TCG-DPO prompt. Dataset tests never appear in it.

export type TcgFormat = "stdio" | "assert";

export interface TcgPromptProblem {
  kind: "FUNCTION" | "STDIO";
  statement: string;
  entryPoint: string | null;
  signature: string | null;
  referenceSolution: string | null;
}

/** The line every TCG prompt ends with; the scripted test server recognises TCG prompts by it. */
export const TEST_PART_HEADER = "### Test Part";
export const PAPER_INSTRUCTION =
  "Please complete the task in the code part and generate some test case in the test part that can be used to test the quality of the generated code.";

export function tcgFormatFor(problem: Pick<TcgPromptProblem, "kind">): TcgFormat {
  return problem.kind === "STDIO" ? "stdio" : "assert";
}

export function formatInstruction(problem: TcgPromptProblem): string {
  if (tcgFormatFor(problem) === "stdio") {
    return "Write each test case in its own ```case block: a line `# input:`, the exact standard input, a line `# output:`, then the exact expected standard output.";
  }
  const entry = problem.entryPoint ?? "the function";
  return `Write each test case in its own \`\`\`case block holding one line \`assert ${entry}(<arguments>) == <expected value>\`: a call of \`${entry}\` with literal arguments and the value it must return.`;
}

export function buildTcgPrompt(problem: TcgPromptProblem, cases: number): string {
  const parts = ["### Instruction", PAPER_INSTRUCTION, formatInstruction(problem), "### Problem", problem.statement.trim()];
  if (problem.referenceSolution) {
    parts.push("### Code Part", "```python", problem.referenceSolution.trimEnd(), "```");
  } else if (problem.signature) {
    // Without a reference there is nothing to complete; the signature still tells the model what to call.
    parts.push("### Code Part", "```python", problem.signature.trim(), "```");
  }
  parts.push(TEST_PART_HEADER, `[Generate ${cases} test cases here to validate the code.]`);
  return parts.join("\n");
}

/** One case exactly as the prompt asks the model to write it (the TCG-DPO `chosen`/`rejected` are made of these). */
export function renderStdioCase(input: string, output: string): string {
  return `\`\`\`case\n# input:\n${trimNewlines(input)}\n# output:\n${trimNewlines(output)}\n\`\`\``;
}

export function renderAssertCase(assertLine: string): string {
  return `\`\`\`case\n${assertLine.trim()}\n\`\`\``;
}

function trimNewlines(text: string): string {
  return text.replace(/^\n+/, "").replace(/\s+$/, "");
}
