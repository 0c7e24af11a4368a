// Counting semaphore with a FIFO queue. One shared instance caps the LLM requests in flight across every tree of the
// process, so a hundred concurrent trees cannot flood a vLLM server; tests make their own instances.
import { ValidationError } from "../errors.ts";

export type Release = () => void;

export interface Semaphore {
  readonly limit: number;
  readonly active: number;
  readonly waiting: number;
  /** Waits for a permit; rejects with the signal's reason if it aborts while waiting. */
  acquire(signal?: AbortSignal): Promise<Release>;
  /** Holds a permit while `task` runs. */
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

export const DEFAULT_IN_FLIGHT_LIMIT = 64;

export function createSemaphore(limit: number): Semaphore {
  if (!Number.isInteger(limit) || limit < 1) throw new ValidationError("must be a positive integer", "in-flight limit");
  let active = 0;
  const queue: Array<(release: Release) => void> = [];

  function issuePermit(): Release {
    active += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      active -= 1;
      const next = queue.shift();
      if (next) next(issuePermit());
    };
  }

  function acquire(signal?: AbortSignal): Promise<Release> {
    signal?.throwIfAborted();
    if (active < limit && queue.length === 0) return Promise.resolve(issuePermit());
    return new Promise<Release>((resolve, reject) => {
      const grant = (release: Release) => {
        signal?.removeEventListener("abort", onAbort);
        resolve(release);
      };
      const onAbort = () => {
        const at = queue.indexOf(grant);
        if (at >= 0) queue.splice(at, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      queue.push(grant);
    });
  }

  return {
    limit,
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
    acquire,
    async run(task, signal) {
      const release = await acquire(signal);
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}

let shared: Semaphore | undefined;

/** The process-wide LLM in-flight limiter (64 permits), created on first use. */
export function sharedLlmSemaphore(): Semaphore {
  shared ??= createSemaphore(DEFAULT_IN_FLIGHT_LIMIT);
  return shared;
}
