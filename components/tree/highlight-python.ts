// A small Python tokenizer for syntax colouring: enough to read generated solutions, not a parser. Lossless (the tokens'
// texts concatenate back to the input) and total (any input tokenizes), so malformed model output still displays.

export type PythonTokenKind =
  | "keyword"
  | "constant"
  | "builtin"
  | "function"
  | "class"
  | "decorator"
  | "string"
  | "number"
  | "comment"
  | "operator"
  | "name"
  | "plain";

export interface PythonToken {
  kind: PythonTokenKind;
  text: string;
}

const KEYWORDS = new Set([
  "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else", "except",
  "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
  "return", "try", "while", "with", "yield",
]);

const CONSTANTS = new Set(["True", "False", "None", "self", "cls"]);

const BUILTINS = new Set([
  "abs", "all", "any", "bin", "bool", "bytes", "callable", "chr", "dict", "divmod", "enumerate", "filter", "float",
  "format", "frozenset", "getattr", "hasattr", "hash", "hex", "id", "input", "int", "isinstance", "issubclass", "iter",
  "len", "list", "map", "max", "min", "next", "object", "oct", "open", "ord", "pow", "print", "range", "repr",
  "reversed", "round", "set", "setattr", "slice", "sorted", "str", "sum", "super", "tuple", "type", "zip",
  "Exception", "ValueError", "TypeError", "KeyError", "IndexError", "RuntimeError", "StopIteration",
  "ZeroDivisionError", "AssertionError", "NotImplementedError",
]);

// Sticky regexes, tried in order at the current position. Strings are scanned by hand (escapes, triple quotes).
const WHITESPACE = /[ \t\r\n\f\v]+/y;
const COMMENT = /#[^\n]*/y;
const STRING_START = /(?:[rR][bBfF]?|[bBfF][rR]?|[uU])?('''|"""|'|")/y;
const NUMBER = /(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?[jJ]?)/y;
const IDENTIFIER = /[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*/uy;
const DECORATOR = /@[\p{L}_][\p{L}\p{N}_.]*/uy;
const OPERATOR = /\*\*=?|\/\/=?|<<=?|>>=?|->|:=|[-+*\/%&|^@<>!=]=|[-+*\/%&|^~<>=@.,:;()[\]{}]/y;

export function tokenizePython(source: string): PythonToken[] {
  const tokens: PythonToken[] = [];
  let pos = 0;
  let lineStart = true; // only whitespace so far on this line: where a decorator may begin
  let previous: PythonToken | null = null; // the last non-whitespace token, for `def name` and `.attr`
  const push = (kind: PythonTokenKind, text: string) => {
    const last = tokens[tokens.length - 1];
    if (last && last.kind === kind && (kind === "plain" || kind === "operator")) last.text += text;
    else tokens.push({ kind, text });
  };

  while (pos < source.length) {
    const whitespace = matchAt(WHITESPACE, source, pos);
    if (whitespace !== null) {
      push("plain", whitespace);
      if (whitespace.includes("\n")) lineStart = true;
      pos += whitespace.length;
      continue;
    }
    const token = readToken(source, pos, lineStart, previous);
    push(token.kind, token.text);
    previous = token;
    lineStart = false;
    pos += token.text.length;
  }
  return tokens;
}

function readToken(source: string, pos: number, lineStart: boolean, previous: PythonToken | null): PythonToken {
  const comment = matchAt(COMMENT, source, pos);
  if (comment !== null) return { kind: "comment", text: comment };

  STRING_START.lastIndex = pos;
  const stringStart = STRING_START.exec(source);
  if (stringStart) {
    const end = scanStringEnd(source, pos + stringStart[0].length, stringStart[1]!);
    return { kind: "string", text: source.slice(pos, end) };
  }

  const number = matchAt(NUMBER, source, pos);
  if (number !== null) return { kind: "number", text: number };

  const identifier = matchAt(IDENTIFIER, source, pos);
  if (identifier !== null) return { kind: classifyIdentifier(identifier, previous), text: identifier };

  if (lineStart) {
    const decorator = matchAt(DECORATOR, source, pos);
    if (decorator !== null) return { kind: "decorator", text: decorator };
  }

  const operator = matchAt(OPERATOR, source, pos);
  if (operator !== null) return { kind: "operator", text: operator };

  // Anything else (a line-continuation backslash, `$`, `?`, a stray surrogate pair) is shown as is.
  const codePoint = source.codePointAt(pos) ?? 0;
  return { kind: "plain", text: String.fromCodePoint(codePoint) };
}

function classifyIdentifier(word: string, previous: PythonToken | null): PythonTokenKind {
  if (previous?.kind === "keyword" && previous.text === "def") return "function";
  if (previous?.kind === "keyword" && previous.text === "class") return "class";
  // After a dot it is an attribute (`obj.print`, `x.type`), not the keyword or builtin of the same name.
  if (previous?.text.endsWith(".") && previous.kind === "operator") return "name";
  if (KEYWORDS.has(word)) return "keyword";
  if (CONSTANTS.has(word)) return "constant";
  if (BUILTINS.has(word)) return "builtin";
  return "name";
}

/**
 * The index just past the string's closing quote. A backslash escapes the next character (raw strings too: `r"\""`
 * does not end at the escaped quote). Single-quoted strings stop at an unescaped newline; an unterminated string runs
 * to the end of its line (single) or of the input (triple).
 */
function scanStringEnd(source: string, from: number, quote: string): number {
  const triple = quote.length === 3;
  let i = from;
  while (i < source.length) {
    const ch = source[i];
    if (ch === "\\") {
      i += 2;
      continue;
    }
    if (!triple && ch === "\n") return i;
    if (source.startsWith(quote, i)) return i + quote.length;
    i += 1;
  }
  return source.length;
}

function matchAt(regex: RegExp, source: string, pos: number): string | null {
  regex.lastIndex = pos;
  const match = regex.exec(source);
  return match && match[0].length > 0 ? match[0] : null;
}

/** Tailwind classes for a dark code background (the app's CodeBlock is slate-900). */
export const PYTHON_TOKEN_CLASSES: Record<PythonTokenKind, string> = {
  keyword: "text-violet-300",
  constant: "text-orange-300",
  builtin: "text-sky-300",
  function: "text-yellow-200",
  class: "text-yellow-200",
  decorator: "text-pink-300",
  string: "text-emerald-300",
  number: "text-amber-300",
  comment: "text-slate-400 italic",
  operator: "text-slate-300",
  name: "text-slate-100",
  plain: "text-slate-100",
};
