// The evaluation room's door: Pass@1, ASPR, pass@k and the metric shapes experiments store.
export * from "./metrics.ts";
export * from "./experiment-metrics.ts";
export * from "./budget-curve.ts";
