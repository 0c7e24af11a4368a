// Following an experiment's event log without polling it. Appending events NOTIFYs the channel below (a trigger on
// ExperimentEvent, prisma/migrations/…_experiment_event_notify), with the experiment id as the payload. Each process
// keeps one LISTEN connection for all its open streams; a stream reads the log only when woken for its experiment,
// so open idle streams cost the database nothing. While that connection is down (starting, or after a drop) streams
// fall back to polling, and every (re)connect wakes them all once for what they may have missed.
import { listenToChannel, type ChannelListener, type Db } from "../db/index.ts";
import { listDurableEventsAfter, type StoredEvent } from "./event-log.ts";

export const EXPERIMENT_EVENTS_CHANNEL = "o1c_experiment_events";

/** Poll interval while notifications are unavailable (the LISTEN connection is down). */
export const FALLBACK_POLL_MS = 1000;
/** The LISTEN connection stays this long after its last stream closed, so a reconnecting page finds it open. */
const LINGER_MS = 30_000;
const PAGE = 500;

type Wake = () => void;

class EventWakeups {
  private listener: ChannelListener | null = null;
  private readonly subscribers = new Map<string, Set<Wake>>();
  private linger: NodeJS.Timeout | null = null;

  constructor(private readonly url: string) {}

  get listening(): boolean {
    return this.listener?.listening ?? false;
  }

  subscribe(experimentId: string, wake: Wake): () => void {
    if (this.linger) clearTimeout(this.linger);
    this.linger = null;
    this.listener ??= listenToChannel(this.url, EXPERIMENT_EVENTS_CHANNEL, {
      onNotification: (id) => this.wake(this.subscribers.get(id)),
      onListening: () => {
        for (const wakes of this.subscribers.values()) this.wake(wakes);
      },
    });
    const wakes = this.subscribers.get(experimentId) ?? new Set<Wake>();
    wakes.add(wake);
    this.subscribers.set(experimentId, wakes);
    return () => {
      wakes.delete(wake);
      if (wakes.size === 0 && this.subscribers.get(experimentId) === wakes) this.subscribers.delete(experimentId);
      if (this.subscribers.size === 0) this.closeLater();
    };
  }

  private wake(wakes: Set<Wake> | undefined) {
    for (const wake of wakes ?? []) wake();
  }

  private closeLater() {
    if (this.linger) clearTimeout(this.linger);
    this.linger = setTimeout(() => {
      this.linger = null;
      if (this.subscribers.size > 0) return;
      const listener = this.listener;
      this.listener = null;
      void listener?.close();
    }, LINGER_MS);
    this.linger.unref();
  }
}

// One per database URL and process, cached on globalThis like the database handle (Next.js may load modules twice).
const globalCache = globalThis as unknown as { __o1cEventWakeups?: Map<string, EventWakeups> };

function wakeupsFor(url: string): EventWakeups {
  globalCache.__o1cEventWakeups ??= new Map();
  let wakeups = globalCache.__o1cEventWakeups.get(url);
  if (!wakeups) globalCache.__o1cEventWakeups.set(url, (wakeups = new EventWakeups(url)));
  return wakeups;
}

/** Whether this process's LISTEN connection for `url` is up (it opens with the first tail on that database). */
export function experimentEventsListening(url: string): boolean {
  return globalCache.__o1cEventWakeups?.get(url)?.listening ?? false;
}

export interface TailOptions {
  /** Yield `null` after this long without events, so the caller can send a keep-alive (default 15 s). */
  idleMs?: number;
  /** Poll interval while notifications are unavailable (default FALLBACK_POLL_MS). */
  fallbackPollMs?: number;
  signal: AbortSignal;
}

/**
 * The experiment's events after `afterSeq`, in order, then new ones as they are appended, until `signal` aborts.
 * Yields `null` after a wait that brought nothing (`idleMs` while notifications work, FALLBACK_POLL_MS while they do
 * not). Reads the log once per wake-up (pages of 500 until caught up); events are yielded once durable (event-log.ts).
 */
export async function* tailExperimentEvents(
  db: { prisma: Db; url: string },
  experimentId: string,
  afterSeq: number,
  options: TailOptions,
): AsyncGenerator<StoredEvent | null> {
  const wakeups = wakeupsFor(db.url);
  let dirty = true; // read once at the start
  let resolveWait: (() => void) | null = null;
  const wake = () => {
    dirty = true;
    resolveWait?.();
  };
  const unsubscribe = wakeups.subscribe(experimentId, wake);
  options.signal.addEventListener("abort", wake);
  let after = afterSeq;
  try {
    while (!options.signal.aborted) {
      if (dirty || !wakeups.listening) {
        dirty = false;
        const events = await listDurableEventsAfter(db.prisma, experimentId, after, PAGE);
        for (const event of events) {
          after = event.seq;
          yield event;
        }
        if (events.length === PAGE) {
          dirty = true; // more waiting
          continue;
        }
      }
      if (dirty) continue; // woken while reading
      const timedOut = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(true), wakeups.listening ? (options.idleMs ?? 15_000) : (options.fallbackPollMs ?? FALLBACK_POLL_MS));
        resolveWait = () => {
          clearTimeout(timer);
          resolve(false);
        };
      });
      resolveWait = null;
      if (timedOut && !dirty) yield null;
    }
  } finally {
    options.signal.removeEventListener("abort", wake);
    unsubscribe();
  }
}
