// Pseudocode reasoning, version 1: the O1-CODER reference prompt (Figure 4 actions), plus a format section that tells
// the model how steps are framed, since the search cuts steps at <Step_End>.
import type { PromptTemplate } from "./prompt-template.ts";

export const pseudocodeV1: PromptTemplate = {
  id: "pseudocode@1",
  system: null,
  user: `Please refer to the given task description and provide a thought process in the form of step-by-step pseudocode refinement.

A curious user has approached you with a programming question. You should give step-by-step solutions to the user's questions. For each step you can choose one of the following three actions

<Action 1> Defining algorithm Structures Using pseudocode
**Description:**
Outline the core functions and overall structure of the solution without getting into implementation details. Define inputs, outputs, and the main tasks each function will perform.

<Action 2> Refine part of the pseudocode
**Description:**
Add more details to the pseudocode, specifying the exact steps, logic, and operations each function will carry out. This prepares the pseudocode for actual coding.

<Action 3> Generate python code from the pseudocode
**Description:**
Translate the refined pseudocode into executable Python code, making sure to handle inputs, outputs, and ensure correctness in the implementation.

**Note:**
- You can choose one of the three actions for each step.
- Provide a detailed explanation of the reasoning behind each step.

**Format:**
- Write one step at a time. Each step starts with \`<Step_Begin>\` and \`### Step k:\` (k = 1, 2, ...), names its action in the title, e.g. \`**Defining the structure (Action 1)**\`, and ends with \`<Step_End>\`.
- Write pseudocode in a \`\`\`pseudo block. The Action 3 step gives the complete solution in one \`\`\`python block; the solution ends there.

### Question
{{question}}`,
};
