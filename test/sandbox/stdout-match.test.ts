// The stdio comparison rule, case by case: trailing whitespace and trailing blank lines are ignored, nothing else is.
import { describe, expect, it } from "vitest";
import { describeStdoutMismatch, normaliseStdout } from "../../server/sandbox/stdout-match.ts";

describe("stdout comparison", () => {
  it("drops trailing spaces, tabs, \\r, \\f and \\v on each line and trailing blank lines", () => {
    expect(normaliseStdout("1 2 \t\r\f\v\n\n  \n")).toEqual(["1 2"]);
    expect(normaliseStdout("")).toEqual([]);
    expect(normaliseStdout("a\n\nb\n")).toEqual(["a", "", "b"]);
    expect(normaliseStdout(" lead\n")).toEqual([" lead"]);
  });

  it.each([
    ["1 2\n", "1 2   \r\n\n"],
    ["a\n\nb", "a\n\nb\n\n\n"],
    ["", "\n\n"],
  ])("%j matches %j", (actual, expected) => {
    expect(describeStdoutMismatch(actual, expected)).toBeNull();
  });

  it.each([
    ["1  2\n", "1 2", 'line 1: expected "1 2", got "1  2"'],
    [" 1 2\n", "1 2", 'line 1: expected "1 2", got " 1 2"'],
    ["a\nb\n", "a\n\nb", 'line 2: expected "", got "b"'],
    ["a\n", "a\nb\nc", 'output ended after 1 lines; expected line 2: "b"'],
    ["a\nb\nc\n", "a", 'expected 1 lines; got more, line 2: "b"'],
    ["", "x", 'output ended after 0 lines; expected line 1: "x"'],
  ])("%j against %j: %s", (actual, expected, message) => {
    expect(describeStdoutMismatch(actual, expected)).toBe(message);
  });

  it("shortens a long line to 200 characters in the message", () => {
    const long = "y".repeat(250);
    expect(describeStdoutMismatch(long, "x")).toBe(`line 1: expected "x", got "${"y".repeat(200)}…"`);
    expect(describeStdoutMismatch("y".repeat(200), "x")).toBe(`line 1: expected "x", got "${"y".repeat(200)}"`);
  });
});
