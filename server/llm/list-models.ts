// GET /v1/models, for the "test connection" button: one attempt, a short deadline, and the same typed errors.
import { toLlmError, unexpectedResponseFailure } from "./classify-failure.ts";
import { systemClock } from "./clock.ts";
import { exchangeJson } from "./json-exchange.ts";
import { resolveApiBase, routeUrl } from "./openai-base-url.ts";
import { parseModelList, type ModelInfo } from "./openai-wire.ts";

export type { ModelInfo } from "./openai-wire.ts";

export interface ListModelsOptions {
  apiKey?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export async function listModels(baseUrl: string, options: ListModelsOptions = {}): Promise<ModelInfo[]> {
  const url = routeUrl(resolveApiBase(baseUrl), "models");
  const timeoutMs = options.timeoutMs ?? 10_000;
  const exchanged = await exchangeJson({
    url,
    method: "GET",
    apiKey: options.apiKey,
    model: "",
    timeoutMs,
    nowMs: systemClock.now,
    signal: options.signal,
  });
  const context = { url: url.href, model: "", attempts: 1, timeoutMs };
  if (!exchanged.ok) throw toLlmError(exchanged.failure, context);
  const parsed = parseModelList(exchanged.json);
  if (!parsed.ok) throw toLlmError(unexpectedResponseFailure(exchanged.status, parsed.issue), context);
  return parsed.models;
}
