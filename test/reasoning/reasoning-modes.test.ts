// Issue 13 point 1: vanilla is the paper's step-by-step natural-language CoT under the same MCTS as pseudocode (same
// step markers, depth, rollouts, children); the one-shot reply is the separate `sampling` baseline.
import { describe, expect, it } from "vitest";
import { searchParamsForMode } from "../../server/contracts/index.ts";
import { getReasoningMode, pseudocodeMode, samplingMode, vanillaMode } from "../../server/reasoning/index.ts";

const PROBLEM = { statement: "Write a function add_numbers(a, b) that returns a + b.", entryPoint: "add_numbers", visibleTests: ["assert add_numbers(1, 2) == 3"] };

describe("reasoning modes", () => {
  it("vanilla@2 reasons step by step in natural language, framed exactly like pseudocode", () => {
    const root = vanillaMode.buildRootPrompt(PROBLEM);
    expect(root.templateId).toBe("vanilla@2");
    expect(root.user).toMatch(/step-by-step reasoning/i);
    expect(root.user).not.toMatch(/pseudocode/i);
    expect(vanillaMode.stepFormat).toBe(pseudocodeMode.stepFormat);
    expect(vanillaMode.openStep(root, 2).assistant).toBe("<Step_Begin>\n### Step 2:");
    expect(vanillaMode.stepFormat.stop).toEqual(["<Step_End>"]);
  });

  it("a vanilla step ends the path only when it holds a python block", () => {
    const thought = vanillaMode.parseStep(" **Understand the task** We add the two numbers.", 1);
    expect(thought).toMatchObject({ isTerminal: false, code: null, actionKind: "reason" });
    const code = vanillaMode.parseStep(" **Write the code**\n```python\ndef add_numbers(a, b):\n    return a + b\n```\n", 2);
    expect(code).toMatchObject({ isTerminal: true, actionKind: "code", code: "def add_numbers(a, b):\n    return a + b" });
  });

  it("sampling keeps the one-shot reply (vanilla@1): every reply ends the path", () => {
    expect(getReasoningMode("sampling")).toBe(samplingMode);
    const root = samplingMode.buildRootPrompt(PROBLEM);
    expect(root.templateId).toBe("vanilla@1");
    expect(samplingMode.parseStep("no code at all", 1).isTerminal).toBe(true);
  });

  it("sampling spends the rollout budget as n independent samples of one request; tree modes search as configured", () => {
    const search = { rollouts: 40, children: 3, maxDepth: 5, explorationWeight: 2, schedule: "const" as const, alpha: 0, maxTests: 10 };
    expect(searchParamsForMode("sampling", search)).toEqual({ ...search, rollouts: 1, children: 40, maxDepth: 1 });
    expect(searchParamsForMode("vanilla", search)).toEqual(search);
    expect(searchParamsForMode("pseudocode", search)).toEqual(search);
  });
});
