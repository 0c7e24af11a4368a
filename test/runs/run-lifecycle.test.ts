// Cancel, resume after a cancel, and a problem whose LLM calls keep failing — on the starter-like tiny dataset so
// these run without the shared benchmark files.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importDataset } from "../../server/datasets/import-dataset.ts";
import { createOpenAiClient } from "../../server/llm/openai-client.ts";
import { cancelExperiment, createExperimentFromInput } from "../../server/experiments/experiment-service.ts";
import { runExperiment } from "../../server/engine/run-experiment.ts";
import { createSandbox } from "../../server/sandbox/index.ts";
import type { Sandbox } from "../../server/sandbox/types.ts";
import { startScriptedOpenAiServer, type ScriptedServer } from "../../server/dev-tools/scripted-openai-server.ts";
import { scriptedProblemsFrom } from "../../server/dev-tools/scripted-problems.ts";
import { uniqueName, useTestPrisma } from "../helpers/db.ts";

const PROBLEMS = Array.from({ length: 6 }, (_, i) => ({
  id: `p${i + 1}`,
  statement: `Problem ${i + 1}: write a function add${i + 1}(x) that returns x + ${i + 1}.`,
  entry_point: `add${i + 1}`,
  reference_solution: `def add${i + 1}(x):\n    return x + ${i + 1}\n`,
  tests: [`assert add${i + 1}(1) == ${i + 2}`, { assert: `assert add${i + 1}(10) == ${i + 11}`, hidden: true }],
}));

describe("experiment lifecycle", () => {
  const prisma = useTestPrisma();
  const dataset = uniqueName("adders");
  let sandbox: Sandbox;
  let server: ScriptedServer;

  beforeAll(async () => {
    const bytes = new TextEncoder().encode(PROBLEMS.map((p) => JSON.stringify(p)).join("\n"));
    await importDataset(prisma, { source: { fileName: "adders.jsonl", bytes }, format: "jsonl", name: dataset });
    const problems = await prisma.problem.findMany({ where: { dataset: { name: dataset } } });
    server = await startScriptedOpenAiServer({ problems: scriptedProblemsFrom(problems), models: ["m"], latencyMs: 20 });
    sandbox = await createSandbox();
  }, 60_000);
  afterAll(async () => {
    await sandbox?.close();
    await server?.close();
  });

  const deps = () => ({ sandbox, cancelPollMs: 50, createLlm: (llm: { baseUrl?: string; model?: string }) => createOpenAiClient({ baseUrl: llm.baseUrl!, model: llm.model!, maxRetries: 1 }) });

  it("cancel stops the run between steps; the stored trees stay consistent", async () => {
    server.setFaults({});
    const { id } = await createExperimentFromInput(prisma, { dataset, mode: "pseudocode", llm: { baseUrl: server.url, model: "m" }, search: { rollouts: 40 }, concurrency: 2 });
    const running = runExperiment(prisma, id, deps());
    await waitFor(async () => (await prisma.treeNode.count({ where: { tree: { experimentId: id } } })) > 5);
    await cancelExperiment(prisma, id);
    // Trees nobody had claimed when the cancel was stored: no worker may start them afterwards.
    const unstarted = await prisma.searchTree.findMany({ where: { experimentId: id, status: "PENDING", claimToken: null }, select: { id: true } });
    const result = await running;
    expect(result.status).toBe("cancelled");
    const experiment = await prisma.experiment.findUniqueOrThrow({ where: { id } });
    expect(experiment.status).toBe("CANCELLED");
    const trees = await prisma.searchTree.findMany({ where: { experimentId: id }, include: { nodes: true } });
    // The trees in flight stop between steps (CANCELLED), or are stored DONE when their search had already used its
    // rollouts (identical siblings are merged, so a small tree can be used up early) and only judging was left.
    expect(unstarted.length).toBeGreaterThan(0);
    const later = trees.filter((t) => unstarted.some((u) => u.id === t.id));
    expect(later.map((t) => [t.status, t.nodes.length])).toEqual(unstarted.map(() => ["PENDING", 0]));
    expect(trees.some((t) => t.status !== "DONE")).toBe(true);
    expect(trees.filter((t) => t.status === "DONE" && t.rolloutsDone !== 40)).toEqual([]);
    for (const tree of trees) {
      const root = tree.nodes.find((n) => n.parentId === null);
      if (root) expect(root.visits).toBe(tree.rolloutsDone);
    }
    await expect(cancelExperiment(prisma, id)).rejects.toThrow(/already cancelled/);
  }, 60_000);

  it("a problem whose LLM calls keep failing is recorded on its tree; with every problem failed the experiment is FAILED", async () => {
    server.setFaults({ rate: 1, kinds: ["server-error"] });
    try {
      const { id } = await createExperimentFromInput(prisma, { dataset, mode: "vanilla", problems: { kind: "range", from: 1, to: 2 }, llm: { baseUrl: server.url, model: "m" } });
      const result = await runExperiment(prisma, id, deps());
      expect(result.status).toBe("failed");
      expect(result.error).toMatch(/^all 2 problems failed/);
      expect(result.metrics).toMatchObject({ problems: 2, failedProblems: 2, pass1: 0 });
      expect(result.metrics!.llmRetries).toBeGreaterThanOrEqual(2);
      const trees = await prisma.searchTree.findMany({ where: { experimentId: id } });
      expect(trees.map((t) => t.status)).toEqual(["FAILED", "FAILED"]);
      expect(trees[0]!.error).toMatch(/500|server/i);
    } finally {
      server.setFaults({});
    }
  }, 60_000);
});

async function waitFor(predicate: () => Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
