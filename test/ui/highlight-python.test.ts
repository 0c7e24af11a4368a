import { describe, expect, it } from "vitest";
import { tokenizePython, type PythonToken, type PythonTokenKind } from "../../components/tree/highlight-python.ts";

/** The tokens of one kind, as texts. */
function texts(code: string, kind: PythonTokenKind): string[] {
  return tokenizePython(code)
    .filter((t) => t.kind === kind)
    .map((t) => t.text);
}

function join(tokens: PythonToken[]): string {
  return tokens.map((t) => t.text).join("");
}

const SOLUTION = `import heapq
from typing import List

@functools.lru_cache(maxsize=None)
def min_cost(costs: List[int], k=3) -> int:
    """Cheapest path; 'quotes' and # are fine here."""
    total = 0x1F + 1_000 + 1.5e-3 + 2j  # comment with "quotes"
    for i, c in enumerate(sorted(costs)):
        if c is None or not c:
            continue
        total += c ** 2 // 3
    return f"{total!r}" if total else r'\\d+'

class Solver(object):
    pass
`;

describe("tokenizePython", () => {
  it("is lossless: the tokens concatenate back to the source", () => {
    expect(join(tokenizePython(SOLUTION))).toBe(SOLUTION);
  });

  it("is total: odd input still round-trips", () => {
    for (const odd of ["", "x = '", 'x = """never closed\n# still string', "a \\\n b", "$ ? `", "é = 1\nπ = 2", "'\\", "😀 = 1"]) {
      expect(join(tokenizePython(odd))).toBe(odd);
    }
  });

  it("finds keywords, constants and builtins", () => {
    expect(texts(SOLUTION, "keyword")).toEqual(
      expect.arrayContaining(["import", "from", "def", "for", "in", "if", "is", "or", "not", "continue", "return", "else", "class", "pass"]),
    );
    expect(texts(SOLUTION, "constant")).toEqual(["None", "None"]);
    expect(texts(SOLUTION, "builtin")).toEqual(expect.arrayContaining(["int", "enumerate", "sorted", "object"]));
  });

  it("names defined functions and classes", () => {
    expect(texts(SOLUTION, "function")).toEqual(["min_cost"]);
    expect(texts(SOLUTION, "class")).toEqual(["Solver"]);
  });

  it("reads decorators only at the start of a line", () => {
    expect(texts(SOLUTION, "decorator")).toEqual(["@functools.lru_cache"]);
    expect(texts("c = a @ b", "decorator")).toEqual([]);
  });

  it("keeps strings whole: triple quotes, prefixes, escapes; comments inside strings are not comments", () => {
    expect(texts(SOLUTION, "string")).toEqual([`"""Cheapest path; 'quotes' and # are fine here."""`, `f"{total!r}"`, `r'\\d+'`]);
    expect(texts(`s = "a \\" b" + 'c'`, "string")).toEqual([`"a \\" b"`, `'c'`]);
    expect(texts(`s = '''line1\nline2'''`, "string")).toEqual([`'''line1\nline2'''`]);
    expect(texts(`b = rb"\\x00"`, "string")).toEqual([`rb"\\x00"`]);
  });

  it("ends an unterminated single-quoted string at the end of its line", () => {
    const tokens = tokenizePython("x = 'oops\ny = 2");
    expect(tokens.filter((t) => t.kind === "string").map((t) => t.text)).toEqual(["'oops"]);
    expect(tokens.filter((t) => t.kind === "number").map((t) => t.text)).toEqual(["2"]);
  });

  it("reads comments to the end of the line, quotes included", () => {
    expect(texts(SOLUTION, "comment")).toEqual(['# comment with "quotes"']);
  });

  it("reads Python number literals", () => {
    expect(texts(SOLUTION, "number")).toEqual(["3", "0x1F", "1_000", "1.5e-3", "2j", "2", "3"]);
    expect(texts("x = .5 + 10. + 0b101 + 0o17 + 1E10", "number")).toEqual([".5", "10.", "0b101", "0o17", "1E10"]);
  });

  it("does not colour attributes that share a keyword's or builtin's name", () => {
    const tokens = tokenizePython("obj.print(x.type)");
    expect(tokens.filter((t) => t.kind === "builtin")).toEqual([]);
    expect(tokens.filter((t) => t.kind === "name").map((t) => t.text)).toEqual(["obj", "print", "x", "type"]);
  });

  it("treats identifiers that merely start like keywords or string prefixes as names", () => {
    expect(texts("format_ = iffy + rb_count + f", "name")).toEqual(["format_", "iffy", "rb_count", "f"]);
    expect(texts("format_ = iffy + rb_count + f", "string")).toEqual([]);
  });

  it("reads unicode identifiers", () => {
    expect(texts("größe = 1", "name")).toEqual(["größe"]);
  });
});
