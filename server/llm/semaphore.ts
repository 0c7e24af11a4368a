// Counting semaphore whose waiters are served by priority (lowest first), in arrival order among equals. One shared
// instance caps the LLM requests in flight across every tree of the process, so a hundred concurrent trees cannot
// flood a vLLM server; tests make their own instances. The engine gives a tree's requests the number of requests the
// tree has made (run-tree.ts): while more trees wait than there are permits, those that have done least go first.
import { ValidationError } from "../errors.ts";

export type Release = () => void;

export interface Semaphore {
  readonly limit: number;
  readonly active: number;
  readonly waiting: number;
  /** Waits for a permit (before waiters of a higher `priority`, default 0); rejects with the signal's reason if it aborts while waiting. */
  acquire(signal?: AbortSignal, priority?: number): Promise<Release>;
  /** Holds a permit while `task` runs. */
  run<T>(task: () => Promise<T>, signal?: AbortSignal, priority?: number): Promise<T>;
}

export const DEFAULT_IN_FLIGHT_LIMIT = 64;

export function createSemaphore(limit: number): Semaphore {
  if (!Number.isInteger(limit) || limit < 1) throw new ValidationError("must be a positive integer", "in-flight limit");
  let active = 0;
  /** Sorted by priority, then arrival. */
  const queue: Array<{ priority: number; grant: (release: Release) => void }> = [];

  function issuePermit(): Release {
    active += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      active -= 1;
      const next = queue.shift();
      if (next) next.grant(issuePermit());
    };
  }

  function acquire(signal?: AbortSignal, priority = 0): Promise<Release> {
    signal?.throwIfAborted();
    if (active < limit && queue.length === 0) return Promise.resolve(issuePermit());
    return new Promise<Release>((resolve, reject) => {
      const waiter = {
        priority,
        grant: (release: Release) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(release);
        },
      };
      const onAbort = () => {
        const at = queue.indexOf(waiter);
        if (at >= 0) queue.splice(at, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      queue.splice(insertionIndex(queue, priority), 0, waiter);
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
    async run(task, signal, priority) {
      const release = await acquire(signal, priority);
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}

/** After every waiter of the same or a lower priority (binary search: the queue can hold hundreds of trees' requests). */
function insertionIndex(queue: readonly { priority: number }[], priority: number): number {
  let low = 0;
  let high = queue.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (queue[mid]!.priority <= priority) low = mid + 1;
    else high = mid;
  }
  return low;
}

let shared: Semaphore | undefined;

/** The process-wide LLM in-flight limiter (64 permits), created on first use. */
export function sharedLlmSemaphore(): Semaphore {
  shared ??= createSemaphore(DEFAULT_IN_FLIGHT_LIMIT);
  return shared;
}
