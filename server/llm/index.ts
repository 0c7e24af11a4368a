// The llm room's door: what other rooms, app/ and components/ may import from it.
export * from "./backoff.ts";
export * from "./check-endpoints.ts";
export * from "./classify-failure.ts";
export * from "./clock.ts";
export * from "./create-llm-client.ts";
export * from "./json-exchange.ts";
export * from "./list-models.ts";
export * from "./llama-cpp-client.ts";
export * from "./llm-client.ts";
export * from "./llm-errors.ts";
export * from "./openai-client.ts";
export * from "./semaphore.ts";
export * from "./post-json-with-retries.ts";
