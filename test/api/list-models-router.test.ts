// "Test connection" through the tRPC API: an LLM server that cannot be reached is the upstream's failure (HTTP 502,
// BAD_GATEWAY) with the endpoint named, not an internal error of the app.
import net from "node:net";
import type { AddressInfo } from "node:net";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { describe, expect, it } from "vitest";
import { appRouter } from "../../server/api/root.ts";
import { createCallerFactory } from "../../server/api/trpc.ts";
import { useTestPrisma } from "../helpers/db.ts";

/** A port on 127.0.0.1 that nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("experiments.listModels", () => {
  const caller = createCallerFactory(appRouter)({ prisma: useTestPrisma() });

  it("answers BAD_GATEWAY (502) naming the endpoint when the LLM server is unreachable", async () => {
    const baseUrl = `http://127.0.0.1:${await closedPort()}`;
    const error = await caller.experiments.listModels({ baseUrl }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect(error).toMatchObject({ code: "BAD_GATEWAY", message: expect.stringContaining(`could not reach the LLM server at ${baseUrl}/v1/models`) });
    expect(getHTTPStatusCodeFromError(error as TRPCError)).toBe(502);
  });
});
