// The annotation router through createCaller on the real database: queue order and progress per annotator,
// judgements (upsert, undo, validation naming the field), pair detail and agreement.
import { beforeEach, describe, expect, it } from "vitest";
import { appRouter } from "../../server/api/root.ts";
import { createCallerFactory } from "../../server/api/trpc.ts";
import { pairKeyOf } from "../../server/annotation/pair-key.ts";
import { useTestPrisma } from "../helpers/db.ts";
import { createFixtureExperiment, STANDARD_TREES, type FixtureExperiment } from "./fixture-trees.ts";

describe("annotation router", () => {
  const prisma = useTestPrisma();
  const caller = createCallerFactory(appRouter)({ prisma });
  let fx: FixtureExperiment;
  const key = (t: number, a: number, b: number) => pairKeyOf(fx.node(t, a), fx.node(t, b));

  beforeEach(async () => {
    fx = await createFixtureExperiment(prisma, STANDARD_TREES);
  });

  it("lists every sibling pair once, most informative first, ties by problem and seq", async () => {
    const page = await caller.annotation.queue({ experimentId: fx.experimentId, annotator: "alice" });
    expect(page.items.map((p) => p.pairKey)).toEqual([key(0, 1, 2), key(0, 4, 5), key(0, 1, 3), key(0, 2, 3), key(0, 4, 6), key(0, 5, 6), key(1, 1, 2)]);
    expect(page.items.map((p) => Number(p.informativeness.toFixed(4)))).toEqual([0.8, 0.5, 0.3333, 0.3333, 0, 0, 0]);
    expect(page.progress).toEqual({ done: 0, total: 7 });
    expect(page.matching).toBe(7);
    // A and B are the two siblings in some order; the statistics travel with their node.
    const first = page.items[0]!;
    expect(new Set([first.a.id, first.b.id])).toEqual(new Set([fx.node(0, 1), fx.node(0, 2)]));
    expect(first.a.id === fx.node(0, 1) ? first.a.valueSum : first.b.valueSum).toBe(4);

    const second = await caller.annotation.queue({ experimentId: fx.experimentId, annotator: "alice", offset: 2, limit: 2 });
    expect(second.items.map((p) => p.pairKey)).toEqual([key(0, 1, 3), key(0, 2, 3)]);
  });

  it("takes a judged pair out of that annotator's queue only, and counts progress per annotator", async () => {
    await caller.annotation.judge({ experimentId: fx.experimentId, chosenNodeId: fx.node(0, 2), rejectedNodeId: fx.node(0, 1), verdict: "PREFER", annotator: "  alice " });
    const alice = await caller.annotation.queue({ experimentId: fx.experimentId, annotator: "alice" });
    expect(alice.progress).toEqual({ done: 1, total: 7 });
    expect(alice.matching).toBe(6);
    expect(alice.items.map((p) => p.pairKey)).not.toContain(key(0, 1, 2));
    const bob = await caller.annotation.queue({ experimentId: fx.experimentId, annotator: "bob" });
    expect(bob.progress).toEqual({ done: 0, total: 7 });
    expect(bob.items[0]!.pairKey).toBe(key(0, 1, 2));
    const all = await caller.annotation.queue({ experimentId: fx.experimentId, annotator: "alice", status: "all" });
    expect(all.items.filter((p) => p.decided).map((p) => p.pairKey)).toEqual([key(0, 1, 2)]);
    // Anonymous is an annotator of its own.
    expect((await caller.annotation.queue({ experimentId: fx.experimentId })).progress.done).toBe(0);
  });

  it("re-judging a pair updates the one judgement; tie and both-bad store the pair in key order; undo deletes", async () => {
    const input = { experimentId: fx.experimentId, chosenNodeId: fx.node(0, 1), rejectedNodeId: fx.node(0, 2), annotator: "alice" };
    const first = await caller.annotation.judge({ ...input, verdict: "PREFER", note: "clearer" });
    const again = await caller.annotation.judge({ ...input, chosenNodeId: fx.node(0, 2), rejectedNodeId: fx.node(0, 1), verdict: "TIE", note: "  " });
    expect(again.id).toBe(first.id);
    const rows = await prisma.stepPreference.findMany({ where: { experimentId: fx.experimentId } });
    expect(rows).toHaveLength(1);
    const [smaller, larger] = key(0, 1, 2).split("|");
    expect(rows[0]).toMatchObject({ verdict: "TIE", chosenNodeId: smaller, rejectedNodeId: larger, note: null, source: "HUMAN", annotator: "alice" });

    expect(await caller.annotation.remove({ experimentId: fx.experimentId, pairKey: key(0, 1, 2), annotator: "bob" })).toEqual({ deleted: 0 });
    expect(await caller.annotation.remove({ experimentId: fx.experimentId, pairKey: key(0, 1, 2), annotator: "alice" })).toEqual({ deleted: 1 });
    expect(await prisma.stepPreference.count({ where: { experimentId: fx.experimentId } })).toBe(0);
  });

  it("refuses bad judgements with the field named, writing nothing", async () => {
    const other = await createFixtureExperiment(prisma, STANDARD_TREES);
    const base = { experimentId: fx.experimentId, chosenNodeId: fx.node(0, 1), rejectedNodeId: fx.node(0, 2), verdict: "PREFER" as const, annotator: "alice" };
    const cases: Array<[Partial<typeof base> & { note?: string }, string, RegExp]> = [
      [{ chosenNodeId: "nope:1" }, "chosenNodeId", /no node nope:1/],
      [{ rejectedNodeId: fx.node(0, 4) }, "rejectedNodeId", /not a sibling/],
      [{ chosenNodeId: fx.node(0, 0) }, "chosenNodeId", /root/],
      [{ rejectedNodeId: fx.node(0, 1) }, "rejectedNodeId", /same node/],
      [{ chosenNodeId: other.node(0, 1), rejectedNodeId: other.node(0, 2) }, "chosenNodeId", /another experiment/],
      [{ annotator: "x".repeat(101) }, "annotator", /101 characters; at most 100/],
      [{ annotator: "al\nice" }, "annotator", /control characters/],
      [{ note: "n".repeat(2001) }, "note", /at most 2000/],
    ];
    for (const [change, where, message] of cases) {
      const attempt = caller.annotation.judge({ ...base, ...change });
      await expect(attempt, where).rejects.toMatchObject({ code: "BAD_REQUEST", cause: { where }, message });
    }
    // 100 characters after trimming is fine.
    await caller.annotation.judge({ ...base, annotator: ` ${"y".repeat(100)} ` });
    expect(await prisma.stepPreference.count({ where: { experimentId: fx.experimentId } })).toBe(1);
    await expect(caller.annotation.judge({ ...base, experimentId: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(caller.annotation.queue({ experimentId: fx.experimentId, limit: 0 })).rejects.toMatchObject({ code: "BAD_REQUEST", cause: { where: "limit" } });
    await expect(caller.annotation.pair({ experimentId: fx.experimentId, pairKey: `${fx.node(0, 2)}|${fx.node(0, 1)}`.split("|").sort().reverse().join("|") })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      cause: { where: "pairKey" },
    });
  });

  it("shows a pair with its shared path, both steps, everyone's judgements and their agreement", async () => {
    const pairKey = key(0, 4, 5);
    const judge = (annotator: string, chosen: number, rejected: number) =>
      caller.annotation.judge({ experimentId: fx.experimentId, chosenNodeId: fx.node(0, chosen), rejectedNodeId: fx.node(0, rejected), verdict: "PREFER", annotator });
    await judge("alice", 4, 5);
    await judge("bob", 4, 5);
    await judge("carol", 5, 4);
    const detail = await caller.annotation.pair({ experimentId: fx.experimentId, pairKey, annotator: "bob" });
    expect(detail.problem.externalId).toBe("p1");
    expect(detail.path.map((s) => s.stepText)).toEqual(["### Step: node 1"]);
    expect(new Set([detail.a.id, detail.b.id])).toEqual(new Set([fx.node(0, 4), fx.node(0, 5)]));
    expect(detail.judgements.map((j) => j.annotator)).toEqual(["alice", "bob", "carol"]);
    expect(detail.mine?.annotator).toBe("bob");
    // alice–bob agree; alice–carol and bob–carol do not: 1 of 3 annotator pairs.
    expect(detail.agreement).toEqual({ annotators: 3, agreeingPairs: 1, annotatorPairs: 3, share: 1 / 3 });
    const again = await caller.annotation.pair({ experimentId: fx.experimentId, pairKey, annotator: "bob" });
    expect([again.a.id, again.b.id]).toEqual([detail.a.id, detail.b.id]); // the sides stay put

    const overall = await caller.annotation.agreement({ experimentId: fx.experimentId });
    expect(overall).toMatchObject({ judgedPairs: 1, multiplyJudgedPairs: 1, judgements: 3, observedAgreement: 1 / 3 });
    expect(overall.annotators.map((a) => a.name)).toEqual(["alice", "bob", "carol"]);
  });
});
