// Makes pglite-socket (pinned 0.2.17) safe for several client connections at once.
//
// PGlite is one Postgres session. pglite-socket multiplexes client connections onto it through a queue that keeps
// one client's messages together only inside an explicit transaction. The extended query protocol (which `pg` and
// Prisma use for every parameterised query) sends Parse / Bind / Describe / Execute and then Sync as separate
// messages; when two clients' messages interleave, one client's Bind meets the other's Parse ("bind message supplies
// 2 parameters, but prepared statement "" requires 3"). This patch extends the queue's affinity rule: from a client's
// first extended-protocol message until its Sync, only that client's messages are served.
//
// It replaces the queue's processQueue with the same loop plus that rule; it relies on the queue's field names in
// this exact version (checked at start-up), which is why the dependency is pinned.
import type { PGLiteSocketServer } from "@electric-sql/pglite-socket";

interface QueuedQuery {
  handlerId: number;
  message: Uint8Array;
  onData(data: Uint8Array): void;
  resolve(bytes: number): void;
  reject(error: Error): void;
}

interface QueryQueue {
  queue: QueuedQuery[];
  processing: boolean;
  lastHandlerId: number | null;
  db: { isInTransaction(): boolean; runExclusive<T>(fn: () => Promise<T>): Promise<T>; execProtocolRawStream(m: Uint8Array, o: { onRawData(d: Uint8Array): void }): Promise<unknown> };
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

// Extended-protocol messages that open (or continue) a group ending at Sync: Parse, Bind, Describe, Execute, Close, Flush.
const GROUP_MESSAGES = new Set(["P", "B", "D", "E", "C", "H"].map((c) => c.charCodeAt(0)));
const SYNC = "S".charCodeAt(0);

export function makeQueueGroupSafe(server: PGLiteSocketServer): void {
  const found = (server as unknown as { queryQueue?: QueryQueue }).queryQueue;
  if (!found || !Array.isArray(found.queue) || typeof found.processQueue !== "function" || typeof found.clearQueueForHandler !== "function") {
    throw new Error("pglite-socket internals changed: re-check server/db/pglite-socket-fix.ts against the installed version");
  }
  const queue = found;
  let groupOwner: number | null = null;

  const clearQueueForHandler = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId: number) => {
    if (groupOwner === handlerId) groupOwner = null; // the client went away mid-group
    clearQueueForHandler(handlerId);
    void queue.processQueue();
  };

  /** The next query to serve, or null to wait for the client that holds the session (group or transaction). */
  function takeNext(): QueuedQuery | null {
    const owner = groupOwner ?? (queue.db.isInTransaction() ? queue.lastHandlerId : null);
    if (owner === null) return queue.queue.shift() ?? null;
    const index = queue.queue.findIndex((q) => q.handlerId === owner);
    return index === -1 ? null : queue.queue.splice(index, 1)[0]!;
  }

  queue.processQueue = async function processQueue() {
    if (queue.processing || queue.queue.length === 0) return;
    queue.processing = true;
    try {
      for (let query = takeNext(); query; query = takeNext()) {
        const type = query.message[0]!;
        if (GROUP_MESSAGES.has(type)) groupOwner = query.handlerId;
        let bytes = 0;
        try {
          await queue.db.runExclusive(() =>
            queue.db.execProtocolRawStream(query!.message, {
              onRawData(data) {
                bytes += data.length;
                query!.onData(data);
              },
            }),
          );
        } catch (error) {
          if (groupOwner === query.handlerId) groupOwner = null;
          query.reject(error as Error);
          continue;
        }
        if (type === SYNC && groupOwner === query.handlerId) groupOwner = null;
        queue.lastHandlerId = query.handlerId;
        query.resolve(bytes);
      }
    } finally {
      queue.processing = false;
    }
  };
}
