// Turns the `>>>` examples of a HumanEval prompt into search-visible asserts. They are already in the prompt the
// model sees, so making them visible leaks nothing hidden; they give the search a reward signal before any hidden
// test is touched. Only the unambiguous case is converted (everything else is skipped, never guessed):
//   - the example is one line (no `...` continuation), an expression, not `print(...)` and not an assignment;
//   - exactly one line of expected output follows, and it is a Python literal.
// `>>> f(x) == y` lines with no output (HumanEval/108, 116, 128, 145, 156, 162) and examples written as prose
// ("f(x) ➞ y") are skipped.
import { isPythonLiteral } from "./python-literal.ts";
import { blankStringsAndComments, isSimplePrimary, stripLineComment } from "./python-source.ts";

const PROMPT = ">>>";
const STATEMENT_START = /^(?:import|from|def|class|for|while|if|with|return|del|assert|raise|try|lambda|print\s*\()\b/;

export function doctestAsserts(prompt: string): string[] {
  const lines = prompt.split("\n").map((line) => line.trim());
  const asserts: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.startsWith(PROMPT)) continue;
    const source = stripLineComment(line.slice(PROMPT.length).trim());
    const expected = expectedOutput(lines, i + 1);
    const assertion = expected !== undefined && isExpression(source) ? toAssert(source, expected) : undefined;
    if (assertion && !asserts.includes(assertion)) asserts.push(assertion);
  }
  return asserts;
}

/** The single expected-output line after an example, or undefined when there is none, several, or a continuation. */
function expectedOutput(lines: string[], start: number): string | undefined {
  const output: string[] = [];
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "" || line.startsWith(PROMPT) || line.startsWith('"""') || line.startsWith("'''")) break;
    if (output.length === 0 && line.startsWith("...")) return undefined;
    output.push(line);
  }
  if (output.length !== 1) return undefined;
  const value = output[0]!;
  return isPythonLiteral(value) ? value : undefined;
}

function isExpression(source: string): boolean {
  if (source === "" || STATEMENT_START.test(source)) return false;
  // A top-level `=` that is not part of ==, !=, <=, >= is an assignment (keyword arguments sit inside parentheses).
  const blanked = blankStringsAndComments(source);
  let depth = 0;
  for (let i = 0; i < blanked.length; i++) {
    const ch = blanked[i]!;
    if ("([{".includes(ch)) depth++;
    else if (")]}".includes(ch)) depth--;
    else if (ch === "=" && depth === 0) {
      const before = blanked[i - 1] ?? "";
      const after = blanked[i + 1] ?? "";
      if (after === "=") i++;
      else if (!"=!<>".includes(before)) return false;
    }
  }
  return depth === 0;
}

/** `f(x) == 3`; anything more complex than a call chain is parenthesised so `a < b` with `True` stays right. */
function toAssert(source: string, expected: string): string {
  const left = isSimplePrimary(source) ? source : `(${source})`;
  return `assert ${left} == ${expected}`;
}
