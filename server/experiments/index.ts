// The experiments room's door: what other rooms, app/ and components/ may import from it.
export * from "./event-log.ts";
export * from "./event-tail.ts";
export * from "./experiment-completion.ts";
export * from "./experiment-service.ts";
export * from "./node-prm-view.ts";
export * from "./tree-view.ts";
