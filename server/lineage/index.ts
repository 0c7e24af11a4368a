// The lineage room's door: what other rooms, app/ and components/ may import from it.
export * from "./lineage-service.ts";
