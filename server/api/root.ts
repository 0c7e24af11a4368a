import { datasetsRouter } from "./routers/datasets.ts";
import { router } from "./trpc.ts";

export const appRouter = router({
  datasets: datasetsRouter,
});

export type AppRouter = typeof appRouter;
