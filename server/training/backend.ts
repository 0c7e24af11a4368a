// The one small interface both training backends implement: start a job, find it again after a restart, stop it.
import type { LogTail } from "./log-tail.ts";

import type { TrainingBackendName } from "../contracts/index.ts";

export interface TrainingExit {
  ok: boolean;
  exitCode: number | null;
  /** Why it failed, in words (null on success). */
  message: string | null;
}

export interface RunningTraining {
  /** command: the process group id; ray: the submission id. Stored so a restarted server can find the job. */
  handle: string;
  /** Settles once the job has finished, failed or been stopped. */
  done: Promise<TrainingExit>;
  /** Stops the job (kills the process group / asks Ray to stop it); `done` then settles. */
  cancel(): Promise<void>;
  /**
   * This process stops following the job, which keeps running (a server shutting down; a restarted one reattaches):
   * no more polls of Ray, and `done` may never settle (so neither may a later `cancel()`: cancel from the follower).
   */
  stopFollowing(): void;
}

export interface TrainingLaunch {
  jobId: string;
  /** The rendered command line (command) or entrypoint (ray). */
  command: string;
  log: LogTail;
}

/** What a restarted process knows of a job that was running. */
export interface StoredRun {
  jobId: string;
  handle: string | null;
  host: string | null;
  log: LogTail;
}

export interface TrainingBackend {
  readonly name: TrainingBackendName;
  start(launch: TrainingLaunch): Promise<RunningTraining>;
  /** The job again after a restart, or why it cannot be followed any more (then the job is marked failed). */
  reattach(run: StoredRun): Promise<RunningTraining | { lost: string }>;
}
