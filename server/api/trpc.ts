// tRPC setup: context, the one place where service errors become tRPC error codes, and procedure builders.
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import { getPrisma, type Db } from "../db/index.ts";
import { AppError, ValidationError, errorCode } from "../errors.ts";

export interface Context {
  prisma: Db;
}

export async function createContext(): Promise<Context> {
  return { prisma: await getPrisma() };
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      data: {
        ...shape.data,
        // Field-level messages for forms: zod issues with their structured paths (["configs", 0, "search", "rollouts"]).
        zodIssues: cause instanceof ZodError ? cause.issues.map((i) => ({ path: i.path.map((p) => (typeof p === "number" ? p : String(p))), message: i.message })) : null,
        where: cause instanceof ValidationError ? (cause.where ?? null) : null,
        // A service's bad config field (e.g. a problem range the dataset does not have): its path and bare message.
        field: cause instanceof ValidationError && cause.path ? { path: cause.path, message: cause.reason } : null,
      },
    };
  },
});

/** Maps typed service errors to tRPC codes (server/errors.ts errorCode); anything else stays INTERNAL_SERVER_ERROR. */
const mapServiceErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof AppError) throw new TRPCError({ code: errorCode(cause), message: cause.message, cause });
    // A bad input: the field sentences (server/contracts/field-messages.ts) instead of zod's JSON dump of its issues.
    if (cause instanceof ZodError) throw new TRPCError({ code: "BAD_REQUEST", message: cause.issues.map((i) => i.message).join(" "), cause });
  }
  return result;
});

export const router = t.router;
export const publicProcedure = t.procedure.use(mapServiceErrors);
export const createCallerFactory = t.createCallerFactory;
