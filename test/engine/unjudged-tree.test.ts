// A problem without a hidden test is searched but not judged (issue 18: a null hidden verdict counted as a pass
// survived mutation): its terminals count as not passing, and the experiment leaves it out of Pass@1 and ASPR.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importJsonlRecords, openAiOverHttp } from "../helpers/scripted-runs.ts";
import { createExperimentFromInput } from "../../server/experiments/experiment-service.ts";
import { runExperiment } from "../../server/engine/run-experiment.ts";
import type { TreeMetrics } from "../../server/evaluation/index.ts";
import { createSandbox } from "../../server/sandbox/index.ts";
import type { Sandbox } from "../../server/sandbox/types.ts";
import { startScriptedOpenAiServer, type ScriptedServer } from "../../server/dev-tools/scripted-openai-server.ts";
import { scriptedProblemsFrom } from "../../server/dev-tools/scripted-problems.ts";
import { uniqueName, useTestPrisma } from "../helpers/db.ts";

const PROBLEMS = [
  { id: "judged", statement: "Write a function neg(x) that returns -x.", entry_point: "neg", reference_solution: "def neg(x):\n    return -x\n", tests: ["assert neg(1) == -1", { assert: "assert neg(-5) == 5", hidden: true }] },
  { id: "unjudged", statement: "Write a function half(x) that returns x // 2.", entry_point: "half", reference_solution: "def half(x):\n    return x // 2\n", tests: ["assert half(4) == 2"] },
];

describe("a problem without hidden tests", () => {
  const prisma = useTestPrisma();
  const dataset = uniqueName("unjudged");
  let sandbox: Sandbox;
  let server: ScriptedServer;

  beforeAll(async () => {
    const { problems } = await importJsonlRecords(prisma, dataset, PROBLEMS);
    server = await startScriptedOpenAiServer({ problems: scriptedProblemsFrom(problems), models: ["m"] });
    sandbox = await createSandbox();
  }, 60_000);
  afterAll(async () => {
    await sandbox?.close();
    await server?.close();
  });

  it("has no passing terminal and stays out of the experiment's Pass@1 and ASPR", async () => {
    const { id } = await createExperimentFromInput(prisma, { dataset, mode: "vanilla", llm: { baseUrl: server.url, model: "m" }, search: { rollouts: 6 } });
    const result = await runExperiment(prisma, id, { sandbox, createLlm: openAiOverHttp });
    expect(result.status).toBe("completed");
    const trees = await prisma.searchTree.findMany({ where: { experimentId: id }, orderBy: { problem: { ordinal: "asc" } }, select: { metrics: true } });
    const [judged, unjudged] = trees.map((t) => t.metrics as unknown as TreeMetrics);
    expect(unjudged!.judged).toBe(false);
    expect(unjudged!.terminals).toBeGreaterThan(0);
    expect(unjudged!.terminalPasses).toEqual(unjudged!.terminalPasses.map(() => false));
    expect([unjudged!.terminalsPassing, unjudged!.finalAnswerPasses]).toEqual([0, false]);
    expect(judged).toMatchObject({ judged: true, finalAnswerPasses: true });
    expect(result.metrics).toMatchObject({ problems: 1, unjudgedProblems: 1, failedProblems: 0, pass1: 1 });
  }, 120_000);
});
