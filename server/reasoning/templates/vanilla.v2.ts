// Vanilla, version 2: the paper's chain-of-thought baseline (Table 1 "vanilla"), reasoning step by step in natural
// language under the same MCTS and the same step framing as pseudocode mode, ending with a python code block.
// (vanilla@1, the one-shot reply, is now the `sampling` baseline's template.)
import type { PromptTemplate } from "./prompt-template.ts";

export const vanillaV2: PromptTemplate = {
  id: "vanilla@2",
  system: null,
  user: `Please refer to the given task description and provide a thought process in the form of step-by-step reasoning.

A curious user has approached you with a programming question. You should give step-by-step solutions to the user's questions. In each step, reason in natural language about one part of the problem: what is asked, the approach, edge cases, or how to implement a part of it. When your reasoning is complete, the last step gives the complete solution in Python.

**Note:**
- Provide a detailed explanation of the reasoning behind each step.

**Format:**
- Write one step at a time. Each step starts with \`<Step_Begin>\` and \`### Step k:\` (k = 1, 2, ...), gives the step a short bold title, and ends with \`<Step_End>\`.
- The last step gives the complete solution in one \`\`\`python block; the solution ends there.

### Question
{{question}}`,
};
