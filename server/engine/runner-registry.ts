// Where route handlers find the process's experiment runner. Bundled route modules are separate instances from the
// ones the `serve` command loaded, but globalThis is shared, so the runner lives there.
import { ConflictError } from "../errors.ts";

export interface ExperimentRunner {
  /** Starts a queued experiment in the background. */
  start(experimentId: string): void;
  /** Puts a cancelled, failed or interrupted experiment back in the queue and starts it; finished trees are kept. */
  resume(experimentId: string): Promise<void>;
  running(): string[];
  /**
   * Validates a Test Case Generator config and creates its run (a bad config throws ValidationError / NotFoundError
   * and writes nothing), then executes it in the background; returns as soon as the run exists.
   */
  startTcg(input: unknown): Promise<{ runId: string }>;
  close(): Promise<void>;
}

const registry = globalThis as unknown as { __o1cRunner?: ExperimentRunner };

export function registerRunner(runner: ExperimentRunner | undefined) {
  registry.__o1cRunner = runner;
}

export function getRunner(): ExperimentRunner {
  if (!registry.__o1cRunner) throw new ConflictError("this server process runs no experiments (start it with `o1c serve`)");
  return registry.__o1cRunner;
}
