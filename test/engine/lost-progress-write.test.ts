// Progress writes commit asynchronously (tree-store.ts), so a database crash may lose the last of them. Each write is
// guarded by the rolloutsDone its writer last stored: after a lost commit (simulated here by putting the stored tree
// back to its earlier state), the next progress write and the finishing write are refused and write nothing, so a tree
// is never stored with a hole in its rollouts.
import { describe, expect, it } from "vitest";
import { importJsonlRecords } from "../helpers/scripted-runs.ts";
import { createExperimentFromInput } from "../../server/experiments/experiment-service.ts";
import { ClaimLostError, claimTree } from "../../server/engine/tree-claim.ts";
import { createTreeRecorder, writeTreeFinished } from "../../server/engine/tree-store.ts";
import { createRootNode, type SearchNode } from "../../server/search/search-node.ts";
import { uniqueName, useTestPrisma } from "../helpers/db.ts";

const PROBLEM = { id: "neg", statement: "Write neg(x).", entry_point: "neg", reference_solution: "def neg(x):\n    return -x\n", tests: ["assert neg(1) == -1"] };

function child(parent: SearchNode, seq: number): SearchNode {
  return { ...createRootNode(), id: String(seq), parentId: parent.id, seq, depth: parent.depth + 1, stepIndex: parent.depth, actionKind: "structure", stepText: `step ${seq}` };
}

describe("a progress write after a lost one", () => {
  const prisma = useTestPrisma();

  it("is refused, as is the finishing write, and nothing of either is stored", async () => {
    const dataset = uniqueName("lost-write");
    await importJsonlRecords(prisma, dataset, [PROBLEM]);
    const { id: experimentId } = await createExperimentFromInput(prisma, { dataset, mode: "pseudocode", llm: { baseUrl: "http://127.0.0.1:9/v1", model: "m" } });
    const tree = await prisma.searchTree.findFirstOrThrow({ where: { experimentId } });
    const claimed = await claimTree(prisma, tree.id, "worker-a");
    if (claimed.kind !== "claimed") throw new Error(`claim: ${claimed.kind}`);
    const ref = { experimentId, treeId: tree.id, problemId: tree.problemId, claimToken: claimed.claim.token, storedRolloutsDone: 0 };
    const recorder = createTreeRecorder(prisma, ref);

    const root = createRootNode();
    recorder.onNodeCreated!(root, null);
    await recorder.onRolloutDone!(0);
    recorder.onNodeCreated!(child(root, 1), null);
    await recorder.onRolloutDone!(1);
    expect(recorder.storedRolloutsDone()).toBe(2);
    expect((await prisma.searchTree.findUniqueOrThrow({ where: { id: tree.id } })).rolloutsDone).toBe(2);

    // The second write's commit is lost: the database is back at one rollout.
    await prisma.treeNode.deleteMany({ where: { treeId: tree.id, seq: 1 } });
    await prisma.searchTree.update({ where: { id: tree.id }, data: { rolloutsDone: 1 } });

    recorder.onNodeCreated!(child(root, 2), null);
    await expect(recorder.onRolloutDone!(2)).rejects.toBeInstanceOf(ClaimLostError);
    const finished = { finishedAt: new Date(), finalNodeId: null, metrics: {}, executions: [] };
    await expect(writeTreeFinished(prisma, { ...ref, storedRolloutsDone: recorder.storedRolloutsDone() }, finished)).rejects.toBeInstanceOf(ClaimLostError);

    const stored = await prisma.searchTree.findUniqueOrThrow({ where: { id: tree.id } });
    expect(stored).toMatchObject({ rolloutsDone: 1, status: "RUNNING" });
    expect((await prisma.treeNode.findMany({ where: { treeId: tree.id }, select: { seq: true } })).map((n) => n.seq)).toEqual([0]);
    const progress = await prisma.experimentEvent.count({ where: { experimentId, type: "tree.progress" } });
    expect(progress).toBe(2); // the two accepted writes' events only
  }, 30_000);
});
