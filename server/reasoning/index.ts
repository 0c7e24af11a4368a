// The reasoning room's door: what other rooms, app/ and components/ may import from it.
export * from "./llm-step-policy.ts";
export * from "./prompt.ts";
export * from "./reasoning-mode.ts";
export { extractAnyFencedCode } from "./parse-step.ts";
export { STEP_BEGIN, STEP_END } from "./step-format.ts";
