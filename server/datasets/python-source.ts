// Just enough Python lexing for importers: find `def` lines, called names, comments — all while skipping string
// literals, so a `#` or `def` inside a string is never mistaken for code. Not a Python parser, by design: the
// importers only need these facts, and a wrong guess surfaces as a validation error, not a silent mis-import.

/** MBPP's `code` uses Windows line endings; tests and prompts use `\n`. Stored code is always `\n`. */
export function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

/**
 * Replaces the contents of string literals (and, unless `keepComments`, comments) with spaces, keeping offsets and
 * newlines, so regexes over the result only see code. Quotes stay, so `f("a")` becomes `f(" ")`.
 */
export function blankStringsAndComments(code: string, { keepComments = false } = {}): string {
  const out = code.split("");
  let i = 0;
  while (i < code.length) {
    const ch = code[i]!;
    if (ch === "#") {
      if (keepComments) return out.join("");
      while (i < code.length && code[i] !== "\n") out[i++] = " ";
      continue;
    }
    if (ch !== "'" && ch !== '"') {
      i++;
      continue;
    }
    const triple = code.startsWith(ch.repeat(3), i);
    const quote = triple ? ch.repeat(3) : ch;
    i += quote.length;
    while (i < code.length) {
      if (code[i] === "\\") {
        out[i] = " ";
        if (code[i + 1] !== undefined && code[i + 1] !== "\n") out[i + 1] = " ";
        i += 2;
        continue;
      }
      if (code.startsWith(quote, i)) {
        i += quote.length;
        break;
      }
      // An unterminated single-quoted string ends at the line end (a syntax error in Python; just stop there).
      if (!triple && code[i] === "\n") break;
      if (code[i] !== "\n") out[i] = " ";
      i++;
    }
  }
  return out.join("");
}

/** Names of functions defined anywhere in `code` (top level, nested or methods). */
export function definedFunctionNames(code: string): Set<string> {
  const names = new Set<string>();
  for (const match of blankStringsAndComments(code).matchAll(/^[ \t]*(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)[ \t]*\(/gm)) {
    names.add(match[1]!);
  }
  return names;
}

/** Names called as plain functions (`name(`, not `obj.name(`), in order of first appearance. */
export function calledFunctionNames(code: string): string[] {
  const names: string[] = [];
  for (const match of blankStringsAndComments(code).matchAll(/(?<![\w.])([A-Za-z_]\w*)\s*\(/g)) {
    if (!names.includes(match[1]!)) names.push(match[1]!);
  }
  return names;
}

/**
 * The full `def name(...) -> T:` header of a top-level function, joined from several lines when the parameter list
 * wraps. Undefined when there is no such top-level def.
 */
export function findSignature(code: string, name: string): string | undefined {
  const blanked = blankStringsAndComments(code);
  const header = new RegExp(`^(?:async[ \\t]+)?def[ \\t]+${escapeRegExp(name)}[ \\t]*\\(`, "m").exec(blanked);
  if (!header) return undefined;
  let depth = 0;
  for (let i = header.index; i < blanked.length; i++) {
    const ch = blanked[i];
    if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") depth--;
    else if (ch === ":" && depth === 0) {
      return code
        .slice(header.index, i + 1)
        .split("\n")
        .map((line) => line.trim())
        .join(" ")
        .replace(/\(\s+/g, "(")
        .replace(/\s+\)/g, ")");
    }
  }
  return undefined;
}

/** Drops a trailing `# comment` from one line of code (a `#` inside a string is kept). */
export function stripLineComment(line: string): string {
  // With keepComments the scan stops at the first real comment and leaves its `#` in place.
  const hash = blankStringsAndComments(line, { keepComments: true }).indexOf("#");
  return hash === -1 ? line : line.slice(0, hash).trimEnd();
}

/** True when `expr`, outside brackets and strings, is only a dotted name followed by calls/subscripts. */
export function isSimplePrimary(expr: string): boolean {
  const blanked = blankStringsAndComments(expr);
  let depth = 0;
  for (const ch of blanked) {
    if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") depth--;
    else if (depth === 0 && !/[\w.'"]/.test(ch)) return false;
  }
  return depth === 0;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
