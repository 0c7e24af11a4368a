import http from "node:http";
import type { IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isLoopbackAddress, skipCompressionOnLoopback } from "../../server/http/loopback-transfer.ts";

describe("loopback transfer", () => {
  it("knows this machine's addresses from others", () => {
    for (const address of ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"]) expect(isLoopbackAddress(address), address).toBe(true);
    for (const address of ["10.0.0.5", "192.168.1.2", "::ffff:10.0.0.5", "fe80::1", "1270::1", "", undefined]) expect(isLoopbackAddress(address), String(address)).toBe(false);
  });

  it("keeps Accept-Encoding for a client on another machine", () => {
    const req = { socket: { remoteAddress: "192.168.1.20" }, headers: { "accept-encoding": "gzip, br" } } as unknown as IncomingMessage;
    skipCompressionOnLoopback(req);
    expect(req.headers["accept-encoding"]).toBe("gzip, br");
  });

  describe("over a real loopback connection", () => {
    let server: http.Server;
    let base: string;
    beforeAll(async () => {
      server = http.createServer((req, res) => {
        skipCompressionOnLoopback(req);
        res.end(req.headers["accept-encoding"] ?? "(none)");
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("drops the header, so the app answers uncompressed", async () => {
      const response = await fetch(base, { headers: { "accept-encoding": "gzip, deflate, br" } });
      expect(await response.text()).toBe("(none)");
    });
  });
});
