// The pg Pool behind every Prisma client, made to survive dropped connections (a PostgreSQL restart, a failover,
// pg_terminate_backend, a network cut).
//
// Why: when the connection of an interactive transaction dies, Prisma's transaction manager (client engine 6.19,
// client-engine-runtime transaction-manager.ts) first sends ROLLBACK (or COMMIT) and only calls the adapter's
// rollback()/commit() — which is what returns the pg client to the pool — if that statement succeeds. On a dead
// connection it never does, so the client stays checked out forever: each dropped transaction costs the pool one
// connection for good. A worker running a few trees loses its whole pool to two or three drops, and from then on
// every query (heartbeats, the stale-claim sweep, the trees' own writes) waits for a connection that never comes
// back, so its trees stall RUNNING with no error recorded.
//
// The fix: a client that reports a connection error while checked out is handed back to the pool at once, with the
// error, so the pool destroys it and opens a new connection for the next caller; the holder's own later release()
// becomes a no-op. That is safe because a client whose connection failed refuses every further query at once
// ("not queryable"), so its holder can't use it after the pool let it go.
import pg from "pg";

type Releasable = pg.PoolClient & { release: (error?: Error | boolean) => void };

export interface ResilientPoolOptions {
  /** Told about each connection error (an idle connection dropped, or a checked-out one reclaimed). */
  onConnectionError?: (error: Error) => void;
}

export function createResilientPool(config: pg.PoolConfig, options: ResilientPoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    // TCP keepalive, so that a peer gone without closing the socket (a cut network, a dead host) is noticed by the
    // kernel and surfaces as a connection error instead of a query that waits forever.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    ...config,
  });
  const reclaimers = new WeakMap<pg.PoolClient, (error: Error) => void>();

  pool.on("acquire", (client) => {
    const reclaim = (error: Error) => {
      // Already given back during this same "error" emit (pool.query releases on error too): nothing to do.
      if (reclaimers.get(client) !== reclaim) return;
      client.removeListener("error", reclaim);
      reclaimers.delete(client);
      const holder = client as Releasable;
      // The pool sets `release` right after emitting "acquire", so it is the current checkout's by the time a
      // connection error can arrive (asynchronously, from the socket).
      const release = holder.release;
      holder.release = () => {};
      release(error);
      options.onConnectionError?.(error);
    };
    reclaimers.set(client, reclaim);
    client.on("error", reclaim);
  });
  pool.on("release", (_error, client) => {
    const reclaim = reclaimers.get(client);
    if (reclaim) client.removeListener("error", reclaim);
    reclaimers.delete(client);
  });
  // An idle client whose connection drops is removed by the pool, which then emits "error": without a listener
  // Node would end the process.
  pool.on("error", (error) => options.onConnectionError?.(error));
  return pool;
}
