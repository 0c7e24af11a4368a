// LISTEN/NOTIFY across connections to the embedded database: PGlite is one session, so without the routing in
// pglite-socket-fix.ts a notification only ever reaches the connection whose transaction sent it.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { expect, it } from "vitest";
import { poolConfigFromUrl } from "../../server/db/database-url.ts";
import { openEmbeddedDatabase } from "../../server/db/embedded.ts";
import { listenToChannel } from "../../server/db/notifications.ts";
import { NotificationScanner } from "../../server/db/pglite-socket-fix.ts";

it("delivers a NOTIFY committed on one connection to the connections that LISTEN on its channel, and only to them", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "o1c-embedded-notify-"));
  const db = await openEmbeddedDatabase(dir);
  const received: Record<string, string[]> = { a: [], b: [], other: [] };
  let ready = 0;
  const a = listenToChannel(db.url, "chan_one", { onNotification: (p) => received.a!.push(p), onListening: () => ready++ });
  const b = listenToChannel(db.url, "chan_one", { onNotification: (p) => received.b!.push(p), onListening: () => ready++ });
  const other = listenToChannel(db.url, "chan_two", { onNotification: (p) => received.other!.push(p), onListening: () => ready++ });
  const writer = new pg.Pool(poolConfigFromUrl(db.url, { max: 1 }));
  try {
    await expect.poll(() => ready).toBe(3);
    expect(a.listening && b.listening && other.listening).toBe(true);
    const client = await writer.connect();
    await client.query("BEGIN");
    await client.query("SELECT pg_notify('chan_one', $1)", ["first"]);
    await client.query("SELECT pg_notify('chan_one', $1)", ["second"]);
    expect(received.a).toEqual([]); // nothing before the commit
    await client.query("COMMIT");
    client.release();
    await writer.query("BEGIN; SELECT pg_notify('chan_one', 'rolled back'); ROLLBACK");
    await expect.poll(() => received.a).toEqual(["first", "second"]);
    await expect.poll(() => received.b).toEqual(["first", "second"]);
    expect(received.other).toEqual([]);
  } finally {
    await writer.end();
    await Promise.all([a.close(), b.close(), other.close()]);
    await db.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

it("finds notifications in a reply however its bytes are split into chunks", () => {
  const message = (type: string, body: Buffer) => {
    const header = Buffer.alloc(5);
    header.write(type, 0, "latin1");
    header.writeUInt32BE(body.length + 4, 1);
    return Buffer.concat([header, body]);
  };
  const notification = (channel: string, payload: string) =>
    message("A", Buffer.concat([Buffer.from([0, 0, 0, 7]), Buffer.from(`${channel}\0${payload}\0`)]));
  const reply = Buffer.concat([
    message("C", Buffer.from("SELECT 1\0")),
    notification("chan", "x".repeat(40)),
    message("D", Buffer.alloc(300, 1)),
    notification("other", "y"),
    message("Z", Buffer.from("I")),
  ]);
  for (const size of [1, 2, 3, 5, 7, 64, reply.length]) {
    const scanner = new NotificationScanner();
    for (let i = 0; i < reply.length; i += size) scanner.scan(reply.subarray(i, i + size));
    expect(scanner.found.map((n) => n.channel), `chunks of ${size}`).toEqual(["chan", "other"]);
    expect(Buffer.from(scanner.found[0]!.message)).toEqual(notification("chan", "x".repeat(40)));
  }
});
