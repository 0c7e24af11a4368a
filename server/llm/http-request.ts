// One HTTP exchange over node:http(s). Not fetch: undici's fixed 300 s headers timeout would cut long vLLM generations
// that wait in a busy server's queue; here the exchange's own deadline and the caller's AbortSignal are the only ones.
// This is the engine's hottest transport (`o1c bench engine`: one request per expansion), so it stays lean: the
// deadline and the cancel destroy the request directly, and the body is decoded as it arrives (a URL, an
// AbortController and the signal option per request cost about 1.4 times the CPU per request in a micro-benchmark).
import http from "node:http";
import https from "node:https";
import { urlToHttpOptions } from "node:url";

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HttpRequestInit {
  method: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /** The exchange's deadline: past it the request is destroyed and rejects with an HttpTimeoutError. */
  timeoutMs?: number;
  /** The caller's cancel: the request is destroyed and rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Rejects with Node's own error (ECONNRESET, ECONNREFUSED, "socket hang up"...) on transport failure; once the
 * deadline passed, with an HttpTimeoutError, and once the signal aborted, with its reason (whatever error the
 * destroyed request then reports).
 */
export function sendHttpRequest(url: URL, init: HttpRequestInit): Promise<HttpResponse> {
  const { signal, timeoutMs } = init;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<HttpResponse>((resolve, reject) => {
    const transport = url.protocol === "https:" ? https : http;
    const headers: Record<string, string> = { accept: "application/json", ...init.headers };
    if (init.body !== undefined) headers["content-length"] = String(Buffer.byteLength(init.body));
    // The first reason the request was stopped for is what the caller is told, whichever error Node reports.
    let stoppedBy: { reason: unknown } | null = null;
    let request: http.ClientRequest | undefined;
    const stop = (reason: unknown) => {
      stoppedBy ??= { reason };
      request?.destroy(reason instanceof Error ? reason : new Error(String(reason)));
    };
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => stop(new HttpTimeoutError(timeoutMs)), timeoutMs);
    const onAbort = () => stop(signal!.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    const settle = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
    const fail = (error: unknown) => {
      settle();
      reject(stoppedBy ? stoppedBy.reason : error);
    };
    try {
      request = transport.request({ ...requestTarget(url), method: init.method, headers }, (response) => {
        response.setEncoding("utf8");
        let body = "";
        response.on("data", (chunk: string) => (body += chunk));
        response.on("error", fail);
        response.on("close", () => {
          if (!response.complete) fail(new ResponseCutError());
        });
        response.on("end", () => {
          settle();
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
        });
      });
    } catch (error) {
      // Node refuses some requests before sending anything (a header with a newline, e.g. in a mistyped API key):
      // the deadline and the abort listener must not outlive them.
      fail(error);
      return;
    }
    request.on("error", fail);
    request.end(init.body);
  });
}

// A client sends every request of a route to one URL object: its request options are worked out once.
const targets = new WeakMap<URL, { href: string; options: http.RequestOptions }>();

function requestTarget(url: URL): http.RequestOptions {
  const known = targets.get(url);
  if (known?.href === url.href) return known.options;
  const options = urlToHttpOptions(url);
  targets.set(url, { href: url.href, options });
  return options;
}

/** The connection closed after the headers but before the body ended. */
export class ResponseCutError extends Error {
  readonly code = "ECONNRESET";
  constructor() {
    super("connection closed before the response body ended");
  }
}

/** The exchange's deadline passed before the response ended. */
export class HttpTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
  }
}
