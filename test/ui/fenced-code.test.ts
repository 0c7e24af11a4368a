import { describe, expect, it } from "vitest";
import { isPythonFence, splitFencedCode, type StepSegment } from "../../components/tree/fenced-code.ts";

function join(segments: StepSegment[]): string {
  return segments.map((s) => (s.kind === "text" ? s.text : s.open + s.code + s.close)).join("");
}

const STEP = "<Step_Begin>\n### Step 3: code\nHere it is:\n```python\ndef f(x):\n    return x\n```\nDone.\n<Step_End>\n";

describe("splitFencedCode", () => {
  it("separates prose from fenced code, losslessly", () => {
    const segments = splitFencedCode(STEP);
    expect(segments.map((s) => s.kind)).toEqual(["text", "code", "text"]);
    const code = segments[1] as Extract<StepSegment, { kind: "code" }>;
    expect(code.language).toBe("python");
    expect(code.code).toBe("def f(x):\n    return x\n");
    expect(code.open).toBe("```python\n");
    expect(code.close).toBe("```");
    expect(join(segments)).toBe(STEP);
  });

  it("runs an unclosed block (a step cut off by the token limit) to the end", () => {
    const text = "Plan\n```py\nx = 1\ny = 2";
    const segments = splitFencedCode(text);
    expect(segments.map((s) => s.kind)).toEqual(["text", "code"]);
    expect(segments[1]).toMatchObject({ language: "py", code: "x = 1\ny = 2", close: "" });
    expect(join(segments)).toBe(text);
  });

  it("handles several blocks, an unlabelled block, and text without fences", () => {
    const text = "```\na\n```\nmid\n```Python extra\nb\n```";
    const segments = splitFencedCode(text);
    expect(segments.filter((s) => s.kind === "code").map((s) => (s.kind === "code" ? [s.language, s.code] : []))).toEqual([
      ["", "a\n"],
      ["python", "b\n"],
    ]);
    expect(join(segments)).toBe(text);
    expect(splitFencedCode("1. read n\n2. loop")).toEqual([{ kind: "text", text: "1. read n\n2. loop" }]);
    expect(splitFencedCode("")).toEqual([]);
  });

  it("recognises Python fences", () => {
    expect(["", "python", "py", "python3"].every(isPythonFence)).toBe(true);
    expect(isPythonFence("text")).toBe(false);
  });
});
