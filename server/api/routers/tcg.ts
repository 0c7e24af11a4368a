import { z } from "zod";
import { getRunner } from "../../engine/index.ts";
import { tcgConfigSchema } from "../../contracts/index.ts";
import { getTcgProblem, getTcgRun, listTcgRuns } from "../../tcg/index.ts";
import { publicProcedure, router } from "../trpc.ts";

export const tcgRouter = router({
  list: publicProcedure.input(z.object({ datasetId: z.string().min(1).optional() }).default({})).query(({ ctx, input }) => listTcgRuns(ctx.prisma, input)),

  get: publicProcedure.input(z.object({ id: z.string().min(1) })).query(({ ctx, input }) => getTcgRun(ctx.prisma, input.id)),

  /** Creates a test generation run and executes it in the background (the `o1c serve` runner's sandbox and LLMs). */
  start: publicProcedure.input(tcgConfigSchema).mutation(({ input }) => getRunner().startTcg(input)),

  /** One problem of a run: prompt, completion, generated tests with validity and reasons, dropped cases. */
  problem: publicProcedure
    .input(z.object({ runId: z.string().min(1), problemId: z.string().min(1) }))
    .query(({ ctx, input }) => getTcgProblem(ctx.prisma, input)),
});
