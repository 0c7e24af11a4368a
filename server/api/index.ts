// The api room's door: what other rooms, app/ and components/ may import from it.
export * from "./root.ts";
export * from "./trpc.ts";
