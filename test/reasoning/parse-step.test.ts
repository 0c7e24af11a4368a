import { describe, expect, it } from "vitest";
import {
  detectActionKind,
  extractAnyFencedCode,
  extractPythonCode,
  parsePseudocodeStep,
  parseVanillaStep,
} from "../../server/reasoning/parse-step.ts";

// Step texts in the shape the reference's generated trees have (src/mcts/run_outputs of the O1-CODER repository).
const STRUCTURE = ` **Defining High-Level Structure (Action 1)**\n\n#### Goal:\nDefine the structure.\n\n#### Pseudocode:\n\`\`\`pseudo\nFunction encode(s):\n    Return the result\n\`\`\``;
const REFINE = ` **Refining the \`decode\` Function (Action 2)**\n\n\`\`\`pseudo\nFunction decode(s):\n    For each character...\n\`\`\`\n\nAction 3 will turn this into code.`;
const CODE = ` **Generating Python Code (Action 3)**\n\n\`\`\`python\ndef encode(s):\n    return s\n\`\`\`\n\nExample:\n\`\`\`python\nprint(encode("a"))\n\`\`\`\n`;

describe("parsePseudocodeStep", () => {
  it("reads the action from the step's own label", () => {
    expect(parsePseudocodeStep(STRUCTURE, 1)).toMatchObject({ actionKind: "structure", code: null, isTerminal: false });
    // "Action 3" in the explanation is not the step's action.
    expect(parsePseudocodeStep(REFINE, 2)).toMatchObject({ actionKind: "refine", code: null, isTerminal: false });
  });

  it("ends the path at a python block and takes the last one as the code", () => {
    expect(parsePseudocodeStep(CODE, 3)).toEqual({ actionKind: "code", text: CODE, code: 'print(encode("a"))', isTerminal: true });
  });

  it("ends the path at a ```py or ```python3 block just like ```python", () => {
    expect(parsePseudocodeStep(" Action 3\n```py\ndef f():\n    return 1\n```\n", 3)).toMatchObject({ actionKind: "code", code: "def f():\n    return 1", isTerminal: true });
    expect(parsePseudocodeStep(" Action 3\n```Python3\nx = 1\n```\n", 3)).toMatchObject({ isTerminal: true });
    // A word starting with "py" is not a python fence.
    expect(parsePseudocodeStep(" Action 2\n```pyramid\nx\n```\n", 2)).toMatchObject({ isTerminal: false, code: null });
  });

  it("falls back to the step's position when it names no action", () => {
    expect(detectActionKind("Let us plan.", 1)).toBe("structure");
    expect(detectActionKind("More detail.", 3)).toBe("refine");
    expect(detectActionKind("Now (Action 3) without a block", 3)).toBe("code");
    expect(detectActionKind("Mislabelled (Action 1)\n```python\nx = 1\n```", 2)).toBe("code");
  });
});

describe("code extraction", () => {
  it("accepts python/py/python3 fences in any case and trims trailing whitespace", () => {
    expect(extractPythonCode("```Python\nx = 1\n\n```")).toBe("x = 1");
    expect(extractPythonCode("```py\ny = 2\n```")).toBe("y = 2");
    expect(extractPythonCode("```python3\n  z = 3  \n```")).toBe("  z = 3");
  });

  it("keeps the code of a block cut off by max_tokens", () => {
    expect(extractPythonCode("```python\ndef f():\n    return")).toBe("def f():\n    return");
  });

  it("has no code for no block, an empty block, or a non-python block", () => {
    expect(extractPythonCode("plain text")).toBeNull();
    expect(extractPythonCode("```python\n   \n```")).toBeNull();
    expect(extractPythonCode("```pseudo\nx\n```")).toBeNull();
  });

  it("vanilla answers may use an untagged fence", () => {
    expect(extractAnyFencedCode("Answer:\n```\ndef f():\n    pass\n```")).toBe("def f():\n    pass");
    expect(parseVanillaStep("no code at all")).toEqual({ actionKind: "vanilla", text: "no code at all", code: null, isTerminal: true });
    expect(parseVanillaStep("```python\na = 1\n```").code).toBe("a = 1");
  });
});
