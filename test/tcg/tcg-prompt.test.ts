// The TCG prompt follows the paper's template and carries no dataset test; the prompt the search sees never holds a
// hidden test, also when its visible tests are generated ones.
import { describe, expect, it } from "vitest";
import { buildTcgPrompt, PAPER_INSTRUCTION } from "../../server/tcg/tcg-prompt.ts";

const FUNCTION_PROBLEM = {
  kind: "FUNCTION" as const,
  statement: "Write a function to add two numbers.",
  entryPoint: "add",
  signature: "def add(a, b):",
  referenceSolution: "def add(a, b):\n    return a + b\n",
};

describe("TCG prompt", () => {
  it("is the paper's template: instruction, problem, code part with the reference, then the test request", () => {
    const prompt = buildTcgPrompt(FUNCTION_PROBLEM, 5);
    const sections = ["### Instruction", PAPER_INSTRUCTION, "### Problem", FUNCTION_PROBLEM.statement, "### Code Part", "```python\ndef add(a, b):\n    return a + b\n```", "### Test Part"];
    let at = -1;
    for (const section of sections) {
      const next = prompt.indexOf(section, at + 1);
      expect(next, section).toBeGreaterThan(at);
      at = next;
    }
    expect(prompt.endsWith("### Test Part\n[Generate 5 test cases here to validate the code.]")).toBe(true);
  });

  it("asks function problems for one `assert entry(...) == value` per ```case block, stdio problems for # input / # output", () => {
    expect(buildTcgPrompt(FUNCTION_PROBLEM, 3)).toContain("```case block holding one line `assert add(<arguments>) == <expected value>`");
    const stdio = buildTcgPrompt({ kind: "STDIO", statement: "Read two numbers and print their sum.", entryPoint: null, signature: null, referenceSolution: "print(sum(map(int, input().split())))" }, 3);
    expect(stdio).toContain("a line `# input:`, the exact standard input, a line `# output:`");
    expect(stdio).not.toContain("assert");
  });

  it("without a reference solution there is no code to complete: the code part holds the signature, or is left out", () => {
    const noReference = buildTcgPrompt({ ...FUNCTION_PROBLEM, referenceSolution: null }, 3);
    expect(noReference).toContain("### Code Part\n```python\ndef add(a, b):\n```");
    expect(buildTcgPrompt({ ...FUNCTION_PROBLEM, referenceSolution: null, signature: null }, 3)).not.toContain("### Code Part");
  });

  it("holds only the statement and the reference: the problem's tests are not passed in and cannot appear", () => {
    // The builder's input type has no test field; a statement-only problem shows no assert besides the format line.
    const prompt = buildTcgPrompt(FUNCTION_PROBLEM, 3);
    const assertLines = prompt.split("\n").filter((line) => line.trim().startsWith("assert"));
    expect(assertLines).toEqual([]);
  });
});
