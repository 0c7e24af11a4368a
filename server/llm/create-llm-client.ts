// Picks the backend an experiment's `llm` config names. OpenAI-compatible servers get one client per tree (retries
// and tokens counted per problem, all sharing the process-wide in-flight limit); a GGUF model is loaded once per
// run and shared by every tree, since each load costs memory and time.
import type { LlmEndpoint } from "../runs/experiment-config.ts";
import { createLlamaCppClient, type LlamaCppClient } from "./llama-cpp-client.ts";
import type { LlmClient } from "./llm-client.ts";
import type { LlmStats } from "./llm-stats.ts";
import { createOpenAiClient } from "./openai-client.ts";

export type CountedLlmClient = LlmClient & { stats(): LlmStats };

export interface LlmFactory {
  create(endpoint: LlmEndpoint): CountedLlmClient;
  /** Frees in-process models. */
  close(): Promise<void>;
}

export function createLlmFactory(): LlmFactory {
  const local = new Map<string, LlamaCppClient>();
  return {
    create(endpoint) {
      if (endpoint.gguf) {
        let client = local.get(endpoint.gguf);
        if (!client) {
          client = createLlamaCppClient({ ggufPath: endpoint.gguf, threads: endpoint.threads });
          local.set(endpoint.gguf, client);
        }
        return client;
      }
      return createOpenAiClient({ baseUrl: endpoint.baseUrl!, model: endpoint.model!, timeoutMs: endpoint.timeoutMs, maxRetries: endpoint.maxRetries });
    },
    async close() {
      await Promise.all([...local.values()].map((c) => c.close()));
      local.clear();
    },
  };
}
