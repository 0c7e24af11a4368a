// The bench room's door: what other rooms, app/ and components/ may import from it.
export * from "./engine.ts";
export * from "./sandbox.ts";
export * from "./ui.ts";
export * from "./reward.ts";
export * from "./judging.ts";
