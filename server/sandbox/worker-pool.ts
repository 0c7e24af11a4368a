// A fixed number of forkserver workers and a FIFO queue of jobs, in which a job of a background run (RunPriority) goes
// to a worker only when no other job waits; a run whose result has become needed stops being background, and its
// queued jobs then take their place in line. A worker that dies or hangs is killed (whole process group) and replaced;
// the job it held fails with WorkerLostError and nothing else is affected.
import { AppError } from "../errors.ts";
import { ForkserverWorker, WorkerLostError, type WorkerAnswer, type WorkerRequest } from "./forkserver-worker.ts";
import type { WorkerLaunch } from "./isolation.ts";
import type { RunPriority } from "./types.ts";

export class SandboxClosedError extends AppError {
  constructor() {
    super("the sandbox is closed");
  }
}

/** The run's priority was dropped (RunPriority.dropped) while its job waited in the queue. */
export class RunDroppedError extends AppError {
  constructor() {
    super("the sandbox run was dropped: nothing waits for its result");
  }
}

export interface WorkerPoolOptions {
  size: number;
  launch: WorkerLaunch;
  startTimeoutMs: number;
  /** Told about worker restarts and failed restarts (for logs). */
  onEvent?: (message: string) => void;
}

/** How a job queues: its run's priority, and who is told when a worker takes it. */
export interface JobQueueing {
  priority?: RunPriority;
  onDispatch?: () => void;
}

interface QueuedJob extends JobQueueing {
  request: WorkerRequest;
  watchdogMs: number;
  resolve: (answer: never) => void;
  reject: (error: Error) => void;
}

const RESTART_BACKOFF_MS = [0, 100, 500, 2000, 5000];

export class WorkerPool {
  private readonly idle: ForkserverWorker[] = [];
  private readonly workers = new Set<ForkserverWorker>();
  private readonly queue: QueuedJob[] = [];
  private busy = 0;
  private lastStartError: Error | null = null;
  private closing = false;
  private drained: (() => void) | null = null;
  private replaced = 0;

  constructor(private readonly options: WorkerPoolOptions) {}

  /** Starts every worker; if any fails to start, the others are stopped and the first error is thrown. */
  async start(): Promise<void> {
    const started = await Promise.allSettled(
      Array.from({ length: this.options.size }, () => ForkserverWorker.start(this.options.launch, this.options.startTimeoutMs)),
    );
    const failure = started.find((result) => result.status === "rejected");
    if (failure) {
      await Promise.all(started.map((result) => (result.status === "fulfilled" ? result.value.kill() : undefined)));
      throw (failure as PromiseRejectedResult).reason;
    }
    for (const result of started) this.adopt((result as PromiseFulfilledResult<ForkserverWorker>).value);
  }

  get size(): number {
    return this.options.size;
  }

  /** Workers replaced since start (after dying or hanging). */
  get restarts(): number {
    return this.replaced;
  }

  /** What the workers' self-test chose (see SpawnStrategy); null before start. */
  get strategy(): string | null {
    return [...this.workers][0]?.strategy ?? null;
  }

  /** Process ids of the live workers (bubblewrap, or the bare forkserver). */
  workerPids(): number[] {
    return [...this.workers].map((worker) => worker.pid);
  }

  /** Queues a forkserver job or a judge request for the next idle worker (a background one after every other). */
  exec<R extends WorkerRequest>(request: R, watchdogMs: number, { priority, onDispatch }: JobQueueing = {}): Promise<WorkerAnswer<R>> {
    if (this.closing) return Promise.reject(new SandboxClosedError());
    if (this.workers.size === 0 && this.lastStartError) return Promise.reject(this.lastStartError);
    return new Promise<WorkerAnswer<R>>((resolve, reject) => {
      this.queue.push({ request, watchdogMs, priority, onDispatch, resolve: resolve as (answer: never) => void, reject });
      this.dispatch();
    });
  }

  /** Waits for queued and running jobs, then stops the workers. */
  async close(graceMs = 2000): Promise<void> {
    if (!this.closing) {
      this.closing = true;
      if (this.queue.length > 0 || this.busy > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    }
    await Promise.all([...this.workers].map((worker) => worker.shutdown(graceMs)));
    this.workers.clear();
    this.idle.length = 0;
  }

  private adopt(worker: ForkserverWorker): void {
    this.workers.add(worker);
    worker.setExitListener((dead) => this.retire(dead));
    this.idle.push(worker);
    this.dispatch();
  }

  /** The first job that is not background, else the first job (a linear scan: cheap beside the run it dispatches). */
  private nextJob(): QueuedJob {
    const urgent = this.queue.findIndex((job) => !job.priority?.background);
    return this.queue.splice(urgent >= 0 ? urgent : 0, 1)[0]!;
  }

  private dispatch(): void {
    if (this.queue.some((job) => job.priority?.dropped)) this.rejectDropped();
    while (this.queue.length > 0 && this.idle.length > 0) {
      const worker = this.idle.pop()!;
      if (!worker.alive) continue;
      const job = this.nextJob();
      this.busy++;
      job.onDispatch?.();
      worker.exec(job.request, job.watchdogMs).then(
        (answer) => {
          this.busy--;
          job.resolve(answer as never);
          if (worker.alive && this.workers.has(worker)) this.idle.push(worker);
          this.dispatch();
        },
        (error: Error) => {
          this.busy--;
          job.reject(error);
          if (error instanceof WorkerLostError) void worker.kill().then(() => this.retire(worker));
          else if (worker.alive && this.workers.has(worker)) this.idle.push(worker);
          this.dispatch();
        },
      );
    }
    if (this.queue.length > 0 && this.workers.size === 0 && this.lastStartError) {
      // No worker left and restarts failing: fail fast rather than leave callers waiting.
      for (const job of this.queue.splice(0)) job.reject(this.lastStartError);
    }
    if (this.closing && this.busy === 0 && this.queue.length === 0) this.drained?.();
  }

  private rejectDropped(): void {
    const dropped = this.queue.filter((job) => job.priority?.dropped);
    this.queue.splice(0, this.queue.length, ...this.queue.filter((job) => !job.priority?.dropped));
    for (const job of dropped) job.reject(new RunDroppedError());
  }

  /** Forgets a dead worker and starts a replacement. */
  private retire(worker: ForkserverWorker): void {
    if (!this.workers.delete(worker)) return;
    const idleAt = this.idle.indexOf(worker);
    if (idleAt >= 0) this.idle.splice(idleAt, 1);
    if (!this.closing) void this.replace();
  }

  /** Retries with backoff until a worker starts or the pool closes. */
  private async replace(): Promise<void> {
    for (let attempt = 0; !this.closing; attempt++) {
      const delay = RESTART_BACKOFF_MS[Math.min(attempt, RESTART_BACKOFF_MS.length - 1)]!;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      if (this.closing) return;
      try {
        const worker = await ForkserverWorker.start(this.options.launch, this.options.startTimeoutMs);
        if (this.closing) {
          await worker.kill();
          return;
        }
        this.replaced++;
        this.lastStartError = null;
        this.options.onEvent?.(`sandbox worker replaced (pid ${worker.pid})`);
        this.adopt(worker);
        return;
      } catch (error) {
        this.lastStartError = error instanceof Error ? error : new Error(String(error));
        this.options.onEvent?.(`could not restart a sandbox worker: ${this.lastStartError.message}`);
        this.dispatch();
      }
    }
  }
}
