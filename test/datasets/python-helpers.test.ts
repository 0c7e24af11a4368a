// The small pieces of Python understanding the importers rely on.
import { describe, expect, it } from "vitest";
import { doctestAsserts } from "../../server/datasets/doctest-examples.ts";
import { isPythonLiteral } from "../../server/datasets/python-literal.ts";
import { calledFunctionNames, definedFunctionNames, findSignature, stripLineComment } from "../../server/datasets/python-source.ts";

describe("isPythonLiteral", () => {
  it.each([
    "0", "-0.5", "1e-3", "3j", "0x1F", "True", "None", "'a'", '"b"', "'it''s'", "r'\\d'", "b'x'", "'''q'''",
    "[]", "()", "(1,)", "{}", "{1, 2}", "{'a': [1, (2, 3)], 'b': None}", "[1, 2, 3,]", "('a', -1.5)", "'a # b'",
  ])("accepts %s", (text) => {
    expect(isPythonLiteral(text)).toBe(true);
  });

  it.each(["", "x", "f(1)", "1 + 2", "[1, x]", "{'a' 1}", "<object at 0x1>", "'open", "1.2.3", "True False", "-'a'", "inf"])(
    "rejects %s",
    (text) => {
      expect(isPythonLiteral(text)).toBe(false);
    },
  );
});

describe("doctestAsserts", () => {
  const prompt = [
    "def f(xs, k=1):",
    '    """ Example prose.',
    "    >>> f([1, 2])",
    "    [2, 3]",
    "    >>> f([], k=2)   # empty input",
    "    []",
    "    >>> f([1]) < 5",
    "    True",
    "    >>> f([1]) == [2]",
    "    >>> print(f([1]))",
    "    [2]",
    "    >>> x = f([1])",
    "    >>> g(1)",
    "    <object at 0x0>",
    "    >>> h(1)",
    "    'two'",
    "    'lines'",
    "    >>> for x in y:",
    "    ...     pass",
    "    >>> f([1, 2])",
    "    [2, 3]",
    '    """',
  ].join("\n");

  it("turns single-line examples with a literal output into asserts, and skips the rest", () => {
    expect(doctestAsserts(prompt)).toEqual([
      "assert f([1, 2]) == [2, 3]",
      "assert f([], k=2) == []",
      "assert (f([1]) < 5) == True",
    ]);
  });

  it("strips a trailing comment but keeps a # inside a string", () => {
    expect(doctestAsserts(">>> f('#')  # note\n'x'\n")).toEqual(["assert f('#') == 'x'"]);
  });
});

describe("python-source", () => {
  const code = 'import math\r\ndef helper(a):\n    return a\n\nclass K:\n    def method(self): pass\n\ndef solve(xs,\n          k: int = 2) -> list:\n    s = "def fake(x):"\n    return xs\n';

  it("finds defined functions and ignores defs inside strings", () => {
    expect([...definedFunctionNames(code)].sort()).toEqual(["helper", "method", "solve"]);
  });

  it("joins a wrapped def header into one signature", () => {
    expect(findSignature(code, "solve")).toBe("def solve(xs, k: int = 2) -> list:");
    expect(findSignature(code, "method")).toBeUndefined(); // not top level
    expect(findSignature(code, "fake")).toBeUndefined();
  });

  it("lists called names in order, skipping method calls and strings", () => {
    expect(calledFunctionNames('assert set(obj.run(solve([1]))) == g("h(x)")')).toEqual(["set", "solve", "g"]);
  });

  it("strips comments outside strings only", () => {
    expect(stripLineComment("f('a#b') # c")).toBe("f('a#b')");
    expect(stripLineComment('f("x")')).toBe('f("x")');
  });
});
