// What a reasoning step does. Pseudocode mode follows the paper's Figure 4 actions; vanilla has a single answer step.
export const ACTION_KINDS = ["structure", "refine", "code", "vanilla"] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];
