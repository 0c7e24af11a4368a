// The dashboard's tRPC API through createCaller on the real database: read models of a finished run, and how
// service errors reach the client.
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAiOverHttp } from "../helpers/scripted-runs.ts";
import { appRouter } from "../../server/api/root.ts";
import { createCallerFactory } from "../../server/api/trpc.ts";
import { importDataset } from "../../server/datasets/import-dataset.ts";
import { createExperimentFromInput } from "../../server/experiments/experiment-service.ts";
import { registerRunner } from "../../server/engine/runner-registry.ts";
import { runExperiment } from "../../server/engine/run-experiment.ts";
import { createSandbox } from "../../server/sandbox/index.ts";
import type { Sandbox } from "../../server/sandbox/types.ts";
import { startScriptedOpenAiServer, type ScriptedServer } from "../../server/dev-tools/scripted-openai-server.ts";
import { scriptedProblemsFrom } from "../../server/dev-tools/scripted-problems.ts";
import { uniqueName, useTestPrisma } from "../helpers/db.ts";
import { decodeTreeColumns } from "../../server/contracts/index.ts";

const PROBLEMS = [1, 2].map((k) => ({
  id: `sq${k}`,
  statement: `Square plus ${k}: write sq${k}(x) returning x * x + ${k}.`,
  entry_point: `sq${k}`,
  reference_solution: `def sq${k}(x):\n    return x * x + ${k}\n`,
  tests: [`assert sq${k}(2) == ${4 + k}`, { assert: `assert sq${k}(3) == ${9 + k}`, hidden: true }, { assert: `assert sq${k}(0) == ${k}`, hidden: true }],
}));

describe("experiments router", () => {
  const prisma = useTestPrisma();
  const caller = createCallerFactory(appRouter)({ prisma });
  const dataset = uniqueName("squares");
  let server: ScriptedServer;
  let sandbox: Sandbox;
  let experimentId: string;

  beforeAll(async () => {
    const bytes = new TextEncoder().encode(PROBLEMS.map((p) => JSON.stringify(p)).join("\n"));
    await importDataset(prisma, { source: { fileName: "squares.jsonl", bytes }, format: "jsonl", name: dataset });
    const problems = await prisma.problem.findMany({ where: { dataset: { name: dataset } } });
    server = await startScriptedOpenAiServer({ problems: scriptedProblemsFrom(problems), models: ["m"] });
    sandbox = await createSandbox();
    ({ id: experimentId } = await createExperimentFromInput(prisma, { dataset, mode: "pseudocode", llm: { baseUrl: server.url, model: "m" }, search: { rollouts: 5 } }));
    await runExperiment(prisma, experimentId, { sandbox, createLlm: openAiOverHttp });
  }, 60_000);
  afterAll(async () => {
    await sandbox?.close();
    await server?.close();
  });

  it("lists the experiment with its progress and metrics, filtered by dataset", async () => {
    const datasetId = (await prisma.dataset.findUniqueOrThrow({ where: { name: dataset } })).id;
    const rows = await caller.experiments.list({ datasetId });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: experimentId, status: "COMPLETED", problemsDone: 2, problemsTotal: 2 });
    const stored = await prisma.experiment.findUniqueOrThrow({ where: { id: experimentId }, select: { metrics: true } });
    expect(rows[0]!.metrics?.pass1).toEqual((stored.metrics as { pass1: number }).pass1);
    expect(rows[0]!.metrics?.pass1).toEqual(expect.any(Number));
    expect(await caller.experiments.list({ datasetId, status: "RUNNING" })).toHaveLength(0);
  });

  it("gives the per-problem table, a tree with pass counts on terminals, and a node with its executions and path", async () => {
    const detail = await caller.experiments.get({ id: experimentId });
    expect(detail.trees).toHaveLength(2);
    const row = detail.trees[0]!;
    expect(row.terminals).toBeGreaterThan(0);
    expect(row.tokens).toBeGreaterThan(0);

    const treeView = await caller.experiments.tree({ treeId: row.id });
    const tree = { ...treeView, nodes: decodeTreeColumns(treeView.columns) };
    expect(tree.nodes.length).toBeGreaterThan(3);
    const terminal = tree.nodes.find((n) => n.isTerminal && n.hidden !== null)!;
    expect(terminal.visible).toMatchObject({ total: 1 });
    expect(terminal.hidden).toMatchObject({ total: 2 });
    const storedTree = await prisma.searchTree.findUniqueOrThrow({ where: { id: row.id }, select: { finalNodeId: true } });
    expect(tree.finalNodeId).toEqual(expect.any(String));
    expect(tree.finalNodeId).toBe(storedTree.finalNodeId);
    expect(tree.nodes.some((n) => n.id === tree.finalNodeId && n.isTerminal)).toBe(true);

    const node = await caller.experiments.node({ nodeId: terminal.id });
    expect(node.executions.map((e) => e.origin)).toEqual(["dataset-visible", "dataset-hidden", "dataset-hidden"]);
    expect(node.pathText).toContain("--- step 1");
    expect(node.code).toContain(`def sq`);
  });

  it("maps service errors to tRPC codes: unknown ids, bad configs, no runner", async () => {
    await expect(caller.experiments.get({ id: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(caller.experiments.cancel({ id: experimentId })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(
      caller.experiments.launch({ configs: [{ dataset, mode: "pseudocode", llm: { baseUrl: "ftp://x", model: "m" } }] as never }),
    ).rejects.toBeInstanceOf(TRPCError);
    registerRunner(undefined);
    await expect(
      caller.experiments.launch({ configs: [{ dataset, mode: "vanilla", llm: { baseUrl: server.url, model: "m" } }] as never }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
  });
});
