import { annotationRouter } from "./routers/annotation.ts";
import { datasetsRouter } from "./routers/datasets.ts";
import { experimentsRouter } from "./routers/experiments.ts";
import { lineagesRouter } from "./routers/lineages.ts";
import { loopsRouter } from "./routers/loops.ts";
import { tcgRouter } from "./routers/tcg.ts";
import { router } from "./trpc.ts";

export const appRouter = router({
  annotation: annotationRouter,
  datasets: datasetsRouter,
  experiments: experimentsRouter,
  tcg: tcgRouter,
  lineages: lineagesRouter,
  loops: loopsRouter,
});

export type AppRouter = typeof appRouter;
