// The human judgements a DPO export reads for one tree (loadJudgements in server/exports/dpo.ts), from the database:
// only that experiment's HUMAN judgements of that tree, oldest first (ties by id), with their ids, so a record's
// `judgementIds` name the judgements behind it. Issue 18: the query's `where`, `orderBy` and `select.id` survived
// mutation, because every test stored its judgements in one tree, in time order.
import { describe, expect, it } from "vitest";
import type { PreferenceSource, PreferenceVerdict } from "../../server/db/generated/client.ts";
import { loadJudgements, type DpoRecord } from "../../server/exports/dpo.ts";
import { parseExportOptions } from "../../server/exports/export-options.ts";
import { streamExport } from "../../server/exports/stream-export.ts";
import { uniqueName, useTestPrisma } from "../helpers/db.ts";
import { createHandExperiment } from "./hand-built-experiment.ts";

const T0 = Date.parse("2025-01-01T12:00:00Z");

describe("loadJudgements", () => {
  const prisma = useTestPrisma();

  it("reads one tree's human judgements of one experiment, oldest first, and the records carry their ids in that order", async () => {
    const first = await createHandExperiment(prisma, { problems: 2 });
    const second = await createHandExperiment(prisma, { problems: 1 });
    const prefix = uniqueName("judgement");
    const store = async (
      key: string,
      experiment: typeof first,
      tree: number,
      [chosen, rejected]: [number, number],
      at: number,
      options: { verdict?: PreferenceVerdict; source?: PreferenceSource } = {},
    ) => {
      const chosenNodeId = experiment.node(tree, chosen);
      const rejectedNodeId = experiment.node(tree, rejected);
      const pairKey = chosenNodeId < rejectedNodeId ? `${chosenNodeId}|${rejectedNodeId}` : `${rejectedNodeId}|${chosenNodeId}`;
      const id = `${prefix}-${key}`;
      await prisma.stepPreference.create({
        data: {
          id,
          experimentId: experiment.experimentId,
          chosenNodeId,
          rejectedNodeId,
          source: options.source ?? "HUMAN",
          verdict: options.verdict ?? "PREFER",
          pairKey,
          annotator: "ann",
          createdAt: new Date(T0 + at * 1000),
        },
      });
      return id;
    };
    // Stored newest first, so insertion order (what an unordered query tends to return) is not the answer; two share a
    // timestamp and were stored with the larger id first, so only the id tie-break orders them.
    const late = await store("late", first, 0, [3, 4], 3);
    const otherTree = await store("other-tree", first, 1, [1, 2], 0);
    const otherExperiment = await store("other-experiment", second, 0, [1, 2], -1);
    await store("search", first, 0, [5, 6], -2, { source: "SEARCH" });
    const sameTimeB = await store("same-time-b", first, 0, [6, 5], 2);
    const sameTimeA = await store("same-time-a", first, 0, [1, 7], 2, { verdict: "TIE" });
    const early = await store("early", first, 0, [1, 2], 1);

    const loaded = await loadJudgements(prisma, first.experimentId, first.treeIds[0]!);
    expect(loaded.map((j) => j.id)).toEqual([early, sameTimeA, sameTimeB, late]);
    expect(loaded[0]).toEqual({
      id: early,
      chosenNodeId: first.node(0, 1),
      rejectedNodeId: first.node(0, 2),
      verdict: "PREFER",
      pairKey: `${first.node(0, 1)}|${first.node(0, 2)}`,
      annotator: "ann",
      note: null,
    });
    expect((await loadJudgements(prisma, first.experimentId, first.treeIds[1]!)).map((j) => j.id)).toEqual([otherTree]);
    expect((await loadJudgements(prisma, second.experimentId, second.treeIds[0]!)).map((j) => j.id)).toEqual([otherExperiment]);

    // The export: one record per PREFER judgement (the tie gives none), tree by tree, each tree's oldest first.
    const records: DpoRecord[] = [];
    for await (const r of streamExport(prisma, parseExportOptions({ experiment: first.experimentId, format: "dpo", source: "human", combine: "each" }))) records.push(r as DpoRecord);
    expect(records.map((r) => r.provenance.judgementIds)).toEqual([[early], [sameTimeB], [late], [otherTree]]);
    expect(records.map((r) => [r.provenance.chosenNodeId, r.provenance.rejectedNodeId])).toEqual([
      [first.node(0, 1), first.node(0, 2)],
      [first.node(0, 6), first.node(0, 5)],
      [first.node(0, 3), first.node(0, 4)],
      [first.node(1, 1), first.node(1, 2)],
    ]);
  });
});
