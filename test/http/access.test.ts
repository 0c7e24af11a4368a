import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertSafeBinding, enforceToken } from "../../server/http/access.ts";
import { rejectCrossSite } from "../../server/http/same-origin.ts";

describe("binding", () => {
  it("loopback needs no token; any other address does", () => {
    expect(() => assertSafeBinding("127.0.0.1", undefined)).not.toThrow();
    expect(() => assertSafeBinding("::1", undefined)).not.toThrow();
    expect(() => assertSafeBinding("0.0.0.0", undefined)).toThrow(/O1C_TOKEN/);
    expect(() => assertSafeBinding("0.0.0.0", "s3cret")).not.toThrow();
  });
});

describe("access token", () => {
  const token = "correct-horse-battery-staple";
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (enforceToken(req, res, token)) res.end(req.method === "POST" ? `ok ${req.url}` : "ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("refuses requests without the token", async () => {
    expect((await fetch(`${base}/datasets`)).status).toBe(401);
    expect((await fetch(`${base}/datasets`, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
  });

  it("accepts a bearer token or the cookie that ?token= sets", async () => {
    expect((await fetch(`${base}/x`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const redirect = await fetch(`${base}/datasets?token=${token}&page=2`, { redirect: "manual" });
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get("location")).toBe("/datasets?page=2");
    const cookie = redirect.headers.get("set-cookie")!.split(";")[0]!;
    expect((await fetch(`${base}/datasets`, { headers: { cookie } })).status).toBe(200);
  });

  it("lets a reward POST carry ?token= (its RL client sends no header), without the token in the URL the app sees", async () => {
    const post = (path: string) => fetch(`${base}${path}`, { method: "POST", body: "{}", redirect: "manual" });
    const ok = await post(`/api/reward/openrlhf?token=${token}&x=1`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("ok /api/reward/openrlhf?x=1");
    expect((await post("/api/reward/openrlhf?token=wrong")).status).toBe(401);
    expect((await post("/api/reward/openrlhf")).status).toBe(401);
    // Elsewhere a POST's URL token is not taken: it only sets the cookie, as for a page.
    expect((await post(`/api/trpc/experiments.launch?token=${token}`)).status).toBe(303);
  });
});

describe("cross-site requests", () => {
  const post = (headers: Record<string, string>) => new Request("http://127.0.0.1:3000/api/trpc/x", { method: "POST", headers });

  it("refuses a browser's cross-site POST", () => {
    expect(rejectCrossSite(post({ "sec-fetch-site": "cross-site", host: "127.0.0.1:3000" }))?.status).toBe(403);
    expect(rejectCrossSite(post({ origin: "https://evil.example", host: "127.0.0.1:3000" }))?.status).toBe(403);
  });

  it("lets same-origin browser requests, non-browser clients and reads through", () => {
    expect(rejectCrossSite(post({ "sec-fetch-site": "same-origin", origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" }))).toBeNull();
    expect(rejectCrossSite(post({}))).toBeNull();
    expect(rejectCrossSite(new Request("http://127.0.0.1:3000/api/trpc/x", { headers: { "sec-fetch-site": "cross-site" } }))).toBeNull();
  });
});
