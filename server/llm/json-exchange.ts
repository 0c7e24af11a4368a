// One attempt at a JSON request with its own deadline: the success body as parsed JSON, or a classified failure.
// The caller's abort is rethrown untouched (it is a cancel, not a failure).
import { type AttemptFailure, classifyHttpFailure, classifyTransportError, malformedBodyFailure } from "./classify-failure.ts";
import { HttpTimeoutError, sendHttpRequest, type HttpResponse } from "./http-request.ts";

export interface JsonExchange {
  url: URL;
  method: "GET" | "POST";
  body?: string;
  apiKey?: string;
  /** Named in 4xx classification ("no model named ..."). */
  model: string;
  timeoutMs: number;
  nowMs: () => number;
  signal?: AbortSignal;
}

export type ExchangeResult = { ok: true; status: number; json: unknown } | { ok: false; failure: AttemptFailure };

export async function exchangeJson(exchange: JsonExchange): Promise<ExchangeResult> {
  const { signal } = exchange;
  let response: HttpResponse;
  try {
    response = await sendHttpRequest(exchange.url, {
      method: exchange.method,
      body: exchange.body,
      headers: {
        ...(exchange.body !== undefined ? { "content-type": "application/json" } : {}),
        ...(exchange.apiKey ? { authorization: `Bearer ${exchange.apiKey}` } : {}),
      },
      timeoutMs: exchange.timeoutMs,
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    return { ok: false, failure: classifyTransportError(error, error instanceof HttpTimeoutError) };
  }

  if (response.status < 200 || response.status >= 300) {
    return { ok: false, failure: classifyHttpFailure(response, exchange.model, exchange.nowMs()) };
  }
  try {
    return { ok: true, status: response.status, json: JSON.parse(response.body) as unknown };
  } catch (error) {
    return { ok: false, failure: malformedBodyFailure(response.status, error) };
  }
}
