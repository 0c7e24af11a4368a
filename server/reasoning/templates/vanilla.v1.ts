// Vanilla, version 1: write the code directly, in one reply. Since vanilla@2 (step-wise CoT) this is the template of
// the `sampling` baseline; trees grown by vanilla@1 keep this id.
import type { PromptTemplate } from "./prompt-template.ts";

export const vanillaV1: PromptTemplate = {
  id: "vanilla@1",
  system: null,
  user: `You are an expert Python programmer. Solve the programming question below. Reply with the complete solution in a single \`\`\`python code block.

### Question
{{question}}`,
};
