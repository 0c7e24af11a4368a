// The definitions room's door: what the UI shows beside each number (definitions.ts) and the tree explorer's wire
// format (tree-columns.ts). No zod and no imports at all, unlike server/contracts (which re-exports this door): the
// tree page imports from here, so its client chunk carries no schema library (a zod chunk of ~124 KB before).
export * from "./definitions.ts";
export * from "./tree-columns.ts";
