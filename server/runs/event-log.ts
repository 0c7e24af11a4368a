// The experiment's append-only event log. Sequence numbers come from an atomic increment of Experiment.eventSeq in
// the same transaction as the insert: the row lock orders concurrent writers, so seqs are gap-free and a reader
// that has seen seq k has seen every event before it (what SSE resume with Last-Event-ID relies on).
import type { Prisma } from "../db/generated/client.ts";
import type { Db } from "../db/client.ts";

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

/** Appends events within an open transaction; returns their seqs. */
export async function appendEventsTx(tx: Tx, experimentId: string, events: readonly NewEvent[]): Promise<number[]> {
  if (events.length === 0) return [];
  const { eventSeq } = await tx.experiment.update({
    where: { id: experimentId },
    data: { eventSeq: { increment: events.length } },
    select: { eventSeq: true },
  });
  const first = eventSeq - events.length + 1;
  await tx.experimentEvent.createMany({
    data: events.map((e, i) => ({ experimentId, seq: first + i, type: e.type, payload: e.payload })),
  });
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

export async function listEventsAfter(prisma: Db, experimentId: string, afterSeq: number, limit = 500): Promise<StoredEvent[]> {
  return prisma.experimentEvent.findMany({
    where: { experimentId, seq: { gt: afterSeq } },
    orderBy: { seq: "asc" },
    take: limit,
    select: { seq: true, type: true, payload: true, createdAt: true },
  });
}
