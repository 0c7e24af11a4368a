// What a reasoning step does. Pseudocode mode follows the paper's Figure 4 actions; vanilla (CoT) steps "reason" until
// a "code" step; a one-shot reply (sampling mode, and vanilla@1 trees) is a single "vanilla" step.
export const ACTION_KINDS = ["structure", "refine", "code", "reason", "vanilla"] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];
