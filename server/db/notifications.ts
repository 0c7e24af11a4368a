// LISTEN on one channel over a dedicated connection (a pooled one would be handed to other queries), reconnecting
// when the connection drops. Works the same on a PostgreSQL server and on embedded PGlite (whose socket server routes
// notifications to listening connections: pglite-socket-fix.ts).
import pg from "pg";
import { poolConfigFromUrl } from "./database-url.ts";

export interface ChannelHandlers {
  onNotification(payload: string): void;
  /**
   * The LISTEN is in place: on the first connect and after every reconnect. Notifications sent while the connection
   * was down are lost, so a subscriber re-reads whatever it tracks here.
   */
  onListening(): void;
}

export interface ChannelListener {
  /** True while LISTEN is in place on a live connection (notifications arrive); false while connecting or after a drop. */
  readonly listening: boolean;
  close(): Promise<void>;
}

const RETRY_MS = 1000;

export function listenToChannel(url: string, channel: string, handlers: ChannelHandlers): ChannelListener {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`listenToChannel: channel "${channel}" must be a lower-case SQL identifier`);
  let client: pg.Client | null = null;
  let listening = false;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;

  const scheduleRetry = () => {
    listening = false;
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = null;
      void connect();
    }, RETRY_MS);
    retry.unref();
  };

  async function connect() {
    const next = new pg.Client({ ...poolConfigFromUrl(url), keepAlive: true, keepAliveInitialDelayMillis: 10_000, application_name: `o1c listen ${channel}` });
    client = next;
    next.on("notification", (message) => {
      if (message.channel === channel) handlers.onNotification(message.payload ?? "");
    });
    next.on("error", () => {
      if (client === next) scheduleRetry();
    });
    next.on("end", () => {
      if (client === next) scheduleRetry();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
    } catch {
      await next.end().catch(() => {});
      if (client === next) scheduleRetry();
      return;
    }
    if (closed || client !== next) {
      await next.end().catch(() => {});
      return;
    }
    listening = true;
    handlers.onListening();
  }

  void connect();
  return {
    get listening() {
      return listening;
    },
    async close() {
      closed = true;
      listening = false;
      if (retry) clearTimeout(retry);
      const current = client;
      client = null;
      await current?.end().catch(() => {});
    },
  };
}
