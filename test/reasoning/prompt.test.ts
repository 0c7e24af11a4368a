import { describe, expect, it } from "vitest";
import { promptForPath } from "../../server/reasoning/llm-step-policy.ts";
import type { SearchVisibleProblem } from "../../server/reasoning/problem.ts";
import { toChatMessages, toRawText, type Prompt } from "../../server/reasoning/prompt.ts";
import { pseudocodeMode, samplingMode } from "../../server/reasoning/reasoning-mode.ts";
import { STEP_END, cutAtStop, extendPrompt, openStep } from "../../server/reasoning/step-format.ts";
import { fillTemplate } from "../../server/reasoning/templates/fill-template.ts";
import { createRandom } from "../../server/lib/rng.ts";

const PROBLEM: SearchVisibleProblem = {
  statement: "Write a function to add two integers and return their sum.",
  entryPoint: "add_numbers",
  visibleTests: ["assert add_numbers(1, 2) == 3", "assert add_numbers(2, 0) == 2"],
};

describe("root prompts", () => {
  it("pseudocode@1 carries the Figure 4 actions, the question, the entry point and the visible tests", () => {
    const prompt = pseudocodeMode.buildRootPrompt(PROBLEM);
    expect(prompt.templateId).toBe("pseudocode@1");
    expect(prompt.assistant).toBe("");
    for (const part of [
      "<Action 1> Defining algorithm Structures Using pseudocode",
      "<Action 2> Refine part of the pseudocode",
      "<Action 3> Generate python code from the pseudocode",
      "### Question\nWrite a function to add two integers and return their sum.",
      "The function must be named `add_numbers`.",
      "assert add_numbers(1, 2) == 3\nassert add_numbers(2, 0) == 2",
    ]) {
      expect(prompt.user).toContain(part);
    }
    expect(prompt.user).not.toContain("{{");
  });

  it("sampling (vanilla@1) asks for the code directly and opens a fresh assistant turn", () => {
    const prompt = samplingMode.openStep(samplingMode.buildRootPrompt({ ...PROBLEM, signature: "def add_numbers(a, b):" }), 1);
    expect(prompt.templateId).toBe("vanilla@1");
    expect(prompt.user).toContain("```python\ndef add_numbers(a, b):\n```");
    expect(prompt.user).not.toContain("<Action 1>");
    expect(toChatMessages(prompt).map((m) => m.role)).toEqual(["user"]);
  });

  it("cannot be handed hidden tests", () => {
    const withHidden = { ...PROBLEM, hiddenTests: ["assert add_numbers(40, 2) == 42"] };
    // @ts-expect-error SearchVisibleProblem forbids a hiddenTests field: this line must not type-check.
    const prompt = pseudocodeMode.buildRootPrompt(withHidden);
    // And at run time only named fields are read, so nothing else leaks even through a cast.
    expect(prompt.user).not.toContain("40, 2");
  });
});

function randomStepText(seed: number): string {
  const random = createRandom(seed);
  const pieces = [" **Refining (Action 2)**\n", "```pseudo\nx\n```\n", "  trailing  ", "\n\n", "ünïcødé ✓", "<Step_", "### Step 9", "\t"];
  return Array.from({ length: 1 + Math.floor(random() * 8) }, () => pieces[Math.floor(random() * pieces.length)]).join("");
}

describe("extendPrompt: a path's prompt is its parent's plus the new step, byte for byte", () => {
  it("renders a step in the reference framing", () => {
    const root = pseudocodeMode.buildRootPrompt(PROBLEM);
    expect(openStep(root, 1).assistant).toBe("<Step_Begin>\n### Step 1:");
    expect(extendPrompt(root, { stepNumber: 1, text: " Plan." }).assistant).toBe("<Step_Begin>\n### Step 1: Plan.<Step_End>\n\n");
  });

  it("extends the parent prompt and the request that produced the step, in every rendering", () => {
    let parent: Prompt = pseudocodeMode.buildRootPrompt(PROBLEM);
    for (let k = 1; k <= 30; k += 1) {
      const text = randomStepText(k);
      const request = pseudocodeMode.openStep(parent, k);
      const child = pseudocodeMode.extendPrompt(parent, { stepNumber: k, text });
      expect(child.assistant.startsWith(parent.assistant)).toBe(true);
      expect(child.assistant.startsWith(request.assistant + text)).toBe(true);
      expect(toRawText(child).startsWith(toRawText(request) + text)).toBe(true);
      const parentMessages = toChatMessages(request);
      const childMessages = toChatMessages(pseudocodeMode.openStep(child, k + 1));
      expect(childMessages.slice(0, -1)).toEqual(parentMessages.slice(0, -1));
      expect(childMessages.at(-1)?.content.startsWith(`${parentMessages.at(-1)?.content}${text}`)).toBe(true);
      expect(child.system).toBe(parent.system);
      expect(child.user).toBe(parent.user);
      parent = child;
    }
  });

  it("builds the same prompt from the whole path as step by step", () => {
    const root = pseudocodeMode.buildRootPrompt(PROBLEM);
    const steps = [" one", " two\n", " three"];
    const incremental = steps.reduce((p, text, i) => extendPrompt(p, { stepNumber: i + 1, text }), root);
    expect(promptForPath(pseudocodeMode, root, steps)).toEqual(incremental);
    expect(incremental.assistant).toBe(
      "<Step_Begin>\n### Step 1: one<Step_End>\n\n<Step_Begin>\n### Step 2: two\n<Step_End>\n\n<Step_Begin>\n### Step 3: three<Step_End>\n\n",
    );
  });
});

describe("cutAtStop", () => {
  it("cuts at the earliest stop string, or keeps the text", () => {
    expect(cutAtStop(` step${STEP_END}\n\nmore`, [STEP_END])).toBe(" step");
    expect(cutAtStop("a STOP b END c", ["END", "STOP"])).toBe("a ");
    expect(cutAtStop("no marker", [STEP_END])).toBe("no marker");
    expect(cutAtStop("anything", [])).toBe("anything");
  });
});

describe("fillTemplate", () => {
  it("fills {{name}} placeholders and rejects missing or unused values", () => {
    expect(fillTemplate("Q: {{question}}!", { question: "why" })).toBe("Q: why!");
    expect(() => fillTemplate("{{question}} {{other}}", { question: "x" })).toThrow(/\{\{other\}\} has no value/);
    expect(() => fillTemplate("{{question}}", { question: "x", extra: "y" })).toThrow(/does not use \{\{extra\}\}/);
  });
});
