// Makes pglite-socket (pinned 0.2.17) safe for several client connections at once, and delivers LISTEN/NOTIFY.
//
// PGlite is one Postgres session. pglite-socket multiplexes client connections onto it through a queue that keeps
// one client's messages together only inside an explicit transaction. The extended query protocol (which `pg` and
// Prisma use for every parameterised query) sends Parse / Bind / Describe / Execute and then Sync as separate
// messages; when two clients' messages interleave, one client's Bind meets the other's Parse ("bind message supplies
// 2 parameters, but prepared statement "" requires 3"). This patch extends the queue's affinity rule: from a client's
// first extended-protocol message until its Sync, only that client's messages are served.
//
// Notifications: all clients share PGlite's one session, so a NOTIFY's NotificationResponse comes out in the byte
// stream of whichever client's query committed it, never on the connection that ran LISTEN (and PGlite's own
// `db.listen` callbacks do not see raw-protocol traffic either). The patched loop therefore notes which client ran
// `LISTEN <channel>` (simple query protocol) and copies every NotificationResponse on that channel to those clients.
// Copies go out between two queued messages, when no other client's reply is being written, so they land on a
// message boundary, where the protocol allows a notification at any time.
//
// It replaces the queue's processQueue with the same loop plus those rules; it relies on the queue's and the
// server's field names in this exact version (checked at start-up), which is why the dependency is pinned.
import type { Socket } from "node:net";
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
const SIMPLE_QUERY = "Q".charCodeAt(0);

interface SocketHandler {
  readonly handlerId: number;
  socket: Socket | null;
}

export function patchSocketServer(server: PGLiteSocketServer): void {
  const internals = server as unknown as { queryQueue?: QueryQueue; handlers?: Set<SocketHandler> };
  const found = internals.queryQueue;
  const handlers = internals.handlers;
  if (!found || !Array.isArray(found.queue) || typeof found.processQueue !== "function" || typeof found.clearQueueForHandler !== "function" || !(handlers instanceof Set)) {
    throw new Error("pglite-socket internals changed: re-check server/db/pglite-socket-fix.ts against the installed version");
  }
  const queue = found;
  let groupOwner: number | null = null;
  const listeners = new ChannelListeners();

  const clearQueueForHandler = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId: number) => {
    if (groupOwner === handlerId) groupOwner = null; // the client went away mid-group
    listeners.forget(handlerId);
    clearQueueForHandler(handlerId);
    void queue.processQueue();
  };

  /** Sends copies of a query's notifications to the other clients listening on their channel. */
  function forward(notifications: readonly Notification[], from: number) {
    for (const { channel, message } of notifications) {
      for (const handler of handlers!) {
        if (handler.handlerId === from || !listeners.has(handler.handlerId, channel)) continue;
        if (handler.socket?.writable) handler.socket.write(Buffer.from(message));
      }
    }
  }

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
        if (type === SIMPLE_QUERY) listeners.note(query.handlerId, simpleQueryText(query.message));
        let bytes = 0;
        const scanner = new NotificationScanner();
        try {
          await queue.db.runExclusive(() =>
            queue.db.execProtocolRawStream(query!.message, {
              onRawData(data) {
                bytes += data.length;
                scanner.scan(data);
                query!.onData(data);
              },
            }),
          );
        } catch (error) {
          if (groupOwner === query.handlerId) groupOwner = null;
          query.reject(error as Error);
          continue;
        }
        if (scanner.found.length > 0) forward(scanner.found, query.handlerId);
        if (type === SYNC && groupOwner === query.handlerId) groupOwner = null;
        queue.lastHandlerId = query.handlerId;
        query.resolve(bytes);
      }
    } finally {
      queue.processing = false;
    }
  };
}

/** Which client listens on which channel, from the LISTEN / UNLISTEN statements they send. */
class ChannelListeners {
  private readonly byHandler = new Map<number, Set<string>>();

  note(handlerId: number, sql: string): void {
    const listen = /^\s*LISTEN\s+("?)([A-Za-z_][A-Za-z0-9_$]*)\1\s*;?\s*$/i.exec(sql);
    if (listen) {
      const channel = listen[1] ? listen[2]! : listen[2]!.toLowerCase();
      const channels = this.byHandler.get(handlerId) ?? new Set<string>();
      channels.add(channel);
      this.byHandler.set(handlerId, channels);
      return;
    }
    const unlisten = /^\s*UNLISTEN\s+(\*|("?)([A-Za-z_][A-Za-z0-9_$]*)\2)\s*;?\s*$/i.exec(sql);
    if (!unlisten) return;
    if (unlisten[1] === "*") this.byHandler.delete(handlerId);
    else this.byHandler.get(handlerId)?.delete(unlisten[2] ? unlisten[3]! : unlisten[3]!.toLowerCase());
  }

  has(handlerId: number, channel: string): boolean {
    return this.byHandler.get(handlerId)?.has(channel) ?? false;
  }

  forget(handlerId: number): void {
    this.byHandler.delete(handlerId);
  }
}

/** The SQL text of a simple-query ('Q') message: type byte, int32 length, then a NUL-terminated string. */
function simpleQueryText(message: Uint8Array): string {
  const end = message.indexOf(0, 5);
  return Buffer.from(message.buffer, message.byteOffset + 5, (end === -1 ? message.length : end) - 5).toString("utf8");
}

interface Notification {
  channel: string;
  /** The whole NotificationResponse message, as the backend sent it. */
  message: Uint8Array;
}

const NOTIFICATION_RESPONSE = "A".charCodeAt(0);

/**
 * Picks NotificationResponse messages out of one reply's byte stream, which arrives in chunks that need not end on a
 * message boundary. Other messages are skipped by their length without copying.
 */
export class NotificationScanner {
  readonly found: Notification[] = [];
  /** A message header, or a notification, cut by the end of the previous chunk. */
  private carry: Uint8Array | null = null;
  /** Bytes of a skipped message's body still to come. */
  private skip = 0;

  scan(chunk: Uint8Array): void {
    let data = chunk;
    let pos = 0;
    if (this.carry) {
      data = Buffer.concat([this.carry, chunk]);
      this.carry = null;
    } else if (this.skip > 0) {
      pos = Math.min(this.skip, data.length);
      this.skip -= pos;
    }
    while (pos < data.length) {
      const available = data.length - pos;
      if (available < 5) {
        this.carry = data.slice(pos);
        return;
      }
      const total = 1 + ((data[pos + 1]! << 24) | (data[pos + 2]! << 16) | (data[pos + 3]! << 8) | data[pos + 4]!);
      if (data[pos] === NOTIFICATION_RESPONSE) {
        if (available < total) {
          this.carry = data.slice(pos);
          return;
        }
        const message = data.slice(pos, pos + total);
        const channelEnd = message.indexOf(0, 9); // type, length, sender pid, then the channel
        this.found.push({ channel: Buffer.from(message.buffer, message.byteOffset + 9, channelEnd - 9).toString("utf8"), message });
      } else if (available < total) {
        this.skip = total - available;
        return;
      }
      pos += total;
    }
  }
}
