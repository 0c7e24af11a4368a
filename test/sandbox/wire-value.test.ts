import { describe, expect, it } from "vitest";
import { hashKey, parseWireJson, WireParseError, wireEqual } from "../../server/sandbox/wire-value.ts";

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
});

describe("wireEqual (Python == on the wire values)", () => {
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
