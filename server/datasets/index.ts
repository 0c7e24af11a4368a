// The datasets room's door: what other rooms, app/ and components/ may import from it.
export * from "./dataset-service.ts";
export * from "./import-dataset.ts";
export * from "./python-source.ts";
export * from "./starter/index.ts";
export * from "./problem-selection.ts";
