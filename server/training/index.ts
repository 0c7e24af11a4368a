// The training room: training jobs on existing engines (TRL through a command, Ray's Jobs API), the recipes shipped
// with the app, and how jobs are run, followed after a restart and cancelled.
export { type TrainingBackend, type TrainingExit } from "./backend.ts";
export { createCommandBackend, groupRuns } from "./command-backend.ts";
export { createRayBackend, submissionIdFor, type RayBackendOptions } from "./ray-backend.ts";
export { renderCommand } from "./command-template.ts";
export { describeInputFile, type TrainingInput } from "./input-files.ts";
export { RECIPES, RECIPES_DIR, expandLoopRecipes, type Recipe, type RecipeId } from "./recipes.ts";
export { cancelTrainingJob, createTrainingJob, getTrainingJob, listTrainingJobs, type TrainingJobRow } from "./training-job-service.ts";
export { runTrainingJob } from "./run-training-job.ts";
export { LOG_TAIL_MAX_CHARS } from "./log-tail.ts";
