// Picks the backend an experiment's `llm` config names. OpenAI-compatible servers get one client per tree (retries
// and tokens counted per problem, all sharing the process-wide in-flight limit); a GGUF model is loaded once per
// run and shared by every tree, since each load costs memory and time. Several servers (`baseUrls`) get one pooled
// client per tree over a routing pool shared by all trees of the process (loads and health are seen across trees).
import type { LlmEndpoint } from "../contracts/index.ts";
import { createEndpointPool, type EndpointPool } from "./endpoint-pool.ts";
import { createLlamaCppClient, type LlamaCppClient } from "./llama-cpp-client.ts";
import type { LlmClient } from "./llm-client.ts";
import type { LlmStats } from "./llm-stats.ts";
import { createOpenAiClient } from "./openai-client.ts";
import { createPooledClient, type EndpointStats } from "./pooled-client.ts";

export type CountedLlmClient = LlmClient & { stats(): LlmStats };

export interface LlmFactory {
  create(endpoint: LlmEndpoint): CountedLlmClient;
  /** Process-wide traffic of each multi-endpoint pool so far (e.g. for a run summary); empty without `baseUrls`. */
  endpointSpread(): Array<{ model: string; endpoints: Array<EndpointStats & { cooldowns: number }> }>;
  /** Frees in-process models. */
  close(): Promise<void>;
}

export function createLlmFactory(): LlmFactory {
  const local = new Map<string, LlamaCppClient>();
  const pools = new Map<string, EndpointPool>();

  function poolFor(endpoint: LlmEndpoint & { baseUrls: string[] }): EndpointPool {
    const key = JSON.stringify([endpoint.model, endpoint.timeoutMs, endpoint.baseUrls]);
    let pool = pools.get(key);
    if (!pool) {
      pool = createEndpointPool({ baseUrls: endpoint.baseUrls, model: endpoint.model!, timeoutMs: endpoint.timeoutMs });
      pools.set(key, pool);
    }
    return pool;
  }

  return {
    create(endpoint) {
      if (endpoint.baseUrls) return createPooledClient({ pool: poolFor({ ...endpoint, baseUrls: endpoint.baseUrls }), maxRetries: endpoint.maxRetries });
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
    endpointSpread() {
      return [...pools.values()].map((pool) => ({
        model: pool.model,
        endpoints: pool.endpoints.map((e, i) => ({
          url: e.url,
          requests: e.requests,
          failures: e.failures,
          inFlightMax: e.inFlightMax,
          healthy: pool.isHealthy(i),
          cooldowns: e.cooldowns,
        })),
      }));
    },
    async close() {
      await Promise.all([...local.values()].map((c) => c.close()));
      local.clear();
    },
  };
}
