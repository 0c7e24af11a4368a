// The judging room's door: what other rooms, app/ and components/ may import from it.
export * from "./test-execution.ts";
export * from "./judging.ts";
export * from "./tree-judge.ts";
