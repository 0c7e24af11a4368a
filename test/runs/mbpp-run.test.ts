// A 20-problem MBPP experiment end to end: scripted OpenAI-compatible server over real HTTP, the real sandbox, the
// real database. Checks persistence, metrics against the stored trees, determinism and evaluation integrity.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAiOverHttp } from "../helpers/scripted-runs.ts";
import { importDataset } from "../../server/datasets/import-dataset.ts";
import { createExperimentFromInput } from "../../server/experiments/experiment-service.ts";
import { runExperiment } from "../../server/engine/run-experiment.ts";
import type { TreeMetrics } from "../../server/evaluation/index.ts";
import { createSandbox } from "../../server/sandbox/index.ts";
import type { Sandbox } from "../../server/sandbox/types.ts";
import { describeWithDataset } from "../helpers/datasets.ts";
import { scriptedProblemsFrom } from "../../server/dev-tools/scripted-problems.ts";
import { startScriptedOpenAiServer, type ScriptedServer } from "../../server/dev-tools/scripted-openai-server.ts";
import { uniqueName, useTestPrisma } from "../helpers/db.ts";

describeWithDataset("MBPP experiment, 20 problems", "mbpp.jsonl", (mbppPath) => {
  const prisma = useTestPrisma();
  let sandbox: Sandbox;
  let server: ScriptedServer;
  let dataset: string;

  beforeAll(async () => {
    dataset = uniqueName("mbpp");
    await importDataset(prisma, { source: { path: mbppPath }, format: "mbpp", name: dataset });
    const problems = await prisma.problem.findMany({ where: { dataset: { name: dataset }, ordinal: { lte: 20 } }, orderBy: { ordinal: "asc" } });
    server = await startScriptedOpenAiServer({ problems: scriptedProblemsFrom(problems), models: ["m"], correctRate: 0.5 });
    sandbox = await createSandbox();
  }, 60_000);

  afterAll(async () => {
    await sandbox?.close();
    await server?.close();
  });

  async function run(seed: number) {
    const experiment = await createExperimentFromInput(prisma, {
      dataset,
      problems: { kind: "range", from: 1, to: 20 },
      mode: "pseudocode",
      llm: { baseUrl: server.url, model: "m" },
      search: { rollouts: 6, children: 3 },
      seed,
      concurrency: 4,
    });
    const result = await runExperiment(prisma, experiment.id, {
      sandbox,
      createLlm: openAiOverHttp,
    });
    return { id: experiment.id, result };
  }

  async function treeShape(experimentId: string) {
    const nodes = await prisma.treeNode.findMany({
      where: { tree: { experimentId } },
      orderBy: [{ tree: { problem: { ordinal: "asc" } } }, { seq: "asc" }],
      select: { seq: true, depth: true, stepIndex: true, actionKind: true, stepText: true, code: true, visits: true, valueSum: true, reward: true },
    });
    return nodes;
  }

  let first: Awaited<ReturnType<typeof run>>;

  it("completes, persisting every tree with Q, N, steps and test executions", async () => {
    first = await run(7);
    expect(first.result.status).toBe("completed");
    const metrics = first.result.metrics!;
    expect(metrics.problems).toBe(20);
    expect(metrics.failedProblems).toBe(0);
    // Half the scripted code answers are wrong; the visible test tells them apart, so search beats a random terminal.
    expect(metrics.aspr).toBeGreaterThan(0.2);
    expect(metrics.aspr).toBeLessThan(0.8);
    expect(metrics.pass1).toBeGreaterThan(metrics.aspr!);
    expect(metrics.promptTokens).toBeGreaterThan(0);

    const trees = await prisma.searchTree.findMany({ where: { experimentId: first.id }, include: { nodes: true } });
    expect(trees).toHaveLength(20);
    for (const tree of trees) {
      expect(tree.status).toBe("DONE");
      expect(tree.rolloutsDone).toBe(6);
      const root = tree.nodes.find((n) => n.parentId === null)!;
      expect(root.visits).toBe(6); // every rollout passes through the root
      // Q and N of a node equal the sums over its children plus the rollouts that ended on it.
      for (const node of tree.nodes.filter((n) => !n.isTerminal && n.visits > 0)) {
        const children = tree.nodes.filter((c) => c.parentId === node.id);
        expect(children.reduce((s, c) => s + c.visits, 0)).toBe(node.visits);
        expect(children.reduce((s, c) => s + c.valueSum, 0)).toBeCloseTo(node.valueSum, 9);
      }
      const terminals = tree.nodes.filter((n) => n.isTerminal && n.code);
      expect(terminals.length).toBeGreaterThan(0);
    }
    const executions = await prisma.execution.findMany({
      where: { node: { tree: { experimentId: first.id } } },
      select: { status: true, testCase: { select: { origin: true } } },
    });
    expect(executions.some((e) => e.testCase.origin === "DATASET_VISIBLE")).toBe(true);
    expect(executions.some((e) => e.testCase.origin === "DATASET_HIDDEN")).toBe(true);
    expect(executions.some((e) => e.status === "PASS")).toBe(true);
    expect(executions.some((e) => e.status !== "PASS")).toBe(true);
  }, 240_000);

  it("its metrics agree with the stored trees", async () => {
    const trees = await prisma.searchTree.findMany({ where: { experimentId: first.id } });
    const perTree = trees.map((t) => t.metrics as unknown as TreeMetrics);
    const pass1 = perTree.filter((m) => m.finalAnswerPasses).length / perTree.length;
    const aspr = perTree.reduce((s, m) => s + m.terminalsPassing / m.terminals, 0) / perTree.length;
    expect(first.result.metrics!.pass1).toBeCloseTo(pass1, 12);
    expect(first.result.metrics!.aspr).toBeCloseTo(aspr, 12);
    const experiment = await prisma.experiment.findUniqueOrThrow({ where: { id: first.id } });
    expect(experiment.status).toBe("COMPLETED");
    const events = await prisma.experimentEvent.findMany({ where: { experimentId: first.id }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1)); // gap-free
    expect(events.at(-1)!.type).toBe("experiment.finished");
  });

  it("the same seed grows the same trees", async () => {
    const second = await run(7);
    expect(await treeShape(second.id)).toEqual(await treeShape(first.id));
    expect(second.result.metrics!.pass1).toBe(first.result.metrics!.pass1);
  }, 240_000);

  it("no hidden test text appears in any LLM request", async () => {
    const hidden = await prisma.testCase.findMany({ where: { problem: { dataset: { name: dataset }, ordinal: { lte: 20 } }, origin: "DATASET_HIDDEN" } });
    expect(hidden.length).toBeGreaterThan(20);
    const bodies = server.requests.map((r) => r.rawBody);
    expect(bodies.length).toBeGreaterThan(0);
    for (const test of hidden) {
      const text = JSON.stringify(test.input).slice(1, -1); // as it would appear inside a JSON request body
      expect(bodies.some((b) => b.includes(text))).toBe(false);
    }
  });
});

describe("experiment creation", () => {
  const prisma = useTestPrisma();

  it("names the field of a bad config and writes nothing", async () => {
    const name = uniqueName("bad-config");
    const llm = { baseUrl: "http://127.0.0.1:1/v1", model: "m" };
    await expect(createExperimentFromInput(prisma, { name, dataset: "any", mode: "pseudocode", llm, search: { rollouts: 0 } })).rejects.toThrow(
      /config field search\.rollouts/,
    );
    await expect(createExperimentFromInput(prisma, { name, dataset: uniqueName("nope"), mode: "vanilla", llm })).rejects.toThrow(
      /config field dataset: no dataset named/,
    );
    expect(await prisma.experiment.count({ where: { name } })).toBe(0);
  });
});
