// The search room's door: what other rooms, app/ and components/ may import from it.
export * from "./evaluator.ts";
export * from "./final-answer.ts";
export * from "./run-search.ts";
export * from "./search-node.ts";
export * from "./search-observer.ts";
export * from "./step-policy.ts";
export * from "./step-scorer.ts";
export * from "./reward.ts";
