// The contract room's door: every config schema with its defaults, and (re-exported from server/definitions) the
// definitions the UI shows and the tree's wire format. Browser-safe (zod and server/errors.ts only), so components
// import it directly; a page that needs no schema imports server/definitions instead, which keeps zod out of its chunk.
// First: installs the field-error messages for every schema (field-messages.ts).
export * from "./field-messages.ts";
export * from "./field-path.ts";
export * from "./experiment-config.ts";
export * from "./search-config.ts";
export * from "./prm-config.ts";
export * from "./tcg-config.ts";
export * from "./lineage-config.ts";
export * from "../definitions/index.ts";
export * from "./training-config.ts";
export * from "./loop-config.ts";
export * from "./loop-stages.ts";
export * from "./search-budget.ts";
export * from "./problem-selection-summary.ts";
export * from "./delta-basis.ts";
