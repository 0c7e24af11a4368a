import { z } from "zod";
// The loop's service and runner registry only: the runner itself (LLM clients, sandbox) stays out of Next's bundle.
import { cancelLoop, createOrFindLoop, getLoopDetail, listLoops } from "../../loop/index.ts";
import { getLoopRunner } from "../../loop/index.ts";
import { publicProcedure, router } from "../trpc.ts";

// The config is typed loosely on purpose: the loop service validates it with loop.json's schema and names the field.
export const loopsRouter = router({
  list: publicProcedure.query(({ ctx }) => listLoops(ctx.prisma)),

  get: publicProcedure.input(z.object({ id: z.string().min(1) })).query(({ ctx, input }) => getLoopDetail(ctx.prisma, input.id)),

  /** Creates the loop (or finds it by name with the same plan) and starts it in the `o1c serve` process. */
  start: publicProcedure.input(z.object({ config: z.unknown() })).mutation(async ({ ctx, input }) => {
    const runner = getLoopRunner();
    const loop = await createOrFindLoop(ctx.prisma, input.config, "loop form");
    runner.start(loop.id);
    return loop;
  }),

  /** Resumes a cancelled, failed or interrupted loop at the stage it was in. */
  resume: publicProcedure.input(z.object({ id: z.string().min(1) })).mutation(({ input }) => {
    getLoopRunner().start(input.id);
    return { id: input.id };
  }),

  cancel: publicProcedure.input(z.object({ id: z.string().min(1) })).mutation(({ ctx, input }) => cancelLoop(ctx.prisma, input.id)),
});
