// Tree claims on a real database: the first claim starts the experiment, the concurrency limit holds, every write
// checks the claim, release adds the attempt's LLM retries, heartbeats report lost and cancelled trees, and a stale
// holder's trees are found for takeover.
import { beforeAll, describe, expect, inject, it } from "vitest";
import { importDataset } from "../../server/datasets/import-dataset.ts";
import { createExperimentFromInput } from "../../server/experiments/experiment-service.ts";
import { assertClaimTx, claimTree, ClaimLostError, findStaleTrees, heartbeatClaims, releaseTree, type TreeClaim } from "../../server/engine/tree-claim.ts";
import { uniqueName, useTestPrisma } from "../helpers/db.ts";

describe("tree claims", () => {
  const prisma = useTestPrisma();
  let dataset: string;

  beforeAll(async () => {
    dataset = uniqueName("tree-claims");
    const records = [1, 2, 3].map((i) => ({ id: `p${i}`, statement: `Return ${i}.`, entry_point: `f${i}`, reference_solution: `def f${i}():\n    return ${i}\n`, tests: [`assert f${i}() == ${i}`, { assert: `assert f${i}() + 0 == ${i}`, hidden: true }] }));
    await importDataset(prisma, { source: { fileName: "c.jsonl", bytes: new TextEncoder().encode(records.map((r) => JSON.stringify(r)).join("\n")) }, format: "jsonl", name: dataset });
  });

  async function experiment(concurrency = 8) {
    const { id } = await createExperimentFromInput(prisma, { dataset, mode: "vanilla", concurrency, llm: { baseUrl: "http://127.0.0.1:1/v1", model: "m" } });
    const trees = await prisma.searchTree.findMany({ where: { experimentId: id }, orderBy: { problem: { ordinal: "asc" } }, select: { id: true, problemId: true } });
    return { id, trees };
  }

  async function claimed(treeId: string, worker: string): Promise<TreeClaim> {
    const result = await claimTree(prisma, treeId, worker);
    if (result.kind !== "claimed") throw new Error(`claim of ${treeId}: ${result.kind}`);
    return result.claim;
  }

  const events = async (experimentId: string) =>
    (await prisma.experimentEvent.findMany({ where: { experimentId, type: { not: "experiment.created" } }, orderBy: { seq: "asc" }, select: { type: true, payload: true } })).map((e) => [e.type, e.payload]);

  it("starts a queued experiment with its first claim: running, experiment.started then tree.started, once", async () => {
    const { id, trees } = await experiment();
    const [a, b] = trees;
    const first = await claimed(a!.id, "w1");
    expect(first).toMatchObject({ treeId: a!.id, experimentId: id, attempts: 1 });
    const stored = await prisma.experiment.findUniqueOrThrow({ where: { id } });
    expect(stored.status).toBe("RUNNING");
    expect(stored.startedAt).not.toBeNull();
    expect(await prisma.searchTree.findUniqueOrThrow({ where: { id: a!.id }, select: { status: true, claimedBy: true, claimToken: true } })).toEqual({ status: "RUNNING", claimedBy: "w1", claimToken: first.token });
    await claimed(b!.id, "w2");
    expect(await events(id)).toEqual([
      ["experiment.started", {}],
      ["tree.started", { treeId: a!.id, problemId: a!.problemId }],
      ["tree.started", { treeId: b!.id, problemId: b!.problemId }],
    ]);
  });

  const racing = inject("databaseMode") === "embedded" ? it.skip : it; // embedded PGlite has one connection

  racing("starts a queued experiment once when its first claims race: experiment.started, then each tree.started, gap-free seqs", async () => {
    const { id, trees } = await experiment();
    const [a, b] = trees;
    // The experiment row is held while both trees are claimed, so both claims find it queued and both try to start it:
    // one compare-and-set wins, the other only logs its tree.
    let unlock!: () => void;
    const locked = new Promise<void>((resolve) => {
      void prisma.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT 1 FROM "Experiment" WHERE "id" = ${id} FOR UPDATE`;
        resolve();
        await new Promise<void>((release) => (unlock = release));
      }, { timeout: 60_000 }); // a loaded machine must not end the hold before the claims queue behind it
    });
    await locked;
    const claims = Promise.all([a, b].map((tree, i) => claimed(tree!.id, `w${i}`)));
    await expect.poll(async () => prisma.searchTree.count({ where: { experimentId: id, status: "RUNNING" } }), { timeout: 30_000 }).toBe(2);
    unlock();
    await claims;
    const logged = await prisma.experimentEvent.findMany({ where: { experimentId: id, type: { not: "experiment.created" } }, orderBy: { seq: "asc" }, select: { seq: true, type: true, payload: true } });
    expect(logged.map((e) => e.type)).toEqual(["experiment.started", "tree.started", "tree.started"]);
    expect(logged.map((e) => (e.payload as { treeId?: string }).treeId).slice(1).sort()).toEqual([a!.id, b!.id].sort());
    const stored = await prisma.experiment.findUniqueOrThrow({ where: { id }, select: { eventSeq: true, status: true } });
    expect(logged.map((e) => e.seq)).toEqual([stored.eventSeq - 2, stored.eventSeq - 1, stored.eventSeq]);
    expect(stored.status).toBe("RUNNING");
  });

  it("refuses a claim past the experiment's concurrency, and a claim of a tree another worker holds", async () => {
    const { trees } = await experiment(2);
    const [a, b, c] = trees;
    await claimed(a!.id, "w1");
    expect((await claimTree(prisma, a!.id, "w2")).kind).toBe("unavailable");
    const second = await claimed(b!.id, "w2");
    expect(await claimTree(prisma, c!.id, "w3")).toEqual({ kind: "at-limit" });
    await releaseTree(prisma, second, 0);
    await prisma.searchTree.update({ where: { id: b!.id }, data: { status: "DONE" } });
    expect((await claimTree(prisma, c!.id, "w3")).kind).toBe("claimed");
  });

  it("refuses every write of a claim that is no longer the tree's, and refreshes the heartbeat of one that is", async () => {
    const { trees } = await experiment();
    const claim = await claimed(trees[0]!.id, "w1");
    await prisma.$executeRaw`UPDATE "SearchTree" SET "heartbeatAt" = now() - interval '10 seconds' WHERE "id" = ${claim.treeId}`;
    await prisma.$transaction((tx) => assertClaimTx(tx, claim.treeId, claim.token));
    const { heartbeatAt } = await prisma.searchTree.findUniqueOrThrow({ where: { id: claim.treeId }, select: { heartbeatAt: true } });
    expect(Date.now() - heartbeatAt!.getTime()).toBeLessThan(5_000);
    const refused = prisma.$transaction((tx) => assertClaimTx(tx, claim.treeId, "another worker's token"));
    await expect(refused).rejects.toBeInstanceOf(ClaimLostError);
    await expect(prisma.$transaction((tx) => assertClaimTx(tx, claim.treeId, "x"))).rejects.toThrow(`lost the claim on tree ${claim.treeId}`);
  });

  it("release clears the claim and adds the attempt's LLM retries, only for the holder's token, and says which it was", async () => {
    const { trees } = await experiment();
    const claim = await claimed(trees[0]!.id, "w1");
    await prisma.searchTree.update({ where: { id: claim.treeId }, data: { llmRetries: 2 } });
    expect(await releaseTree(prisma, { ...claim, token: "not the holder" }, 100)).toBe(false);
    expect(await prisma.searchTree.findUniqueOrThrow({ where: { id: claim.treeId }, select: { claimToken: true, claimedBy: true, llmRetries: true } })).toEqual({ claimToken: claim.token, claimedBy: "w1", llmRetries: 2 });
    expect(await releaseTree(prisma, claim, 3)).toBe(true);
    expect(await prisma.searchTree.findUniqueOrThrow({ where: { id: claim.treeId }, select: { claimToken: true, claimedBy: true, llmRetries: true } })).toEqual({ claimToken: null, claimedBy: null, llmRetries: 5 });
    expect(await releaseTree(prisma, claim, 3)).toBe(false); // already released
  });

  it("heartbeats report trees lost to another worker and trees whose experiment was cancelled or failed", async () => {
    expect(await heartbeatClaims(prisma, [])).toEqual({ lost: [], cancelled: [] });
    const running = await experiment();
    const cancelled = await experiment();
    const failed = await experiment();
    const kept = await claimed(running.trees[0]!.id, "w1");
    const lost = await claimed(running.trees[1]!.id, "w1");
    const inCancelled = await claimed(cancelled.trees[0]!.id, "w1");
    const inFailed = await claimed(failed.trees[0]!.id, "w1");
    await prisma.searchTree.update({ where: { id: lost.treeId }, data: { claimToken: "taken over" } });
    await prisma.experiment.update({ where: { id: cancelled.id }, data: { status: "CANCELLED" } });
    await prisma.experiment.update({ where: { id: failed.id }, data: { status: "FAILED" } });
    await prisma.$executeRaw`UPDATE "SearchTree" SET "heartbeatAt" = now() - interval '10 seconds' WHERE "id" = ${kept.treeId}`;
    const result = await heartbeatClaims(prisma, [kept, lost, inCancelled, inFailed]);
    expect({ lost: result.lost, cancelled: [...result.cancelled].sort() }).toEqual({ lost: [lost.treeId], cancelled: [inCancelled.treeId, inFailed.treeId].sort() });
    const { heartbeatAt } = await prisma.searchTree.findUniqueOrThrow({ where: { id: kept.treeId }, select: { heartbeatAt: true } });
    expect(Date.now() - heartbeatAt!.getTime()).toBeLessThan(5_000);
  });

  it("finds claimed, unfinished trees of running experiments whose heartbeat is older than the stale time", async () => {
    const { id, trees } = await experiment();
    const [a, b, c] = trees;
    const stale = await claimed(a!.id, "w1");
    const fresh = await claimed(b!.id, "w1");
    const finished = await claimed(c!.id, "w1");
    await prisma.$executeRaw`UPDATE "SearchTree" SET "heartbeatAt" = now() - interval '40 seconds' WHERE "id" IN (${stale.treeId}, ${finished.treeId})`;
    await prisma.$executeRaw`UPDATE "SearchTree" SET "heartbeatAt" = now() - interval '20 seconds' WHERE "id" = ${fresh.treeId}`;
    await prisma.searchTree.update({ where: { id: finished.treeId }, data: { status: "DONE" } });
    const mine = (found: { id: string; experimentId: string }[]) => found.filter((t) => t.experimentId === id);
    expect(mine(await findStaleTrees(prisma))).toEqual([{ id: stale.treeId, experimentId: id }]);
    expect(mine(await findStaleTrees(prisma, 10_000)).map((t) => t.id).sort()).toEqual([stale.treeId, fresh.treeId].sort());
    await prisma.experiment.update({ where: { id }, data: { status: "CANCELLED" } });
    expect(mine(await findStaleTrees(prisma, 10_000))).toEqual([]);
  });
});
