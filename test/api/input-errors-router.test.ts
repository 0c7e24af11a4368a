// A router's bad input answers with the field sentences of server/contracts/field-messages.ts as its message, not
// zod's JSON dump of issues: "Test connection" with a bad URL shows that message as it is (issue 15 §3).
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { appRouter } from "../../server/api/root.ts";
import { createCallerFactory } from "../../server/api/trpc.ts";
import { useTestPrisma } from "../helpers/db.ts";

describe("router input errors", () => {
  const caller = createCallerFactory(appRouter)({ prisma: useTestPrisma() });

  it("Test connection with a bad URL: BAD_REQUEST with a sentence naming the field", async () => {
    const error = await caller.experiments.listModels({ baseUrl: "localhost:8000" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect(error).toMatchObject({ code: "BAD_REQUEST", message: 'baseUrl must be an http(s) URL such as http://127.0.0.1:8000/v1 (got "localhost:8000").' });
  });

  it("a launch with 0 rollouts names configs[0].search.rollouts and its range", async () => {
    const config = { dataset: "mbpp", mode: "pseudocode" as const, llm: { baseUrl: "http://127.0.0.1:8000/v1", model: "m" }, search: { rollouts: 0 } };
    const error = await caller.experiments.launch({ configs: [config] }).catch((e: unknown) => e);
    expect((error as Error).message).toBe("configs[0].search.rollouts must be a whole number from 1 to 10000 (got 0).");
  });
});
