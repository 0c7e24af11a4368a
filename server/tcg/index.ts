// The tcg room's door: what other rooms, app/ and components/ may import from it.
export * from "./run-tcg.ts";
export * from "./tcg-agreement.ts";
export * from "./tcg-preference-pairs.ts";
export * from "./tcg-service.ts";
export * from "./assert-case.ts";
export * from "./tcg-sft.ts";
