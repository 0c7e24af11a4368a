import { z } from "zod";
import { getProblem, listDatasets, listProblems } from "../../datasets/index.ts";
import { publicProcedure, router } from "../trpc.ts";

export const datasetsRouter = router({
  list: publicProcedure.query(({ ctx }) => listDatasets(ctx.prisma)),

  problems: publicProcedure
    .input(
      z.object({
        datasetId: z.string().min(1),
        page: z.number().int().min(1).default(1),
        pageSize: z.number().int().min(1).max(200).default(25),
        search: z.string().max(200).optional(),
      }),
    )
    .query(({ ctx, input }) => listProblems(ctx.prisma, input)),

  problem: publicProcedure.input(z.object({ id: z.string().min(1) })).query(({ ctx, input }) => getProblem(ctx.prisma, input.id)),
});
