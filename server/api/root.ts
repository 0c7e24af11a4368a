import { datasetsRouter } from "./routers/datasets.ts";
import { experimentsRouter } from "./routers/experiments.ts";
import { router } from "./trpc.ts";

export const appRouter = router({
  datasets: datasetsRouter,
  experiments: experimentsRouter,
});

export type AppRouter = typeof appRouter;
