// The LLM transport's own deadline and cancel (server/llm/http-request.ts), against a real local HTTP server.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { HttpTimeoutError, sendHttpRequest } from "../../server/llm/http-request.ts";

let server: http.Server;
let url: URL;
beforeAll(async () => {
  // /slow sends its headers and half a body, then nothing; anything else answers at once.
  server = http.createServer((req, res) => {
    if (req.url === "/slow") {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"half":');
      return;
    }
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

it("a request Node refuses before sending rejects, and its deadline does not fire later (it used to crash the process)", async () => {
  await expect(sendHttpRequest(url, { method: "GET", headers: { authorization: "Bearer key\n" }, timeoutMs: 50 })).rejects.toThrow(/Invalid character/);
  // Past the deadline: an armed timer would now throw in a callback (an uncaught error fails the run).
  await new Promise((resolve) => setTimeout(resolve, 150));
  expect((await sendHttpRequest(url, { method: "GET", timeoutMs: 1000 })).body).toBe('{"ok":true}');
});

it("the deadline and the cancel stop a response in the middle of its body, each with its own reason", async () => {
  const slow = new URL("/slow", url);
  await expect(sendHttpRequest(slow, { method: "GET", timeoutMs: 100 })).rejects.toBeInstanceOf(HttpTimeoutError);
  const controller = new AbortController();
  const pending = sendHttpRequest(slow, { method: "GET", timeoutMs: 10_000, signal: controller.signal });
  setTimeout(() => controller.abort(new Error("cancelled by the test")), 50);
  await expect(pending).rejects.toThrow("cancelled by the test");
  const aborted = AbortSignal.abort(new Error("already gone"));
  await expect(sendHttpRequest(url, { method: "GET", signal: aborted })).rejects.toThrow("already gone");
});
