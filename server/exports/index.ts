// The exports room's door: what other rooms, app/ and components/ may import from it.
export * from "./export-options.ts";
export * from "./export-response.ts";
export * from "./stream-export.ts";
export * from "./write-jsonl.ts";
