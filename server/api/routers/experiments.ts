import { z } from "zod";
import { checkEndpoints, listModels } from "../../llm/index.ts";
import { MAX_LLM_ENDPOINTS, experimentConfigSchema } from "../../contracts/index.ts";
import { cancelExperiment, createExperiment, EXPERIMENT_STATUSES, getExperimentDetail, getNodeDetail, getTreeView, listExperiments } from "../../experiments/index.ts";
import { getRunner } from "../../engine/index.ts";
import { publicProcedure, router } from "../trpc.ts";

export const experimentsRouter = router({
  list: publicProcedure
    .input(z.object({ status: z.enum(EXPERIMENT_STATUSES).optional(), datasetId: z.string().optional() }).default({}))
    .query(({ ctx, input }) => listExperiments(ctx.prisma, input)),

  get: publicProcedure.input(z.object({ id: z.string().min(1) })).query(({ ctx, input }) => getExperimentDetail(ctx.prisma, input.id)),

  /** Creates and starts experiments; several configs (e.g. the Table 1 pair) are created together. */
  launch: publicProcedure
    .input(z.object({ configs: z.array(experimentConfigSchema).min(1).max(4) }))
    .mutation(async ({ ctx, input }) => {
      const runner = getRunner();
      const created = [];
      for (const config of input.configs) created.push(await createExperiment(ctx.prisma, config));
      for (const experiment of created) runner.start(experiment.id);
      return created;
    }),

  cancel: publicProcedure.input(z.object({ id: z.string().min(1) })).mutation(({ ctx, input }) => cancelExperiment(ctx.prisma, input.id)),

  resume: publicProcedure.input(z.object({ id: z.string().min(1) })).mutation(({ input }) => getRunner().resume(input.id)),

  tree: publicProcedure.input(z.object({ treeId: z.string().min(1) })).query(({ ctx, input }) => getTreeView(ctx.prisma, input.treeId)),

  node: publicProcedure.input(z.object({ nodeId: z.string().min(1) })).query(({ ctx, input }) => getNodeDetail(ctx.prisma, input.nodeId)),

  /** "Test connection": the models an OpenAI-compatible server serves. */
  listModels: publicProcedure
    .input(z.object({ baseUrl: z.url({ protocol: /^https?$/ }) }))
    .mutation(({ input }) => listModels(input.baseUrl, { timeoutMs: 5_000 })),

  /** "Test connection" with several servers: does each answer and list the model? */
  checkEndpoints: publicProcedure
    .input(z.object({ baseUrls: z.array(z.url({ protocol: /^https?$/ })).min(1).max(MAX_LLM_ENDPOINTS), model: z.string().optional() }))
    .mutation(({ input }) => checkEndpoints(input.baseUrls, input.model?.trim() || undefined)),
});
