// The stale-claim default as a default (issue 18: tests passed their own staleMs, so a default changed from 30 s to
// 3 s went unnoticed): without a staleMs, another worker may take a tree over only once its holder's last heartbeat
// is more than 30 s old.
import { beforeAll, describe, expect, it } from "vitest";
import { importDataset } from "../../server/datasets/import-dataset.ts";
import { createExperimentFromInput } from "../../server/experiments/experiment-service.ts";
import { claimTree, DEFAULT_STALE_MS, releaseTree } from "../../server/engine/tree-claim.ts";
import { uniqueName, useTestPrisma } from "../helpers/db.ts";

describe("stale claims by default", () => {
  const prisma = useTestPrisma();
  let treeId: string;

  beforeAll(async () => {
    const dataset = uniqueName("claims");
    const record = { id: "p1", statement: "Return x.", entry_point: "ident", reference_solution: "def ident(x):\n    return x\n", tests: ["assert ident(1) == 1", { assert: "assert ident(2) == 2", hidden: true }] };
    await importDataset(prisma, { source: { fileName: "claims.jsonl", bytes: new TextEncoder().encode(JSON.stringify(record)) }, format: "jsonl", name: dataset });
    const { id } = await createExperimentFromInput(prisma, { dataset, mode: "vanilla", llm: { baseUrl: "http://127.0.0.1:1/v1", model: "m" } });
    treeId = (await prisma.searchTree.findFirstOrThrow({ where: { experimentId: id } })).id;
  });

  const heartbeatSecondsAgo = (seconds: number) => prisma.$executeRaw`UPDATE "SearchTree" SET "heartbeatAt" = now() - make_interval(secs => ${seconds}) WHERE "id" = ${treeId}`;

  it("is 30 s", () => {
    expect(DEFAULT_STALE_MS).toBe(30_000);
  });

  it("refuses a takeover at 25 s without a heartbeat and allows it at 35 s", async () => {
    const claimedFirst = await claimTree(prisma, treeId, "worker-a");
    if (claimedFirst.kind !== "claimed") throw new Error(`first claim: ${claimedFirst.kind}`);
    const first = claimedFirst.claim;
    expect(first).toMatchObject({ treeId, attempts: 1 });
    await heartbeatSecondsAgo(25);
    expect((await claimTree(prisma, treeId, "worker-b")).kind).toBe("unavailable");
    await heartbeatSecondsAgo(35);
    const claimedSecond = await claimTree(prisma, treeId, "worker-b");
    if (claimedSecond.kind !== "claimed") throw new Error(`second claim: ${claimedSecond.kind}`);
    const second = claimedSecond.claim;
    expect(second).toMatchObject({ treeId, attempts: 2 });
    expect(second.token).not.toBe(first.token);
    // The first holder's release is a no-op now: the tree stays claimed by worker-b.
    await releaseTree(prisma, first, 0);
    expect(await prisma.searchTree.findUniqueOrThrow({ where: { id: treeId }, select: { claimedBy: true, claimToken: true } })).toEqual({ claimedBy: "worker-b", claimToken: second.token });
  });
});
