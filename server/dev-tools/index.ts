// The dev-tools room's door: the scripted OpenAI-compatible server (the one fake LLM, over real HTTP) that the tests,
// the engine bench and `test/fixtures/serve-scripted-llm.ts` run. Never used by the app itself.
export * from "./scripted-openai-server.ts";
export * from "./scripted-prm.ts";
export * from "./scripted-problems.ts";
