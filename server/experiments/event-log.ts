// The experiment's append-only event log. Sequence numbers come from an atomic increment of Experiment.eventSeq in
// the same transaction as the insert: the row lock orders concurrent writers, so seqs are gap-free and a reader
// that has seen seq k has seen every event before it (what SSE resume with Last-Event-ID relies on).
//
// Some appends commit asynchronously (the engine's progress writes, server/engine/tree-store.ts): visible at once,
// durable a moment later. A database crash in between would lose such an event, and its seq would be handed out
// again to a different event, so a reader that had seen the lost one would skip its successor. Readers therefore pass
// events on only once they are durable (listDurableEventsAfter): no seq anyone has seen is ever reused.
import { Prisma, queryRows, type Db } from "../db/index.ts";
import { NotFoundError } from "../errors.ts";

export type EventType =
  | "experiment.created"
  | "experiment.started"
  | "experiment.finished"
  | "experiment.cancelled"
  | "experiment.failed"
  | "tree.started"
  | "tree.progress"
  | "tree.finished"
  | "tree.failed";

export interface NewEvent {
  type: EventType;
  payload: Prisma.InputJsonValue;
}

type Tx = Prisma.TransactionClient;

/**
 * Appends events within an open transaction; returns their seqs. One statement (raw: it runs for every tree's
 * start and end, and Prisma's two model queries cost several times the SQL).
 */
export async function appendEventsTx(tx: Tx, experimentId: string, events: readonly NewEvent[]): Promise<number[]> {
  if (events.length === 0) return [];
  const rows = await tx.$queryRaw<{ eventSeq: number }[]>`
    WITH seq AS (
      UPDATE "Experiment" SET "eventSeq" = "eventSeq" + ${events.length}::int WHERE "id" = ${experimentId} RETURNING "eventSeq"
    ), inserted AS (
      INSERT INTO "ExperimentEvent" ("experimentId", "seq", "type", "payload")
      SELECT ${experimentId}, seq."eventSeq" - ${events.length}::int + e.ordinality::int, e.type, e.payload::jsonb
      FROM seq, unnest(${events.map((e) => e.type)}::text[], ${events.map((e) => JSON.stringify(e.payload))}::text[])
        WITH ORDINALITY AS e(type, payload, ordinality)
    )
    SELECT "eventSeq" FROM seq`;
  const last = rows[0]?.eventSeq;
  if (last === undefined) throw new NotFoundError(`no experiment ${experimentId}`);
  const first = last - events.length + 1;
  return events.map((_, i) => first + i);
}

export function appendEvent(prisma: Db, experimentId: string, event: NewEvent): Promise<number> {
  return prisma.$transaction(async (tx) => (await appendEventsTx(tx, experimentId, [event]))[0]!);
}

export interface StoredEvent {
  seq: number;
  type: string;
  payload: unknown;
  createdAt: Date;
}

async function listEventsAfter(prisma: Db, experimentId: string, afterSeq: number, limit = 500): Promise<StoredEvent[]> {
  return prisma.experimentEvent.findMany({
    where: { experimentId, seq: { gt: afterSeq } },
    orderBy: { seq: "asc" },
    take: limit,
    select: { seq: true, type: true, payload: true, createdAt: true },
  });
}

/**
 * listEventsAfter, returning only once the events read are durable. WAL is flushed in order, so when the flush position
 * has reached the insert position (read after the events) every commit they could come from is on disk. Otherwise one
 * transactional WAL message makes this statement's own commit synchronous, flushing every record before it: one
 * round trip, and only for reads that found events (idle streams read nothing, so they cost nothing).
 */
export async function listDurableEventsAfter(prisma: Db, experimentId: string, afterSeq: number, limit = 500): Promise<StoredEvent[]> {
  const events = await listEventsAfter(prisma, experimentId, afterSeq, limit);
  if (events.length > 0) await flushWal(prisma);
  return events;
}

/** Waits until every WAL record inserted so far is flushed (a no-op when it already is). */
async function flushWal(prisma: Db): Promise<void> {
  // synchronous_commit is set for this statement's transaction: a server or role default of "off" would skip the flush.
  // Only a boolean comes back: a client without the plain pool reads through Prisma, which has no pg_lsn type.
  await queryRows(prisma, Prisma.sql`
    SELECT (CASE WHEN pg_current_wal_flush_lsn() >= pg_current_wal_insert_lsn() THEN NULL
                 ELSE pg_logical_emit_message(true, 'o1c.durable-read', '') END) IS NULL AS was_durable,
           set_config('synchronous_commit', 'on', true) IS NOT NULL AS commit_mode_set`);
}
