// The db room's door: what other rooms, app/ and components/ may import from it.
export * from "./client.ts";
export * from "./database-url.ts";
export * from "./generated/client.ts";
export * from "./generated/enums.ts";
export * from "./notifications.ts";
export * from "./plain-sql.ts";
export * from "./throwaway-database.ts";
