// "Test connection" for several servers: each must answer GET /v1/models and list the experiment's model, since the
// pooled client sends any request to any of them.
import { listModels } from "./list-models.ts";

export interface EndpointCheck {
  url: string;
  /** Answered and (when a model was named) lists it. */
  ok: boolean;
  /** What the server lists; empty when it did not answer. */
  models: string[];
  /** Why it is not ok, in words for the form. */
  problem: string | null;
}

export async function checkEndpoints(baseUrls: readonly string[], model: string | undefined, timeoutMs = 5_000): Promise<EndpointCheck[]> {
  return Promise.all(
    baseUrls.map(async (url): Promise<EndpointCheck> => {
      try {
        const models = (await listModels(url, { timeoutMs })).map((m) => m.id);
        if (model && !models.includes(model)) {
          return { url, ok: false, models, problem: `does not serve "${model}" (it lists: ${models.join(", ") || "no models"})` };
        }
        return { url, ok: true, models, problem: null };
      } catch (error) {
        return { url, ok: false, models: [], problem: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
}
