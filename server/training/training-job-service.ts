// Training jobs as rows: create (inputs hashed, command rendered and checked first: a bad template writes nothing),
// read, list and cancel. Running them is run-training-job.ts.
import os from "node:os";
import type { Db } from "../db/index.ts";
import type { Prisma } from "../db/index.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import type { TrainingBackendName } from "../contracts/index.ts";
import { renderCommand } from "./command-template.ts";
import type { TrainingInput } from "./input-files.ts";
import { RECIPES, RECIPES_DIR, type RecipeId } from "./recipes.ts";

export interface NewTrainingJob {
  recipe: RecipeId;
  backend: TrainingBackendName;
  /** The command (or Ray entrypoint) template with {placeholders}. */
  template: string;
  /** Names the template in errors, e.g. "loop.json field training.command". */
  templateField?: string;
  data: TrainingInput;
  baseModel: string;
  outputPath: string;
  initFrom?: string | null;
  iteration?: number;
  loopId?: string | null;
  attempt?: number;
}

export async function createTrainingJob(prisma: Db, input: NewTrainingJob) {
  const recipe = RECIPES[input.recipe];
  const command = renderCommand(
    input.template,
    {
      recipe: recipe.id,
      data: input.data.path,
      output: input.outputPath,
      base_model: input.baseModel,
      iteration: String(input.iteration ?? 0),
      init: input.initFrom ?? "",
      recipes_dir: RECIPES_DIR,
    },
    input.templateField,
  );
  return prisma.trainingJob.create({
    data: {
      kind: recipe.target === "policy" ? recipe.id : `${recipe.target}:${recipe.id}`,
      recipe: recipe.id,
      backend: input.backend,
      inputs: [input.data] as unknown as Prisma.InputJsonValue,
      baseModel: input.baseModel,
      initFrom: input.initFrom ?? null,
      iteration: input.iteration ?? 0,
      command,
      outputPath: input.outputPath,
      loopId: input.loopId ?? null,
      attempt: input.attempt ?? 1,
      host: os.hostname(),
    },
  });
}

export type TrainingJobRow = Awaited<ReturnType<typeof createTrainingJob>>;

export async function getTrainingJob(prisma: Db, id: string): Promise<TrainingJobRow> {
  const job = await prisma.trainingJob.findUnique({ where: { id } });
  if (!job) throw new NotFoundError(`no training job ${id}`);
  return job;
}

export async function listTrainingJobs(prisma: Db, where: { loopId?: string } = {}) {
  return prisma.trainingJob.findMany({ where, orderBy: [{ iteration: "asc" }, { createdAt: "asc" }] });
}

/** Marks the job cancelled; the process running it sees that at its next poll and stops the trainer. */
export async function cancelTrainingJob(prisma: Db, id: string): Promise<void> {
  const changed = await prisma.trainingJob.updateMany({
    where: { id, status: { in: ["QUEUED", "RUNNING"] } },
    data: { status: "CANCELLED", error: "cancelled", finishedAt: new Date() },
  });
  if (changed.count === 0) {
    const job = await getTrainingJob(prisma, id);
    throw new ConflictError(`training job ${id} is already ${job.status.toLowerCase()}`);
  }
}
