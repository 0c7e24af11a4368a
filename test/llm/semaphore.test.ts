import { describe, expect, it } from "vitest";
import { createSemaphore, sharedLlmSemaphore } from "../../server/llm/semaphore.ts";

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("semaphore", () => {
  it("grants up to its limit and queues the rest in order", async () => {
    const semaphore = createSemaphore(2);
    const order: number[] = [];
    const releases = await Promise.all([semaphore.acquire(), semaphore.acquire()]);
    const waiting = [3, 4].map(async (n) => {
      const release = await semaphore.acquire();
      order.push(n);
      return release;
    });
    await tick();
    expect([semaphore.active, semaphore.waiting]).toEqual([2, 2]);
    releases[0]?.();
    releases[0]?.(); // releasing twice frees one permit only
    await tick();
    expect(order).toEqual([3]);
    expect([semaphore.active, semaphore.waiting]).toEqual([2, 1]);
    releases[1]?.();
    const granted = await Promise.all(waiting);
    expect(order).toEqual([3, 4]);
    for (const release of granted) release();
    expect(semaphore.active).toBe(0);
  });

  it("never runs more tasks at once than its limit", async () => {
    const semaphore = createSemaphore(3);
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        semaphore.run(async () => {
          running += 1;
          peak = Math.max(peak, running);
          await tick();
          running -= 1;
        }),
      ),
    );
    expect(peak).toBe(3);
  });

  it("drops a waiter whose signal aborts, and releases when a task throws", async () => {
    const semaphore = createSemaphore(1);
    const release = await semaphore.acquire();
    const controller = new AbortController();
    const waiter = semaphore.acquire(controller.signal);
    controller.abort(new Error("gone"));
    await expect(waiter).rejects.toThrow("gone");
    expect(semaphore.waiting).toBe(0);
    release();
    await expect(semaphore.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(semaphore.active).toBe(0);
  });

  it("serves waiters lowest priority first, in arrival order among equals, and drops an aborted one from its place", async () => {
    const semaphore = createSemaphore(1);
    const held = await semaphore.acquire();
    const order: string[] = [];
    const controller = new AbortController();
    const waiters = ([["a", 5], ["b", 1], ["c", 3], ["d", 1], ["e", 0], ["f", 3]] as const).map(async ([name, priority]) => {
      const release = await semaphore.acquire(name === "c" ? controller.signal : undefined, priority);
      order.push(name);
      release();
    });
    const aborted = waiters[2]!.catch((error: Error) => error.message);
    controller.abort(new Error("c left"));
    await expect(aborted).resolves.toBe("c left");
    expect(semaphore.waiting).toBe(5);
    held();
    await Promise.allSettled(waiters);
    expect(order).toEqual(["e", "b", "d", "f", "a"]);
    // A waiter given no priority counts as 0: it goes before a waiter of priority 1 that came first.
    const first = await semaphore.acquire();
    const later = [semaphore.run(async () => order.push("p1"), undefined, 1), semaphore.run(async () => order.push("none"))];
    first();
    await Promise.all(later);
    expect(order.slice(5)).toEqual(["none", "p1"]);
  });

  it("has one process-wide instance of 64 permits", () => {
    expect(sharedLlmSemaphore()).toBe(sharedLlmSemaphore());
    expect(sharedLlmSemaphore().limit).toBe(64);
    expect(() => createSemaphore(0)).toThrow(/positive integer/);
  });
});
