// Where route handlers find the process's loop runner (loop-runner.ts, made by `o1c serve` outside Next's bundle):
// bundled route modules are separate instances, but globalThis is shared. Importing this file bundles nothing else.
import { ConflictError } from "../errors.ts";

export interface LoopRunner {
  /** Runs (or resumes) the loop in the background (after this process's previous run of it has ended). */
  start(loopId: string): void;
  /** Loops left RUNNING by a process of this host that is gone, or released by a stopped one: started again. */
  resumeInterrupted(): Promise<string[]>;
  running(): string[];
  close(): Promise<void>;
}

const registry = globalThis as unknown as { __o1cLoopRunner?: LoopRunner };

export function registerLoopRunner(runner: LoopRunner | undefined) {
  registry.__o1cLoopRunner = runner;
}

export function getLoopRunner(): LoopRunner {
  if (!registry.__o1cLoopRunner) throw new ConflictError("this server process runs no loops (start it with `o1c serve`)");
  return registry.__o1cLoopRunner;
}
