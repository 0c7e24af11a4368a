// One HTTP exchange over node:http(s). Not fetch: undici's fixed 300 s headers timeout would cut long vLLM generations
// that wait in a busy server's queue; here the caller's AbortSignal is the only deadline.
import http from "node:http";
import https from "node:https";

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HttpRequestInit {
  method: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** Rejects with Node's own error (ECONNRESET, ECONNREFUSED, "socket hang up", AbortError...) on transport failure. */
export function sendHttpRequest(url: URL, init: HttpRequestInit): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    const transport = url.protocol === "https:" ? https : http;
    const headers: Record<string, string> = { accept: "application/json", ...init.headers };
    if (init.body !== undefined) headers["content-length"] = String(Buffer.byteLength(init.body));
    const request = transport.request(url, { method: init.method, headers, signal: init.signal }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", reject);
      response.on("close", () => {
        if (!response.complete) reject(new ResponseCutError());
      });
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") }),
      );
    });
    request.on("error", reject);
    request.end(init.body);
  });
}

/** The connection closed after the headers but before the body ended. */
export class ResponseCutError extends Error {
  readonly code = "ECONNRESET";
  constructor() {
    super("connection closed before the response body ended");
  }
}
