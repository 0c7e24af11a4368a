// The http room's door: what other rooms, app/ and components/ may import from it.
export * from "./access.ts";
export * from "./same-origin.ts";
export * from "./serve-process.ts";
export * from "./error-response.ts";
export * from "./loopback-transfer.ts";
