// The annotation room's door: what other rooms, app/ and components/ may import from it.
export * from "./agreement.ts";
export * from "./annotation-service.ts";
export * from "./pair-detail.ts";
export * from "./pair-key.ts";
export * from "./pair-queue.ts";
