// Live event streams are woken by NOTIFY (the ExperimentEvent trigger), not by polling: with the fallback poll set
// far beyond the test's patience, events still arrive, from every writer path, in order, and only the tailed
// experiment's.
import { afterAll, expect, it } from "vitest";
import { appendEvent, appendEventsTx, experimentEventsListening, tailExperimentEvents } from "../../server/experiments/index.ts";
import type { StoredEvent } from "../../server/experiments/event-log.ts";
import { testDatabaseUrl, uniqueName, useTestPrisma } from "../helpers/db.ts";

const prisma = useTestPrisma();
const url = testDatabaseUrl();
const aborts: AbortController[] = [];
afterAll(() => aborts.forEach((a) => a.abort()));

async function createExperiment() {
  const dataset = await prisma.dataset.create({ data: { name: uniqueName("tail"), format: "jsonl" } });
  const experiment = await prisma.experiment.create({
    data: { name: uniqueName("tail-exp"), datasetId: dataset.id, config: {}, mode: "pseudocode", model: "m", llmBaseUrl: "http://x", seed: 1, status: "RUNNING" },
  });
  return experiment.id;
}

it("wakes a tail for its experiment's new events without polling, including events inserted by plain SQL", async () => {
  const [tailed, other] = [await createExperiment(), await createExperiment()];
  await appendEvent(prisma, tailed, { type: "experiment.started", payload: { n: 0 } });
  const abort = new AbortController();
  aborts.push(abort);
  const seen: Array<StoredEvent | null> = [];
  const consumed = (async () => {
    for await (const event of tailExperimentEvents({ prisma, url }, tailed, 0, { signal: abort.signal, idleMs: 600_000, fallbackPollMs: 600_000 })) seen.push(event);
  })();
  await expect.poll(() => seen.length, { timeout: 15_000 }).toBe(1); // the event from before the tail began
  await expect.poll(() => experimentEventsListening(url), { timeout: 15_000 }).toBe(true);

  await appendEvent(prisma, other, { type: "tree.started", payload: { n: 99 } });
  await appendEvent(prisma, tailed, { type: "tree.started", payload: { n: 1 } });
  await prisma.$transaction(async (tx) => {
    await appendEventsTx(tx, tailed, [{ type: "tree.progress", payload: { n: 2 } }, { type: "tree.progress", payload: { n: 3 } }]);
  });
  // A writer that inserts rows itself (as the engine's batched node writes do) wakes the tail too.
  await prisma.$executeRaw`
    WITH seq AS (UPDATE "Experiment" SET "eventSeq" = "eventSeq" + 1 WHERE "id" = ${tailed} RETURNING "eventSeq")
    INSERT INTO "ExperimentEvent" ("experimentId", "seq", "type", "payload") SELECT ${tailed}, "eventSeq", 'tree.finished', '{"n":4}'::jsonb FROM seq`;
  await expect.poll(() => seen.length, { timeout: 15_000 }).toBe(5);
  expect(seen.map((e) => (e?.payload as { n: number }).n)).toEqual([0, 1, 2, 3, 4]);
  expect(seen.map((e) => e!.seq)).toEqual([1, 2, 3, 4, 5]);

  // A rolled-back append wakes nobody and leaves nothing to read.
  await expect(
    prisma.$transaction(async (tx) => {
      await appendEventsTx(tx, tailed, [{ type: "tree.progress", payload: { n: -1 } }]);
      throw new Error("roll back");
    }),
  ).rejects.toThrow("roll back");
  await appendEvent(prisma, tailed, { type: "experiment.finished", payload: { n: 5 } });
  await expect.poll(() => seen.length, { timeout: 15_000 }).toBe(6);
  expect((seen[5]!.payload as { n: number }).n).toBe(5);
  abort.abort();
  await consumed;
});

it("passes an asynchronously committed event on only once it is durable (a crash could otherwise reuse its seq)", async () => {
  const experimentId = await createExperiment();
  // The engine's progress writes commit like this (tree-store.ts): visible at once, flushed to disk a moment later.
  await prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT set_config('synchronous_commit', 'off', true)`;
    await appendEventsTx(tx, experimentId, [{ type: "tree.progress", payload: { n: 1 } }]);
  });
  const [{ committedUpTo }] = (await prisma.$queryRaw<{ committedUpTo: string }[]>`SELECT pg_current_wal_insert_lsn()::text AS "committedUpTo"`) as [{ committedUpTo: string }];
  const abort = new AbortController();
  aborts.push(abort);
  for await (const event of tailExperimentEvents({ prisma, url }, experimentId, 0, { signal: abort.signal, idleMs: 600_000 })) {
    expect(event?.seq).toBe(1);
    // The walwriter may have flushed it anyway (it does within ~200 ms); the tail must not have relied on that.
    const [{ durable }] = (await prisma.$queryRaw<{ durable: boolean }[]>`SELECT pg_current_wal_flush_lsn() >= ${committedUpTo}::pg_lsn AS durable`) as [{ durable: boolean }];
    expect(durable).toBe(true);
    break;
  }
  abort.abort();
});
