// Assert-style test cases (function problems): `assert <call> == <expected>`. Split at the one top-level `==` into the
// call (the case's input) and the expected value (its output), so cases can be deduplicated, rendered uniformly and,
// for TCG-DPO, re-paired with another case's output. A light scan over the text (strings blanked), not a parser:
// the sandbox has the last word on whether a case is valid Python.
import { blankStringsAndComments, calledFunctionNames } from "../datasets/index.ts";

export interface AssertParts {
  call: string;
  expected: string;
}

export type SplitResult = { ok: true; parts: AssertParts } | { ok: false; reason: string };

/** Net bracket depth of `code` outside strings and comments (> 0: an open bracket is still waiting to close). */
export function bracketDepth(code: string): number {
  let depth = 0;
  for (const ch of blankStringsAndComments(code)) {
    if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") depth--;
  }
  return depth;
}

/** True when a string literal opened in `code` is not closed (a line cut off mid-string). */
export function hasOpenString(code: string): boolean {
  const blanked = blankStringsAndComments(code);
  // blankStringsAndComments keeps the quotes: an odd number of quote runs at the end means one never closed.
  let open: string | null = null;
  for (let i = 0; i < blanked.length; i++) {
    const ch = blanked[i]!;
    if (ch !== "'" && ch !== '"') continue;
    const triple = blanked.startsWith(ch.repeat(3), i) ? ch.repeat(3) : ch;
    if (open === null) open = triple;
    else if (open === triple) open = null;
    else continue;
    i += triple.length - 1;
  }
  return open !== null;
}

/** `assert f(x) == y` (optionally with a `, "message"`) → { call: "f(x)", expected: "y" }; sides are swapped when
 * only the right side calls the entry point. */
export function splitAssert(text: string, entryPoint: string | null): SplitResult {
  const source = text.trim();
  const head = /^assert(?=[\s(])/.exec(source);
  if (!head) return { ok: false, reason: "does not start with `assert`" };
  let body = stripComment(source.slice(head[0].length)).trim();
  const comma = topLevelIndex(body, (blanked, i) => blanked[i] === ",");
  if (comma >= 0) body = body.slice(0, comma).trim();
  if (body === "") return { ok: false, reason: "an empty assert" };
  const equals = topLevelEqualities(body);
  if (equals.length === 0) return { ok: false, reason: "no top-level `==`: write `assert <call> == <expected value>`" };
  if (equals.length > 1) return { ok: false, reason: "more than one top-level `==` (a chained comparison)" };
  let call = unwrapParens(body.slice(0, equals[0]).trim());
  let expected = unwrapParens(body.slice(equals[0]! + 2).trim());
  if (call === "" || expected === "") return { ok: false, reason: "one side of `==` is empty" };
  if (entryPoint) {
    const callsLeft = calledFunctionNames(call).includes(entryPoint);
    const callsRight = calledFunctionNames(expected).includes(entryPoint);
    if (!callsLeft && callsRight) [call, expected] = [expected, call];
    else if (!callsLeft) return { ok: false, reason: `does not call \`${entryPoint}\`` };
  }
  return { ok: true, parts: { call, expected } };
}

export function renderAssert(parts: AssertParts): string {
  return `assert ${parts.call} == ${parts.expected}`;
}

/** Whitespace outside string literals removed: `f(1, 2)==3` and `f(1,2) == 3` are the same case. */
export function squeezeCode(code: string): string {
  const blanked = blankStringsAndComments(code);
  let out = "";
  let open: string | null = null;
  for (let i = 0; i < code.length; i++) {
    const ch = blanked[i]!;
    if (ch === "'" || ch === '"') {
      const quote = blanked.startsWith(ch.repeat(3), i) ? ch.repeat(3) : ch;
      if (open === null || open === quote) {
        open = open === null ? quote : null;
        out += code.slice(i, i + quote.length);
        i += quote.length - 1;
        continue;
      }
    }
    // Outside strings, a blank is whitespace or a comment character: neither changes the case.
    if (open === null && (ch === " " || /\s/.test(code[i]!))) continue;
    out += code[i];
  }
  return out;
}

/** Positions of `==` outside brackets and strings (not part of `!=`, `<=`, `>=`). */
function topLevelEqualities(body: string): number[] {
  const found: number[] = [];
  const blanked = blankStringsAndComments(body);
  let depth = 0;
  for (let i = 0; i < blanked.length; i++) {
    const ch = blanked[i]!;
    if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") depth--;
    else if (depth === 0 && ch === "=" && blanked[i + 1] === "=" && !"=!<>".includes(blanked[i - 1] ?? " ") && blanked[i + 2] !== "=") {
      found.push(i);
      i++;
    }
  }
  return found;
}

function topLevelIndex(body: string, test: (blanked: string, i: number) => boolean): number {
  const blanked = blankStringsAndComments(body);
  let depth = 0;
  for (let i = 0; i < blanked.length; i++) {
    const ch = blanked[i]!;
    if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") depth--;
    else if (depth === 0 && test(blanked, i)) return i;
  }
  return -1;
}

function stripComment(code: string): string {
  const hash = blankStringsAndComments(code, { keepComments: true }).indexOf("#");
  return hash === -1 ? code : code.slice(0, hash);
}

/** `(f(x))` → `f(x)`: parentheses around a whole side add nothing (a tuple keeps its comma, so stays a tuple). */
function unwrapParens(expr: string): string {
  let current = expr;
  while (current.startsWith("(") && current.endsWith(")") && closesAtEnd(current)) {
    const inner = current.slice(1, -1).trim();
    if (inner === "" || topLevelIndex(inner, (b, i) => b[i] === ",") >= 0) break;
    current = inner;
  }
  return current;
}

/** True when the `(` at 0 is closed by the final `)`, not earlier: `(a) + (b)` is not wrapped. */
function closesAtEnd(expr: string): boolean {
  const blanked = blankStringsAndComments(expr);
  let depth = 0;
  for (let i = 0; i < blanked.length; i++) {
    const ch = blanked[i]!;
    if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") {
      depth--;
      if (depth === 0 && i < blanked.length - 1) return false;
    }
  }
  return depth === 0;
}
