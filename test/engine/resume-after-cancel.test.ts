// Resume after a cancel through the runner `o1c serve` uses (createLocalRunner: the job queue and its in-process
// worker): the cancelled trees go back to PENDING, are searched again from their stored nodes, and the experiment
// completes with every tree DONE (issue 18: nothing tested resume after cancel, so a resume that left the cancelled
// trees alone went unnoticed).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importDataset } from "../../server/datasets/import-dataset.ts";
import { cancelExperiment, createExperimentFromInput } from "../../server/experiments/experiment-service.ts";
import { createLocalRunner } from "../../server/engine/local-runner.ts";
import type { ExperimentRunner } from "../../server/engine/runner-registry.ts";
import { startScriptedOpenAiServer, type ScriptedServer } from "../../server/dev-tools/scripted-openai-server.ts";
import { scriptedProblemsFrom } from "../../server/dev-tools/scripted-problems.ts";
import { testDatabaseUrl, uniqueName, useTestPrisma } from "../helpers/db.ts";

const PROBLEMS = Array.from({ length: 4 }, (_, i) => ({
  id: `p${i + 1}`,
  statement: `Problem ${i + 1}: write a function inc${i + 1}(x) that returns x + ${i + 1}.`,
  entry_point: `inc${i + 1}`,
  reference_solution: `def inc${i + 1}(x):\n    return x + ${i + 1}\n`,
  tests: [`assert inc${i + 1}(1) == ${i + 2}`, { assert: `assert inc${i + 1}(10) == ${i + 11}`, hidden: true }],
}));

const ROLLOUTS = 150;

describe("resume after cancel", () => {
  const prisma = useTestPrisma();
  const dataset = uniqueName("incs");
  let server: ScriptedServer;
  let runner: ExperimentRunner;

  beforeAll(async () => {
    const bytes = new TextEncoder().encode(PROBLEMS.map((p) => JSON.stringify(p)).join("\n"));
    await importDataset(prisma, { source: { fileName: "incs.jsonl", bytes }, format: "jsonl", name: dataset });
    const problems = await prisma.problem.findMany({ where: { dataset: { name: dataset } } });
    server = await startScriptedOpenAiServer({ problems: scriptedProblemsFrom(problems), models: ["m"], latencyMs: 300 });
    runner = createLocalRunner(prisma, { databaseUrl: testDatabaseUrl(), concurrency: 2, heartbeatMs: 100, log: () => {} });
  }, 60_000);
  afterAll(async () => {
    await runner?.close();
    await server?.close();
  });

  it("re-queues the cancelled trees and completes the experiment", async () => {
    const { id } = await createExperimentFromInput(prisma, { dataset, mode: "pseudocode", llm: { baseUrl: server.url, model: "m" }, search: { rollouts: ROLLOUTS }, concurrency: 2 });
    runner.start(id);
    // Cancel while a tree is part-way through its search, so it stops between steps and is stored CANCELLED. The
    // worker notices at its next heartbeat (100 ms here); a tree needs a dozen or more LLM answers of 300 ms each
    // before its remaining rollouts only revisit stored nodes, so one seen early in its search cannot finish first.
    await until(async () => (await prisma.searchTree.count({ where: { experimentId: id, status: "RUNNING", rolloutsDone: { gte: 2 } } })) > 0);
    await cancelExperiment(prisma, id);
    await until(async () => (await prisma.searchTree.count({ where: { experimentId: id, status: "RUNNING" } })) === 0);
    await until(async () => (await prisma.searchTree.count({ where: { experimentId: id, status: "CANCELLED" } })) > 0);
    const cancelled = await prisma.searchTree.findMany({ where: { experimentId: id, status: "CANCELLED" }, select: { id: true, rolloutsDone: true } });
    expect(cancelled.length).toBeGreaterThan(0);
    // The tree seen part-way is among them; the other one searching beside it may have been stopped earlier still.
    expect(cancelled.some((t) => t.rolloutsDone >= 2)).toBe(true);
    expect(cancelled.every((t) => t.rolloutsDone < ROLLOUTS)).toBe(true);

    await runner.resume(id);
    const requeued = await prisma.searchTree.findMany({ where: { id: { in: cancelled.map((t) => t.id) } }, select: { status: true } });
    expect(requeued.filter((t) => t.status === "CANCELLED")).toEqual([]);
    expect((await prisma.experiment.findUniqueOrThrow({ where: { id } })).status).not.toBe("CANCELLED");

    await until(async () => (await prisma.experiment.findUniqueOrThrow({ where: { id } })).status === "COMPLETED", 120_000);
    const trees = await prisma.searchTree.findMany({ where: { experimentId: id }, select: { status: true, rolloutsDone: true } });
    expect(trees.map((t) => [t.status, t.rolloutsDone])).toEqual(PROBLEMS.map(() => ["DONE", ROLLOUTS]));
    const experiment = await prisma.experiment.findUniqueOrThrow({ where: { id } });
    expect(experiment.metrics).toMatchObject({ problems: 4, failedProblems: 0, unjudgedProblems: 0 });
    // The cancelled trees continued from their stored nodes: one root, visited once per rollout.
    const roots = await prisma.treeNode.findMany({ where: { treeId: { in: cancelled.map((t) => t.id) }, parentId: null }, select: { visits: true } });
    expect(roots.map((r) => r.visits)).toEqual(cancelled.map(() => ROLLOUTS));
    // Resuming a completed experiment is refused.
    await expect(runner.resume(id)).rejects.toThrow(/is not cancelled, failed or interrupted/);
  }, 180_000);
});

/** Polls a database condition (the runner gives no event to wait on); the ceiling only catches a hang. */
async function until(predicate: () => Promise<boolean>, ceilingMs = 60_000) {
  const deadline = Date.now() + ceilingMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error("condition not met before the ceiling");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
