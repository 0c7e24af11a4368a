// Time as an injected edge, so retry tests run without waiting.
import { setTimeout as delay } from "node:timers/promises";

export interface Clock {
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  async sleep(ms, signal) {
    try {
      await delay(ms, undefined, { signal });
    } catch (error) {
      // timers/promises rejects with a generic AbortError; callers expect the reason they aborted with.
      if (signal?.aborted) throw signal.reason;
      throw error;
    }
  },
};
