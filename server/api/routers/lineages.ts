import { z } from "zod";
import {
  attachExperiment,
  createLineage,
  detachExperiment,
  getExperimentLineage,
  getLineage,
  listAttachableExperiments,
  listLineages,
} from "../../lineage/index.ts";
import { publicProcedure, router } from "../trpc.ts";

// Inputs are typed loosely on purpose: the service validates them and names the field in its errors, the same for
// the CLI and the dashboard.
export const lineagesRouter = router({
  list: publicProcedure.query(({ ctx }) => listLineages(ctx.prisma)),

  get: publicProcedure.input(z.object({ id: z.string().min(1) })).query(({ ctx, input }) => getLineage(ctx.prisma, input.id)),

  create: publicProcedure
    .input(z.object({ name: z.string(), description: z.string().optional() }))
    .mutation(({ ctx, input }) => createLineage(ctx.prisma, input)),

  /** Makes an existing experiment iteration k of the lineage. */
  attach: publicProcedure
    .input(z.object({ lineageId: z.string().min(1), experimentId: z.string().min(1), iteration: z.number(), trainedOn: z.string().optional() }))
    .mutation(({ ctx, input }) => attachExperiment(ctx.prisma, input)),

  detach: publicProcedure.input(z.object({ experimentId: z.string().min(1) })).mutation(({ ctx, input }) => detachExperiment(ctx.prisma, input.experimentId)),

  /** "Iteration k of lineage L" for the experiment page; null when the experiment is in no lineage. */
  ofExperiment: publicProcedure.input(z.object({ experimentId: z.string().min(1) })).query(({ ctx, input }) => getExperimentLineage(ctx.prisma, input.experimentId)),

  /** Experiments in no lineage, for the lineage page's "attach an experiment". */
  attachable: publicProcedure.query(({ ctx }) => listAttachableExperiments(ctx.prisma)),
});
