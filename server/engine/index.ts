// The engine room's door: what other rooms, app/ and components/ may import from it.
export * from "./local-runner.ts";
export * from "./queue/tree-queue.ts";
export * from "./queue/tree-worker.ts";
export * from "./run-experiment.ts";
export * from "./run-tree.ts";
export { searchVisibleTests, showInPrompt } from "./search-tests.ts";
export * from "./runner-registry.ts";
export * from "./tree-store.ts";
