// The contract room's door: every config schema with its defaults, and the definitions the UI shows. Browser-safe
// (zod and server/errors.ts only), so components import it directly.
// First: installs the field-error messages for every schema (field-messages.ts).
export * from "./field-messages.ts";
export * from "./field-path.ts";
export * from "./experiment-config.ts";
export * from "./search-config.ts";
export * from "./prm-config.ts";
export * from "./tcg-config.ts";
export * from "./lineage-config.ts";
export * from "./definitions.ts";
export * from "./training-config.ts";
export * from "./loop-config.ts";
export * from "./loop-stages.ts";
export * from "./search-budget.ts";
export * from "./problem-selection-summary.ts";
export * from "./delta-basis.ts";
export * from "./tree-columns.ts";
