import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { hashKey, parseWireJson, plainValueRepr, plainWireValue, previewWire, WireParseError, type WireValue, wireEqual } from "../../server/sandbox/wire-value.ts";

const eq = (a: string, b: string, atol = 0) => wireEqual(parseWireJson(a), parseWireJson(b), atol);

describe("parseWireJson", () => {
  it("keeps integers beyond 2^53 exact as bigint and small ones as numbers", () => {
    expect(parseWireJson("123456789012345678901234567890")).toBe(123456789012345678901234567890n);
    expect(parseWireJson("[1, -2, 3.5]")).toEqual([1, -2, 3.5]);
    expect(parseWireJson("9007199254740993")).toBe(9007199254740993n);
  });

  it("accepts Python's NaN and Infinity literals", () => {
    const [nan, inf, negInf] = parseWireJson("[NaN, Infinity, -Infinity]") as number[];
    expect(nan).toBeNaN();
    expect(inf).toBe(Number.POSITIVE_INFINITY);
    expect(negInf).toBe(Number.NEGATIVE_INFINITY);
  });

  it("decodes escapes and keeps a __proto__ key as data", () => {
    expect(parseWireJson('"a\\n\\u00e9\\"b"')).toBe('a\né"b');
    const value = parseWireJson('{"__proto__": 1}') as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it("rejects malformed text", () => {
    for (const bad of ["", "[1,", "{1: 2}", "[1] 2", "'a'", '"unterminated', "01"]) {
      expect(() => parseWireJson(bad), bad).toThrow(WireParseError);
    }
  });

  it("names what is wrong and the offset where it is", () => {
    const cases: Array<[string, string]> = [
      ["+1", "unexpected character at offset 0"],
      [".5", "unexpected character at offset 0"],
      ["tru", "unexpected character at offset 0"],
      ["[1,]", "unexpected character at offset 3"],
      ["{1: 2}", "expected a string key at offset 1"],
      ['{"a": 1,}', "expected a string key at offset 8"],
      ['{"a" 1}', "expected ':' at offset 5"],
      ['{"a": 1 "b": 2}', "expected ',' or '}' at offset 8"],
      ['{"a": 1]', "expected ',' or '}' at offset 7"],
      ["[1 2]", "expected ',' or ']' at offset 3"],
      ["[1}", "expected ',' or ']' at offset 2"],
      ['"a\\x"', "invalid string at offset 0"],
      ['"a\nb"', "invalid string at offset 0"],
      ['["ab', "unterminated string at offset 1"],
      ["-", "invalid number at offset 0"],
      ["-x", "invalid number at offset 0"],
      ["-Inf", "invalid number at offset 0"],
      ["1.", "unexpected text after the value at offset 1"],
      ["[1] x", "unexpected text after the value at offset 4"],
    ];
    for (const [bad, message] of cases) expect(() => parseWireJson(bad), bad).toThrow(new WireParseError(message));
  });

  it("skips JSON's four whitespace characters and no others", () => {
    expect(parseWireJson(' \t\r\n[ 1 ,\t2 ,\r3 ,\n4 ] \n')).toEqual([1, 2, 3, 4]);
    expect(parseWireJson('{\n"a"\t:\r1\n}')).toEqual({ a: 1 });
    for (const other of ["\f1", "\v1", "\u00a01", "[1,\u20282]"]) expect(() => parseWireJson(other), JSON.stringify(other)).toThrow(WireParseError);
  });

  it("reads empty containers, with or without space inside", () => {
    expect(parseWireJson("[]")).toEqual([]);
    expect(parseWireJson("[ \n]")).toEqual([]);
    expect(parseWireJson("{}")).toEqual({});
    expect(parseWireJson("{ \t}")).toEqual({});
    expect(parseWireJson('[[], {}, [[]], {"a": {}}]')).toEqual([[], {}, [[]], { a: {} }]);
  });

  it("reads numbers as Python would: ints up to 2^53 - 1 as numbers, beyond as bigint, any fraction or exponent as float", () => {
    expect(parseWireJson("9007199254740991")).toBe(9007199254740991);
    expect(parseWireJson("9007199254740992")).toBe(9007199254740992n);
    expect(parseWireJson("-9007199254740991")).toBe(-9007199254740991);
    expect(parseWireJson("-9007199254740992")).toBe(-9007199254740992n);
    expect(parseWireJson("1e2")).toBe(100);
    expect(parseWireJson("-2.5E-1")).toBe(-0.25);
    expect(parseWireJson("1e400")).toBe(Number.POSITIVE_INFINITY);
    expect(parseWireJson("[-0, 0]")).toEqual([-0, 0]);
    expect(parseWireJson("-Infinity")).toBe(Number.NEGATIVE_INFINITY);
  });

  it("keeps a parsed dict's entries ordinary data: enumerable, writable and deletable", () => {
    const value = parseWireJson('{"a": 1, "b": [2]}') as Record<string, WireValue>;
    expect(Object.getOwnPropertyDescriptor(value, "a")).toEqual({ value: 1, enumerable: true, writable: true, configurable: true });
    value.a = 5;
    delete value.b;
    expect(value).toEqual({ a: 5 });
  });

  it("accepts nesting up to 1000 levels and refuses the 1001st, however many siblings came before", () => {
    const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
    expect(() => parseWireJson(nested(1000))).not.toThrow();
    expect(() => parseWireJson(nested(1001))).toThrow(new WireParseError("nested too deeply at offset 1000"));
    expect(() => parseWireJson(`${"{\"k\": ".repeat(1000)}1${"}".repeat(1000)}`)).not.toThrow();
    const manySiblings = `[${Array.from({ length: 1500 }, () => '[{"a": []}]').join(",")}]`;
    expect(parseWireJson(manySiblings) as unknown[]).toHaveLength(1500);
    expect(() => parseWireJson(`[${"[],".repeat(1500)}${nested(999)}]`)).not.toThrow();
  });
});

describe("wireEqual (Python == on the wire values)", () => {
  it("compares None and strings only with themselves", () => {
    expect(eq("null", "null")).toBe(true);
    expect(eq("null", "0")).toBe(false);
    expect(eq("null", "[]")).toBe(false);
    expect(eq('"a"', '"a"')).toBe(true);
    expect(eq('"a"', '"b"')).toBe(false);
    expect(eq('"1"', "1")).toBe(false);
    expect(eq("null", "{}")).toBe(false);
    expect(eq("{}", "null")).toBe(false);
    expect(eq('""', "{}")).toBe(false);
    expect(eq("{}", '""')).toBe(false);
  });

  it("never equates a number with a dict, not even an empty one", () => {
    expect(eq("1", "{}")).toBe(false);
    expect(eq("{}", "true")).toBe(false);
    expect(eq("0", '{"a": 0}')).toBe(false);
  });

  it("compares ints beyond 2^53 with floats exactly, in either order", () => {
    expect(eq("9007199254740992", "9007199254740992.0")).toBe(true);
    expect(eq("9007199254740992.0", "9007199254740992")).toBe(true);
    expect(eq("123456789012345678901234567890", "123456789012345678901234567891")).toBe(false);
    expect(eq("9007199254740994", "9007199254740990.0")).toBe(false);
  });

  it("applies atol to big ints up to and including the tolerance", () => {
    expect(eq("9007199254740993", "9007199254740995", 2)).toBe(true);
    expect(eq("9007199254740993", "9007199254740995", 1.5)).toBe(false);
    expect(eq("9007199254740993", "9007199254740995")).toBe(false);
    expect(eq("9007199254740994", "9007199254740990.0", 4)).toBe(true);
    expect(eq("9007199254740990.0", "9007199254740994", 4)).toBe(true);
    expect(eq("9007199254740994", "9007199254740990.0", 3.5)).toBe(false);
    expect(eq("9007199254740994", "Infinity", 1e300)).toBe(false);
  });

  it("applies atol to floats up to and including the tolerance; NaN equals only NaN", () => {
    expect(eq("1.5", "1.0", 0.5)).toBe(true);
    expect(eq("1.5", "1.0", 0.25)).toBe(false);
    expect(eq("NaN", "1", 0.1)).toBe(false);
    expect(eq("1", "NaN", 0.1)).toBe(false);
    expect(eq("NaN", "NaN", 0.1)).toBe(true);
  });

  it("reads only well-formed $float and $complex values as numbers", () => {
    expect(eq('{"$float": "bogus"}', "1", 0.5)).toBe(false);
    expect(eq('{"$set": [{"$float": "x"}, {"$float": "y"}]}', '{"$set": [{"$float": "x"}]}')).toBe(false);
    expect(eq('{"$complex": [1, 0, 5]}', "1")).toBe(false);
    expect(eq('{"$complex": [1]}', "1")).toBe(false);
    expect(eq('{"$complex": [1, "x"]}', "1")).toBe(false);
    expect(eq('{"$complex": ["x", 0]}', "0")).toBe(false);
    expect(eq('{"$complex": [1, 2]}', '{"$complex": [1.0, 2.0]}')).toBe(true);
    expect(eq('{"$complex": [1, 2]}', '{"$complex": [1, 3]}')).toBe(false);
  });

  it("reads an object with a tag and another key as a dict, not a tagged value", () => {
    expect(eq('{"$tuple": [1, 2], "x": 1}', '{"$tuple": [1, 2]}')).toBe(false);
    expect(eq('{"$tuple": [1, 2], "x": 1}', '{"x": 1, "$tuple": [1, 2]}')).toBe(true);
  });

  it("compares lists item by item and never with a dict", () => {
    expect(eq("[1]", "[1, 2]")).toBe(false);
    expect(eq("[1, 2]", "[1]")).toBe(false);
    expect(eq("[1, 2]", "[1, 3]")).toBe(false);
    expect(eq("[1, 2]", "[1.0, true]")).toBe(false);
    expect(eq("[1, 1]", "[1.0, true]")).toBe(true);
    expect(eq("[1, 2]", '{"0": 1, "1": 2}')).toBe(false);
    expect(eq('{"0": 1, "1": 2}', "[1, 2]")).toBe(false);
    expect(eq("[]", '{"length": 0}')).toBe(false);
    expect(eq('{"length": 0}', "[]")).toBe(false);
  });

  it("never equates values of different kinds: tuple, set, dict, bytes", () => {
    const kinds = ['{"$tuple": [1]}', '{"$set": [1]}', '{"$dict": [[1, 1]]}', '{"$bytes": "AQ=="}', '{"a": 1}', "[1]"];
    for (const a of kinds) {
      for (const b of kinds) expect(eq(a, b), `${a} == ${b}`).toBe(a === b);
    }
    expect(eq("{}", '{"$tuple": []}')).toBe(false);
    expect(eq('{"$tuple": []}', "{}")).toBe(false);
    expect(eq('{"$set": []}', '{"$dict": []}')).toBe(false);
    expect(eq('{"$dict": []}', '{"$set": []}')).toBe(false);
    expect(eq("{}", '{"$dict": []}')).toBe(true);
  });

  it("compares tuples item by item", () => {
    expect(eq('{"$tuple": [1, 2]}', '{"$tuple": [1, 3]}')).toBe(false);
    expect(eq('{"$tuple": [1, 2]}', '{"$tuple": [1, 2, 3]}')).toBe(false);
    expect(eq('{"$tuple": [1, [2]]}', '{"$tuple": [true, [2.0]]}')).toBe(true);
  });

  it("compares bytes by their content, and only with bytes", () => {
    expect(eq('{"$bytes": "QUI="}', '{"$bytes": "QUI="}')).toBe(true);
    expect(eq('{"$bytes": "QUI="}', '{"$bytes": "QUM="}')).toBe(false);
    for (const tag of ["$float", "$opaque", "$tuple", "$set", "$dict"]) {
      expect(eq(`{"${tag}": "QUI="}`, '{"$bytes": "QUI="}'), tag).toBe(false);
      expect(eq('{"$bytes": "QUI="}', `{"${tag}": "QUI="}`), tag).toBe(false);
    }
  });

  it("equates malformed tuples and sets with nothing", () => {
    expect(eq('{"$tuple": 5}', '{"$tuple": 5}')).toBe(false);
    expect(eq('{"$tuple": "ab"}', '{"$tuple": ["a", "b"]}')).toBe(false);
    expect(eq('{"$tuple": ["a", "b"]}', '{"$tuple": "ab"}')).toBe(false);
    expect(eq('{"$set": 5}', '{"$set": 5}')).toBe(false);
    expect(eq('{"$set": 5}', '{"$set": []}')).toBe(false);
    expect(eq('{"$set": []}', '{"$set": 5}')).toBe(false);
  });

  it("compares sets as sets of keys: sizes must match, duplicates collapse", () => {
    expect(eq('{"$set": [1]}', '{"$set": [1, 2]}')).toBe(false);
    expect(eq('{"$set": [1, 2]}', '{"$set": [1]}')).toBe(false);
    expect(eq('{"$set": [1, 1.0, true]}', '{"$set": [1]}')).toBe(true);
  });

  it("compares numbers across int, float, bool and big ints", () => {
    expect(eq("1", "1.0")).toBe(true);
    expect(eq("true", "1")).toBe(true);
    expect(eq("1", "2")).toBe(false);
    expect(eq("123456789012345678901234567890", "123456789012345678901234567890")).toBe(true);
    expect(eq("9007199254740993", "9007199254740992.0")).toBe(false); // exact, as Python compares int with float
    expect(eq('{"$complex": [1.0, 0.0]}', "1")).toBe(true);
  });

  it("treats NaN as unequal unless a tolerance is given (numpy's assert_allclose semantics)", () => {
    expect(eq('{"$float": "nan"}', '{"$float": "nan"}')).toBe(false);
    expect(eq('{"$float": "nan"}', "NaN", 1e-6)).toBe(true);
    expect(eq('{"$float": "inf"}', "Infinity")).toBe(true);
  });

  it("applies atol to numbers inside lists, tuples and dict values", () => {
    expect(eq("[0.30000000000000004]", "[0.3]")).toBe(false);
    expect(eq("[0.30000000000000004]", "[0.3]", 1e-9)).toBe(true);
    expect(eq('{"$tuple": [1.0000001]}', '{"$tuple": [1]}', 1e-6)).toBe(true);
    expect(eq('{"a": 2.5}', '{"a": 2.6}', 0.01)).toBe(false);
  });

  it("distinguishes lists from tuples but not sets from frozensets", () => {
    expect(eq("[1, 2]", '{"$tuple": [1, 2]}')).toBe(false);
    expect(eq('{"$set": [1, 2]}', '{"$frozenset": [2, 1]}')).toBe(true);
    expect(eq('{"$set": [1, 2]}', '{"$set": [1, 3]}')).toBe(false);
  });

  it("compares dicts regardless of order and with non-string keys", () => {
    expect(eq('{"a": 1, "b": [2]}', '{"b": [2], "a": 1}')).toBe(true);
    expect(eq('{"$dict": [[1, "x"], [{"$tuple": [2, 3]}, "y"]]}', '{"$dict": [[{"$tuple": [2, 3]}, "y"], [1.0, "x"]]}')).toBe(true);
    expect(eq('{"a": 1}', '{"$dict": [["a", 1]]}')).toBe(true);
    expect(eq('{"a": 1}', '{"a": 1, "b": 2}')).toBe(false);
  });

  it("never equates opaque values, even identical ones", () => {
    const opaque = '{"$opaque": {"type": "Cheat", "repr": "<Cheat>"}}';
    expect(eq(opaque, opaque)).toBe(false);
    expect(eq(opaque, "5")).toBe(false);
  });

  it("gives equal hash keys exactly to values Python would treat as the same key", () => {
    expect(hashKey(1)).toBe(hashKey(true));
    expect(hashKey(2)).toBe(hashKey(2.0));
    expect(hashKey(2.5)).not.toBe(hashKey(2));
    expect(hashKey("1")).not.toBe(hashKey(1));
  });
});

describe("hashKey (Python's hash-based containers: set elements, dict keys)", () => {
  it("makes a tuple the same key as a tuple of equal items, never as a frozenset", () => {
    expect(eq('{"$set": [{"$tuple": [1, true]}]}', '{"$set": [{"$tuple": [1.0, 1]}]}')).toBe(true);
    expect(eq('{"$set": [{"$tuple": [1]}, {"$frozenset": [1]}]}', '{"$set": [{"$tuple": [1]}]}')).toBe(false);
    expect(hashKey({ $tuple: [1, 2] })).not.toBe(hashKey({ $tuple: [2, 1] }));
  });

  it("makes frozensets the same key whatever their order or duplicates", () => {
    expect(eq('{"$set": [{"$frozenset": [1, 2]}]}', '{"$set": [{"$frozenset": [2, 1, 2.0]}]}')).toBe(true);
    expect(eq('{"$set": [{"$frozenset": [1]}, {"$frozenset": [2]}]}', '{"$set": [{"$frozenset": [1]}]}')).toBe(false);
    expect(hashKey({ $frozenset: [1] })).toBe(hashKey({ $set: [1.0] }));
    expect(hashKey({ $dict: [[1, 2]] })).not.toBe(hashKey({ $frozenset: [[1, 2]] }));
  });

  it("keys bytes by their content", () => {
    expect(eq('{"$set": [{"$bytes": "QUI="}, {"$bytes": "QUM="}]}', '{"$set": [{"$bytes": "QUM="}, {"$bytes": "QUI="}]}')).toBe(true);
    expect(eq('{"$set": [{"$bytes": "QUI="}]}', '{"$set": [{"$bytes": "QUM="}]}')).toBe(false);
    expect(eq('{"$set": [{"$bytes": "QUI="}]}', '{"$set": ["QUI="]}')).toBe(false);
  });

  it("keys a complex number by both parts, and one with a zero imaginary part as the real number", () => {
    expect(eq('{"$set": [{"$complex": [1, 2]}]}', '{"$set": [1]}')).toBe(false);
    expect(eq('{"$set": [{"$complex": [1, 0]}]}', '{"$set": [1]}')).toBe(true);
    expect(hashKey({ $complex: [1, 0n] })).toBe(hashKey(1));
    expect(hashKey({ $complex: [1, 2] })).not.toBe(hashKey({ $complex: [1, 3] }));
  });

  it("keys an integral float as the int of the same value, however large", () => {
    expect(eq('{"$set": [1000000000000000000000]}', '{"$set": [1e21]}')).toBe(true);
    expect(eq('{"$dict": [[1e21, "a"]]}', '{"$dict": [[1000000000000000000000, "a"]]}')).toBe(true);
    expect(hashKey(2.5)).not.toBe(hashKey(2));
    expect(hashKey(Number.NaN)).toBe(hashKey({ $float: "nan" }));
    expect(hashKey(Number.NaN)).not.toBe(hashKey(Number.POSITIVE_INFINITY));
  });

  it("gives an unhashable value (list, dict) a key equal only to an identical value's, big ints included", () => {
    expect(hashKey([1, 2])).toBe(hashKey([1, 2]));
    expect(hashKey([1, 2])).not.toBe(hashKey([1, 3]));
    expect(hashKey([1, 2])).not.toBe(hashKey({ $tuple: [1, 2] }));
    expect(hashKey({ a: 1 })).not.toBe(hashKey({ a: 2 }));
    expect(hashKey([2n ** 70n])).toBe(hashKey([2n ** 70n]));
    expect(hashKey([2n ** 70n])).not.toBe(hashKey([2n ** 71n]));
  });
});

describe("previewWire", () => {
  it("keeps text up to the limit and cuts longer text, saying its length", () => {
    expect(previewWire("x".repeat(300))).toBe("x".repeat(300));
    expect(previewWire("x".repeat(301))).toBe(`${"x".repeat(300)}… (301 chars)`);
    expect(previewWire("abcdef", 3)).toBe("abc… (6 chars)");
    expect(previewWire("abc", 3)).toBe("abc");
  });
});

/** What Python makes of each expression: the harness's wire text of its value and its safe_repr (harness.py itself,
 * run by the interpreter the sandbox uses). */
function pythonSays(expressions: string[]): { wire: string; repr: string }[] {
  const harness = readFileSync(new URL("../../server/sandbox/harness.py", import.meta.url), "utf8");
  const script = `${harness}\nimport sys\nfor expression in json.loads(sys.stdin.read()):\n    value = eval(expression)\n    print(json.dumps({"wire": wire_json(value), "repr": safe_repr(value)}))\n`;
  const run = spawnSync("/usr/bin/python3", ["-I", "-S", "-c", script], { input: JSON.stringify(expressions), encoding: "utf8" });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.trim().split("\n").map((line) => JSON.parse(line) as { wire: string; repr: string });
}

describe("plain values (ints, bools, strings, None, lists, tuples), as Python has them", () => {
  const SHOWN = [
    "0", "7", "-12", "2**53 + 1", "10**39", "10**40", "-(10**40)", "10**50", "True", "False", "None",
    "''", "'abc'", `"it's"`, `'say "hi"'`, `'both \\' and "'`, "'back\\\\slash'", "'tab\\t nl\\n cr\\r'",
    "'\\x00\\x01\\x1f\\x7f~ '", "'a' * 160", "'a' * 161", "'x' * 500 + 'y'", "'\\x01' * 50", "'\\x01' * 200",
    "\"'\" * 100", "'\"' * 100 + \"'\"", "[]", "()", "(1,)", "[1]", "[(1,)]", "((),)", "list(range(12))",
    "list(range(13))", "tuple(range(20))", "[[[[[[[[1]]]]]]]]", "((((((((1,),),),),),),),)", "[[[[[[[]]]]]]]",
    "[[[[[[(1,)]]]]]]", "[[[[[[()]]]]]]", "[1, 'a', None, True, (2, [3, ('x',)])]", "[[1] * 13] * 13",
    // The edges: as many digits as Python writes out (4300); a repr of exactly 160 characters, kept whole; a cut
    // string quoted by what its head and tail hold (a ' there, a " only in the part cut out).
    "10**4299", "-(10**4299)", "'a' * 158", "'a' * 159", "\"'\" + 'a' * 100 + '\"' + 'a' * 100",
  ];
  const BEYOND_ASCII = ["'é'", "['\\u2028']", "'\\U0001f600'", "'\\ud800'", "('a', 'ü')"];
  const NOT_PLAIN = ["1.0", "-0.0", "float('nan')", "{'a': 1}", "{1: 2}", "{1, 2}", "frozenset()", "b'x'", "1j", "10**4300", "-(10**4300)", "10**5000", "[1, 2.5]", "((1.5,),)"];

  it("reads the harness's wire text back as the value Python wrote, and shows it as safe_repr does", () => {
    const said = pythonSays(SHOWN);
    expect(said).toHaveLength(SHOWN.length);
    for (const [i, { wire, repr }] of said.entries()) {
      const value = plainWireValue(wire);
      expect(value, SHOWN[i]).not.toBeUndefined();
      expect(plainValueRepr(value!), SHOWN[i]).toBe(repr);
    }
  });

  it("reads strings beyond ASCII exactly too, but leaves their repr to Python (null)", () => {
    for (const [i, { wire }] of pythonSays(BEYOND_ASCII).entries()) {
      const value = plainWireValue(wire);
      expect(value, BEYOND_ASCII[i]).not.toBeUndefined();
      expect(plainValueRepr(value!), BEYOND_ASCII[i]).toBeNull();
    }
    expect(plainWireValue('"\\u00e9\\ud83d\\ude00"')).toBe("é😀");
  });

  it("is not a plain value: floats, dicts, sets, bytes, complex numbers, $opaque, anything nested with one", () => {
    for (const [i, { wire }] of pythonSays(NOT_PLAIN).entries()) expect(plainWireValue(wire), NOT_PLAIN[i]).toBeUndefined();
  });

  it("takes only the harness's own spelling: no float or exponent for an int, no spaces, no -0, no second key", () => {
    for (const text of ["7.0", "7e0", "-0", "[1, 2]", " 1", '{"$tuple":[1],"$tuple":[2]}', '{"$tuple":[1],"x":1}', '{"$tuple":1}', '"\\u00E9"', '"\\/"', "[1,", "NaN"]) {
      expect(plainWireValue(text), text).toBeUndefined();
    }
    expect(plainWireValue(`[${"[".repeat(99)}${"]".repeat(99)}]`)).toBeDefined();
    expect(plainWireValue(`[${"[".repeat(100)}${"]".repeat(100)}]`)).toBeUndefined();
  });

  it("shows no made-up repr (null) for a dict, a set or a tuple tag without a list, alone or inside a list", () => {
    for (const value of [{ a: 1 }, { $set: [1] }, { $frozenset: [1, 2] }, { $tuple: 1 }, [{ $set: [1] }]] as WireValue[]) {
      expect(plainValueRepr(value), JSON.stringify(value)).toBeNull();
    }
  });
});
