import { z } from "zod";
import { experimentAgreement, deleteJudgement, listExperimentJudgements, recordJudgement, VERDICTS, getPairDetail, getPairQueue, QUEUE_STATUSES } from "../../annotation/index.ts";
import { publicProcedure, router } from "../trpc.ts";

// Lengths and formats are checked by the services, whose errors name the field; zod only fixes the shapes.
const id = z.string().min(1);

export const annotationRouter = router({
  /** Sibling pairs, most informative first, with this annotator's progress. */
  queue: publicProcedure
    .input(
      z.object({
        experimentId: id,
        annotator: z.string().default(""),
        status: z.enum(QUEUE_STATUSES).default("undecided"),
        offset: z.number().int().default(0),
        limit: z.number().int().default(50),
      }),
    )
    .query(({ ctx, input }) => getPairQueue(ctx.prisma, input)),

  pair: publicProcedure
    .input(z.object({ experimentId: id, pairKey: id, annotator: z.string().default("") }))
    .query(({ ctx, input }) => getPairDetail(ctx.prisma, input)),

  /** Stores (or replaces) this annotator's judgement of a sibling pair. */
  judge: publicProcedure
    .input(
      z.object({
        experimentId: id,
        chosenNodeId: id,
        rejectedNodeId: id,
        verdict: z.enum(VERDICTS),
        annotator: z.string().default(""),
        note: z.string().nullish(),
      }),
    )
    .mutation(({ ctx, input }) => recordJudgement(ctx.prisma, input)),

  /** Undo: removes this annotator's judgement of the pair. */
  remove: publicProcedure
    .input(z.object({ experimentId: id, pairKey: id, annotator: z.string().default("") }))
    .mutation(({ ctx, input }) => deleteJudgement(ctx.prisma, input)),

  /** Inter-annotator agreement over the experiment's human judgements (definitions in server/annotation/agreement.ts). */
  agreement: publicProcedure
    .input(z.object({ experimentId: id }))
    .query(async ({ ctx, input }) => experimentAgreement(await listExperimentJudgements(ctx.prisma, input.experimentId))),
});
