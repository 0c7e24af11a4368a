// Parsing TCG completions: every candidate is either a case or dropped with a reason; nothing throws.
import { describe, expect, it } from "vitest";
import { splitAssert, squeezeCode } from "../../server/tcg/assert-case.ts";
import { dedupeCases } from "../../server/tcg/dedupe-cases.ts";
import { parseCases } from "../../server/tcg/parse-cases.ts";

const fence = (body: string) => "```case\n" + body + "\n```";

describe("assert-style cases (function problems)", () => {
  const options = { format: "assert" as const, entryPoint: "add" };

  it("parses well-formed asserts, inside fences or not, and joins continued lines", () => {
    const completion = [
      "Here are tests:",
      fence("assert add(1, 2) == 3"),
      "```python\nassert add(\n    10,\n    20,\n) == 30\n```",
      "assert add(-1, 1) == 0  # zero",
      'assert 5 == add(2, 3), "sides swapped"',
    ].join("\n");
    const result = parseCases(completion, options);
    expect(result.dropped).toEqual([]);
    expect(result.generated).toBe(4);
    expect(result.cases.map((c) => c.text)).toEqual([
      "assert add(1, 2) == 3",
      "assert add(\n10,\n20,\n) == 30",
      "assert add(-1, 1) == 0",
      "assert add(2, 3) == 5",
    ]);
  });

  it("drops malformed candidates, each with its reason", () => {
    const completion = [
      fence("assert add(1, 2)"),
      fence("assert sub(1, 2) == -1"),
      fence("assert add(1, 2) == 3 == 3"),
      fence("add(1, 2) should be 3"),
      fence(""),
      fence("assert add(1, [2 == 3"),
      fence('assert add("a, 1) == 2'),
    ].join("\n");
    const result = parseCases(completion, options);
    expect(result.cases).toEqual([]);
    expect(result.generated).toBe(7);
    expect(result.dropped.map((d) => d.reason)).toEqual([
      "no top-level `==`: write `assert <call> == <expected value>`",
      "does not call `add`",
      "more than one top-level `==` (a chained comparison)",
      "a ```case block without an `assert` line",
      "an empty ```case block",
      "an open bracket or string never closes (the case looks cut off)",
      "an open bracket or string never closes (the case looks cut off)",
    ]);
    expect(result.dropped.every((d) => d.kind === "malformed")).toBe(true);
  });

  it("drops the last case when the completion hit max_tokens inside it", () => {
    const result = parseCases(`${fence("assert add(1, 2) == 3")}\n\`\`\`case\nassert add(2, 2) == 4`, { ...options, finishReason: "length" });
    expect(result.cases.map((c) => c.text)).toEqual(["assert add(1, 2) == 3"]);
    expect(result.dropped).toEqual([{ text: "assert add(2, 2) == 4", reason: "cut off: the completion reached max_tokens inside this case", kind: "malformed" }]);
  });

  it("a last case closed by its fence is complete even when max_tokens ended the completion", () => {
    const result = parseCases(`${fence("assert add(1, 2) == 3")}\n${fence("assert add(2, 2) == 4")}\n`, { ...options, finishReason: "length" });
    expect(result.cases).toHaveLength(2);
    const stdio = parseCases(fence("# input:\n1\n# output:\n1"), { format: "stdio", entryPoint: null, finishReason: "length" });
    expect(stdio.cases).toHaveLength(1);
  });

  it("counts a completion without any case as one malformed case", () => {
    const result = parseCases("I think the function is fine.", options);
    expect(result).toMatchObject({ generated: 1, cases: [] });
    expect(result.dropped[0]!.reason).toBe("no `assert` statement in the completion");
    expect(parseCases("", options)).toEqual({ generated: 0, cases: [], dropped: [] });
  });

  it("keeps `==` inside strings and brackets out of the split", () => {
    expect(splitAssert('assert add("==", [1 == 1]) == "x == y"', "add")).toEqual({ ok: true, parts: { call: 'add("==", [1 == 1])', expected: '"x == y"' } });
    expect(splitAssert("assert (add(1, 2)) == (3)", "add")).toEqual({ ok: true, parts: { call: "add(1, 2)", expected: "3" } });
    expect(splitAssert("assert add(1, 2) == (3, 4)", "add")).toEqual({ ok: true, parts: { call: "add(1, 2)", expected: "(3, 4)" } });
    expect(splitAssert("assert add(1, 2) != 3", "add")).toMatchObject({ ok: false });
  });
});

describe("stdin/stdout cases", () => {
  const options = { format: "stdio" as const, entryPoint: null };

  it("parses # input / # output blocks, inline values included", () => {
    const completion = [fence("# input:\n3 4\n# output:\n7"), fence("# Input: 1 1\n# Output: 2"), "```\n# input:\n5\n6\n\n# output:\n11\n```"].join("\n\n");
    const result = parseCases(completion, options);
    expect(result.dropped).toEqual([]);
    expect(result.cases.map((c) => (c.format === "stdio" ? [c.input, c.output] : null))).toEqual([
      ["3 4\n", "7\n"],
      ["1 1\n", "2\n"],
      ["5\n6\n", "11\n"],
    ]);
  });

  it("drops blocks with a missing or misplaced marker, with the reason", () => {
    const completion = [fence("# input:\n3 4"), fence("# output:\n7"), fence("# output:\n7\n# input:\n3 4"), fence("just text"), "```python\nprint(1)\n```"].join("\n");
    const result = parseCases(completion, options);
    expect(result.generated).toBe(4);
    expect(result.dropped.map((d) => d.reason)).toEqual([
      "no `# output:` line",
      "no `# input:` line",
      "`# output:` comes before `# input:`",
      "neither `# input:` nor `# output:` in the ```case block",
    ]);
  });

  it("an unterminated last block is kept when the model stopped, dropped when max_tokens cut it", () => {
    const text = `${fence("# input:\n1\n# output:\n1")}\n\`\`\`case\n# input:\n2\n# output:\n4`;
    expect(parseCases(text, { ...options, finishReason: "stop" }).cases).toHaveLength(2);
    const cut = parseCases(text, { ...options, finishReason: "length" });
    expect(cut.cases).toHaveLength(1);
    expect(cut.dropped[0]!.reason).toMatch(/max_tokens/);
  });
});

describe("dedupe", () => {
  it("drops repeats that differ only in whitespace outside strings, keeping the first; strings still count", () => {
    const parsed = parseCases(
      [fence("assert add(1, 2) == 3"), fence("assert add(1,2)==3"), fence('assert add("a b", "") == "a b"'), fence('assert add("ab", "") == "ab"'), fence("assert add(1, 2) == 4")].join("\n"),
      { format: "assert", entryPoint: "add" },
    );
    const { unique, duplicates } = dedupeCases(parsed.cases);
    expect(unique.map((c) => c.text)).toEqual(["assert add(1, 2) == 3", 'assert add("a b", "") == "a b"', 'assert add("ab", "") == "ab"', "assert add(1, 2) == 4"]);
    expect(duplicates).toEqual([{ text: "assert add(1,2) == 3", reason: "duplicate of kept case 1", kind: "duplicate" }]);
  });

  it("compares stdout the way the sandbox does (trailing spaces and blank lines do not count)", () => {
    const parsed = parseCases([fence("# input:\n1 2\n# output:\n3"), fence("# input:\n1 2   \n# output:\n3\n\n")].join("\n"), { format: "stdio", entryPoint: null });
    expect(dedupeCases(parsed.cases).duplicates).toHaveLength(1);
  });

  it("squeezeCode keeps string contents and drops comments", () => {
    expect(squeezeCode('f( "a  b" ,  x )  # note')).toBe('f("a  b",x)');
    expect(squeezeCode("f('it''s', \"q\")")).toBe("f('it''s',\"q\")");
  });
});
