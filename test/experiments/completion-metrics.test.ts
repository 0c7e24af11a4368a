// An experiment's metrics from its stored trees (issue 18: counting unjudged problems in Pass@1/ASPR survived
// mutation). Trees are written with known metrics, so every expected number is computed by hand here.
import { beforeAll, describe, expect, inject, it } from "vitest";
import { importDataset } from "../../server/datasets/import-dataset.ts";
import { createExperimentFromInput } from "../../server/experiments/experiment-service.ts";
import { completeExperimentIfFinished, computeExperimentMetrics, failExperiment, findFinishedRunningExperiments } from "../../server/experiments/experiment-completion.ts";
import type { TreeMetrics } from "../../server/evaluation/index.ts";
import { uniqueName, useTestPrisma } from "../helpers/db.ts";

function treeMetrics(problemId: string, judged: boolean, finalAnswerPasses: boolean | null, terminalPasses: boolean[], tokens: number): TreeMetrics {
  return {
    problemId, judged, finalAnswerPasses, terminalPasses, promptTokens: tokens, completionTokens: 1, llmCalls: 2,
    finalNodeId: null, bestValue: null, terminals: terminalPasses.length, terminalsPassing: terminalPasses.filter(Boolean).length, nodes: 3, wallMs: 5,
  };
}

describe("experiment completion", () => {
  const prisma = useTestPrisma();
  let dataset: string;

  beforeAll(async () => {
    dataset = uniqueName("completion");
    const records = [1, 2, 3, 4].map((i) => ({ id: `p${i}`, statement: `Return ${i}.`, entry_point: `f${i}`, reference_solution: `def f${i}():\n    return ${i}\n`, tests: [`assert f${i}() == ${i}`, { assert: `assert f${i}() + 0 == ${i}`, hidden: true }] }));
    await importDataset(prisma, { source: { fileName: "c.jsonl", bytes: new TextEncoder().encode(records.map((r) => JSON.stringify(r)).join("\n")) }, format: "jsonl", name: dataset });
  });

  async function experimentWithTrees() {
    const { id } = await createExperimentFromInput(prisma, { dataset, mode: "vanilla", llm: { baseUrl: "http://127.0.0.1:1/v1", model: "m" } });
    const trees = await prisma.searchTree.findMany({ where: { experimentId: id }, orderBy: { problem: { ordinal: "asc" } }, select: { id: true, problemId: true } });
    return { id, trees };
  }

  it("leaves unjudged problems out of Pass@1, ASPR and pass@k and counts a failed search as a miss", async () => {
    const { id, trees } = await experimentWithTrees();
    const [a, b, c, d] = trees;
    const done = (tree: typeof a, metrics: TreeMetrics) => prisma.searchTree.update({ where: { id: tree!.id }, data: { status: "DONE", metrics: metrics as object } });
    await done(a, treeMetrics(a!.problemId, true, true, [true, false], 10));
    await done(b, treeMetrics(b!.problemId, true, false, [false, false, true, true], 20));
    // Unjudged (no hidden test): everything passing, yet it must not count.
    await done(c, treeMetrics(c!.problemId, false, true, [true, true], 1000));
    await prisma.searchTree.update({ where: { id: d!.id }, data: { status: "FAILED", promptTokens: 7, completionTokens: 3, llmCalls: 4 } });

    const metrics = await computeExperimentMetrics(prisma, id, { llmRetries: 2, wallMs: 99 });
    expect(metrics).toEqual({
      problems: 3,
      pass1: 1 / 3,
      aspr: (1 / 2 + 2 / 4 + 0) / 3,
      // pass@1 per problem: c/n = 1/2, 2/4, 0; pass@3: 1, 1 − C(2,3)/C(4,3) = 1, 0; pass@5 (n < k: pass@n): 1, 1, 0.
      passAtK: { 1: (0.5 + 0.5 + 0) / 3, 3: 2 / 3, 5: 2 / 3 },
      promptTokens: 10 + 20 + 7,
      completionTokens: 1 + 1 + 3,
      tokensPerProblem: (11 + 21 + 10) / 3,
      llmCallsPerProblem: (2 + 2 + 4) / 3,
      failedProblems: 1,
      unjudgedProblems: 1,
      llmRetries: 2,
      wallMs: 99,
      // These trees record no first terminal, no budget curve, no PRM use and no challenge or plus tests.
      pass1FirstTerminal: null,
      tokenCurve: [],
      prmPromptTokens: 0,
      prmCompletionTokens: 0,
      prmTokensPerProblem: 0,
      totalTokensPerProblem: (11 + 21 + 10) / 3,
      challenge: null,
      plus: null,
    });
  });

  it("completes a running experiment once, when no tree is unfinished, with its wall time", async () => {
    const { id, trees } = await experimentWithTrees();
    const startedAt = new Date(1_700_000_000_000);
    await prisma.experiment.update({ where: { id }, data: { status: "RUNNING", startedAt } });
    for (const tree of trees.slice(0, 3)) await prisma.searchTree.update({ where: { id: tree.id }, data: { status: "DONE", metrics: treeMetrics(tree.problemId, true, true, [true], 1) as object, llmRetries: 1 } });
    await prisma.searchTree.update({ where: { id: trees[3]!.id }, data: { status: "CANCELLED" } });
    expect(await completeExperimentIfFinished(prisma, id, startedAt.getTime() + 5000)).toBeNull();
    expect((await prisma.experiment.findUniqueOrThrow({ where: { id } })).status).toBe("RUNNING");

    await prisma.searchTree.update({ where: { id: trees[3]!.id }, data: { status: "FAILED" } });
    const metrics = await completeExperimentIfFinished(prisma, id, startedAt.getTime() + 5000);
    expect(metrics).toMatchObject({ problems: 4, pass1: 3 / 4, failedProblems: 1, unjudgedProblems: 0, llmRetries: 3, wallMs: 5000 });
    const stored = await prisma.experiment.findUniqueOrThrow({ where: { id } });
    expect([stored.status, stored.finishedAt?.getTime(), stored.metrics]).toEqual(["COMPLETED", startedAt.getTime() + 5000, metrics]);
    expect(await prisma.experimentEvent.count({ where: { experimentId: id, type: "experiment.finished" } })).toBe(1);
    // A second finishing worker finds it completed: no second completion, no second event.
    expect(await completeExperimentIfFinished(prisma, id, startedAt.getTime() + 6000)).toBeNull();
    expect(await prisma.experimentEvent.count({ where: { experimentId: id, type: "experiment.finished" } })).toBe(1);
  });

  it("does not complete an experiment that is not running", async () => {
    const { id, trees } = await experimentWithTrees();
    await prisma.searchTree.updateMany({ where: { id: { in: trees.map((t) => t.id) } }, data: { status: "FAILED" } });
    await prisma.experiment.update({ where: { id }, data: { status: "CANCELLED" } });
    expect(await completeExperimentIfFinished(prisma, id)).toBeNull();
    expect((await prisma.experiment.findUniqueOrThrow({ where: { id } })).status).toBe("CANCELLED");
  });

  /** The events after the experiment's creation. */
  async function events(id: string) {
    return (await prisma.experimentEvent.findMany({ where: { experimentId: id, type: { not: "experiment.created" } }, orderBy: { seq: "asc" }, select: { type: true, payload: true } })).map((e) => [e.type, e.payload]);
  }

  it("fails an experiment none of whose problems was searched, naming the first failed problem and its error", async () => {
    const { id, trees } = await experimentWithTrees();
    const startedAt = new Date(1_700_000_000_000);
    await prisma.experiment.update({ where: { id }, data: { status: "RUNNING", startedAt } });
    // Stored out of order: the reason names the first problem by the dataset's order (p2 before p3), not by write order.
    await prisma.searchTree.update({ where: { id: trees[2]!.id }, data: { status: "FAILED", error: "p3's error" } });
    await prisma.searchTree.update({ where: { id: trees[1]!.id }, data: { status: "FAILED", error: "LLM server unreachable" } });
    await prisma.searchTree.update({ where: { id: trees[3]!.id }, data: { status: "FAILED", error: null } });
    await prisma.searchTree.update({ where: { id: trees[0]!.id }, data: { status: "FAILED", error: null } });
    // p1 has no error recorded, yet it comes first.
    const metrics = await completeExperimentIfFinished(prisma, id, startedAt.getTime() + 2000);
    expect(metrics).toMatchObject({ problems: 4, pass1: 0, failedProblems: 4 });
    const stored = await prisma.experiment.findUniqueOrThrow({ where: { id } });
    const reason = "all 4 problems failed; problem p1: no error recorded";
    expect([stored.status, stored.error, stored.finishedAt?.getTime(), stored.metrics]).toEqual(["FAILED", reason, startedAt.getTime() + 2000, metrics]);
    expect(await events(id)).toEqual([["experiment.failed", { error: reason }]]);
  });

  it("says 'the only problem failed' for a one-problem experiment, with that problem's error", async () => {
    const { id, trees } = await experimentWithTrees();
    await prisma.experiment.update({ where: { id }, data: { status: "RUNNING", startedAt: new Date(0) } });
    // Only one tree: the others are removed, as an experiment over one problem would have them.
    await prisma.searchTree.deleteMany({ where: { id: { in: trees.slice(1).map((t) => t.id) } } });
    await prisma.searchTree.update({ where: { id: trees[0]!.id }, data: { status: "FAILED", error: "sandbox closed" } });
    expect(await completeExperimentIfFinished(prisma, id, 10)).toMatchObject({ problems: 1, failedProblems: 1 });
    const stored = await prisma.experiment.findUniqueOrThrow({ where: { id } });
    expect([stored.status, stored.error]).toEqual(["FAILED", "the only problem failed; problem p1: sandbox closed"]);
  });

  it("completes (not fails) an experiment where one problem finished and the rest failed", async () => {
    const { id, trees } = await experimentWithTrees();
    await prisma.experiment.update({ where: { id }, data: { status: "RUNNING", startedAt: new Date(0) } });
    await prisma.searchTree.update({ where: { id: trees[3]!.id }, data: { status: "DONE", metrics: treeMetrics(trees[3]!.problemId, true, false, [false], 1) as object } });
    for (const tree of trees.slice(0, 3)) await prisma.searchTree.update({ where: { id: tree.id }, data: { status: "FAILED", error: "x" } });
    expect(await completeExperimentIfFinished(prisma, id, 10)).toMatchObject({ problems: 4, pass1: 0, failedProblems: 3 });
    const stored = await prisma.experiment.findUniqueOrThrow({ where: { id } });
    expect([stored.status, stored.error]).toEqual(["COMPLETED", null]);
    expect((await events(id)).map(([type]) => type)).toEqual(["experiment.finished"]);
  });

  it("failExperiment ends a running experiment once: unfinished trees cancelled, finished ones kept, one event", async () => {
    const { id, trees } = await experimentWithTrees();
    await prisma.experiment.update({ where: { id }, data: { status: "RUNNING" } });
    await prisma.searchTree.update({ where: { id: trees[0]!.id }, data: { status: "DONE" } });
    await prisma.searchTree.update({ where: { id: trees[1]!.id }, data: { status: "FAILED" } });
    await prisma.searchTree.update({ where: { id: trees[2]!.id }, data: { status: "RUNNING" } });
    expect(await failExperiment(prisma, id, "the LLM server refused every request", 1234)).toBe(true);
    const stored = await prisma.experiment.findUniqueOrThrow({ where: { id } });
    expect([stored.status, stored.error, stored.finishedAt?.getTime()]).toEqual(["FAILED", "the LLM server refused every request", 1234]);
    const statuses = await prisma.searchTree.findMany({ where: { experimentId: id }, orderBy: { problem: { ordinal: "asc" } }, select: { status: true } });
    expect(statuses.map((t) => t.status)).toEqual(["DONE", "FAILED", "CANCELLED", "CANCELLED"]);
    expect(await events(id)).toEqual([["experiment.failed", { error: "the LLM server refused every request" }]]);
    // Already failed: nothing changes, no second event.
    expect(await failExperiment(prisma, id, "again", 9999)).toBe(false);
    expect((await prisma.experiment.findUniqueOrThrow({ where: { id } })).error).toBe("the LLM server refused every request");
    expect(await events(id)).toHaveLength(1);
  });

  it("failExperiment also ends a queued experiment, and leaves completed and cancelled ones alone", async () => {
    const queued = await experimentWithTrees();
    expect((await prisma.experiment.findUniqueOrThrow({ where: { id: queued.id } })).status).toBe("QUEUED");
    expect(await failExperiment(prisma, queued.id, "no worker can reach the dataset")).toBe(true);
    expect((await prisma.experiment.findUniqueOrThrow({ where: { id: queued.id } })).status).toBe("FAILED");
    for (const status of ["COMPLETED", "CANCELLED"] as const) {
      const { id, trees } = await experimentWithTrees();
      await prisma.experiment.update({ where: { id }, data: { status } });
      expect(await failExperiment(prisma, id, "late")).toBe(false);
      const stored = await prisma.experiment.findUniqueOrThrow({ where: { id } });
      expect([stored.status, stored.error]).toEqual([status, null]);
      const treeStatuses = await prisma.searchTree.findMany({ where: { id: { in: trees.map((t) => t.id) } }, select: { status: true } });
      expect(treeStatuses.every((t) => t.status === "PENDING")).toBe(true);
      expect(await events(id)).toEqual([]);
    }
  });

  it("a missing experiment is neither completed nor failed", async () => {
    expect(await completeExperimentIfFinished(prisma, "no-such-experiment")).toBeNull();
    expect(await failExperiment(prisma, "no-such-experiment", "gone")).toBe(false);
  });

  it("completes (not fails) a running experiment with no trees at all", async () => {
    const { id } = await experimentWithTrees();
    await prisma.searchTree.deleteMany({ where: { experimentId: id } });
    await prisma.experiment.update({ where: { id }, data: { status: "RUNNING" } });
    expect(await completeExperimentIfFinished(prisma, id, 10)).toMatchObject({ problems: 0, failedProblems: 0 });
    const stored = await prisma.experiment.findUniqueOrThrow({ where: { id } });
    expect([stored.status, stored.error]).toEqual(["COMPLETED", null]);
    expect((await events(id)).map(([type]) => type)).toEqual(["experiment.finished"]);
  });

  it("failExperiment ends only that experiment", async () => {
    const [target, bystander] = [await experimentWithTrees(), await experimentWithTrees()];
    await prisma.experiment.updateMany({ where: { id: { in: [target.id, bystander.id] } }, data: { status: "RUNNING" } });
    expect(await failExperiment(prisma, target.id, "stopped")).toBe(true);
    const stored = await prisma.experiment.findUniqueOrThrow({ where: { id: bystander.id } });
    expect([stored.status, stored.error]).toEqual(["RUNNING", null]);
    expect(await prisma.searchTree.count({ where: { experimentId: bystander.id, status: "PENDING" } })).toBe(4);
  });

  it("failExperiment passes a database error on (it is not 'no longer running') and changes nothing", async () => {
    const { id } = await experimentWithTrees();
    await prisma.experiment.update({ where: { id }, data: { status: "RUNNING" } });
    // Postgres refuses a NUL character in text: the experiment's update fails after the trees' update.
    await expect(failExperiment(prisma, id, "bad\u0000reason")).rejects.toThrow();
    expect((await prisma.experiment.findUniqueOrThrow({ where: { id } })).status).toBe("RUNNING");
    expect(await prisma.searchTree.count({ where: { experimentId: id, status: "PENDING" } })).toBe(4);
    expect(await events(id)).toEqual([]);
  });

  /**
   * Runs `act` while a rival transaction (another worker, or a user cancelling) has already moved the experiment to
   * `status` but not committed: `act` reads the old status, then its compare-and-set waits on the row lock; the rival
   * commits once Postgres shows that wait, so the compare-and-set is decided against the rival's status.
   */
  async function againstRival<T>(id: string, status: "COMPLETED" | "CANCELLED", act: () => Promise<T>): Promise<T> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const rival = prisma.$transaction(
      async (tx) => {
        await tx.experiment.update({ where: { id }, data: { status } });
        holding();
        await released;
      },
      { timeout: 30_000 },
    );
    await held;
    const acting = act();
    acting.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile
    try {
      await waitForExperimentLockWait();
    } finally {
      release();
      await rival;
    }
    return acting;
  }

  async function waitForExperimentLockWait(): Promise<void> {
    for (let tries = 0; tries < 400; tries++) {
      const [row] = await prisma.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%update%"Experiment"%'`;
      if (row && row.n > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error("the compare-and-set never waited on the rival's lock");
  }

  const racing = inject("databaseMode") === "embedded" ? it.skip : it; // embedded PGlite has one connection

  racing("completion loses to a rival that ends the experiment between its read and its compare-and-set", async () => {
    const { id, trees } = await experimentWithTrees();
    await prisma.experiment.update({ where: { id }, data: { status: "RUNNING" } });
    await prisma.searchTree.updateMany({ where: { id: { in: trees.map((t) => t.id) } }, data: { status: "FAILED" } });
    expect(await againstRival(id, "CANCELLED", () => completeExperimentIfFinished(prisma, id, 10))).toBeNull();
    const stored = await prisma.experiment.findUniqueOrThrow({ where: { id } });
    expect([stored.status, stored.error, stored.metrics]).toEqual(["CANCELLED", null, null]);
    expect(await events(id)).toEqual([]);
  });

  racing("failExperiment loses to a rival that ends the experiment meanwhile, and rolls its tree updates back", async () => {
    const { id, trees } = await experimentWithTrees();
    await prisma.experiment.update({ where: { id }, data: { status: "RUNNING" } });
    await prisma.searchTree.update({ where: { id: trees[0]!.id }, data: { status: "RUNNING" } });
    expect(await againstRival(id, "COMPLETED", () => failExperiment(prisma, id, "too late"))).toBe(false);
    const stored = await prisma.experiment.findUniqueOrThrow({ where: { id } });
    expect([stored.status, stored.error]).toEqual(["COMPLETED", null]);
    const statuses = await prisma.searchTree.findMany({ where: { experimentId: id }, orderBy: { problem: { ordinal: "asc" } }, select: { status: true } });
    expect(statuses.map((t) => t.status)).toEqual(["RUNNING", "PENDING", "PENDING", "PENDING"]);
    expect(await events(id)).toEqual([]);
  });

  it("findFinishedRunningExperiments lists running experiments whose trees are all done or failed, and no others", async () => {
    const finished = await experimentWithTrees();
    const unfinished = await experimentWithTrees();
    const notRunning = await experimentWithTrees();
    await prisma.experiment.updateMany({ where: { id: { in: [finished.id, unfinished.id] } }, data: { status: "RUNNING" } });
    await prisma.searchTree.updateMany({ where: { experimentId: { in: [finished.id, notRunning.id] } }, data: { status: "DONE" } });
    await prisma.searchTree.update({ where: { id: finished.trees[0]!.id }, data: { status: "FAILED" } });
    await prisma.searchTree.updateMany({ where: { experimentId: unfinished.id }, data: { status: "DONE" } });
    await prisma.searchTree.update({ where: { id: unfinished.trees[2]!.id }, data: { status: "CANCELLED" } });
    const found = await findFinishedRunningExperiments(prisma);
    expect(found).toContain(finished.id);
    expect(found).not.toContain(unfinished.id);
    expect(found).not.toContain(notRunning.id);
  });
});
