// Standard judging (issue 13 point 3): MBPP's verdict is all three test_list asserts, the search-visible one included;
// challenge_test_list asserts give a separate, named verdict and never decide the main one.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAiOverHttp } from "../helpers/scripted-runs.ts";
import { importDataset } from "../../server/datasets/import-dataset.ts";
import { createExperimentFromInput } from "../../server/experiments/experiment-service.ts";
import { runExperiment } from "../../server/engine/run-experiment.ts";
import type { TreeMetrics } from "../../server/evaluation/index.ts";
import { createSandbox } from "../../server/sandbox/index.ts";
import type { Sandbox } from "../../server/sandbox/types.ts";
import { startScriptedOpenAiServer, type ScriptedServer } from "../../server/dev-tools/index.ts";
import { uniqueName, useTestPrisma } from "../helpers/db.ts";

// Task 1: the policy's code fails only the visible assert. Task 2: it passes test_list but not the challenge assert.
const FAILS_VISIBLE = "def sq(x):\n    return x * x if x else 1\n";
const FAILS_CHALLENGE = "def cb(x):\n    return x ** 3 if x < 50 else 0\n";
const RECORDS = [
  {
    task_id: 1,
    text: "Write a function sq that squares an integer, zero included.",
    code: "def sq(x):\n    return x * x\n",
    test_setup_code: "",
    test_list: ["assert sq(0) == 0", "assert sq(2) == 4", "assert sq(3) == 9"],
    challenge_test_list: [],
  },
  {
    task_id: 2,
    text: "Write a function cb that returns the cube of an integer.",
    code: "def cb(x):\n    return x ** 3\n",
    test_setup_code: "",
    test_list: ["assert cb(1) == 1", "assert cb(2) == 8", "assert cb(3) == 27"],
    challenge_test_list: ["assert cb(100) == 1000000"],
  },
];

describe("standard judging on MBPP", () => {
  const prisma = useTestPrisma();
  let sandbox: Sandbox;
  let server: ScriptedServer;
  let dataset: string;

  beforeAll(async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "o1c-judging-")), "mbpp.jsonl");
    writeFileSync(file, RECORDS.map((r) => JSON.stringify(r)).join("\n") + "\n");
    dataset = uniqueName("mbpp-judging");
    await importDataset(prisma, { source: { path: file }, format: "mbpp", name: dataset });
    server = await startScriptedOpenAiServer({
      problems: [
        { id: "1", snippet: "squares an integer", correctCode: FAILS_VISIBLE, wrongCode: FAILS_VISIBLE },
        { id: "2", snippet: "cube of an integer", correctCode: FAILS_CHALLENGE, wrongCode: FAILS_CHALLENGE },
      ],
      models: ["m"],
    });
    sandbox = await createSandbox();
  }, 60_000);

  afterAll(async () => {
    await sandbox?.close();
    await server?.close();
  });

  it("judges on all test_list asserts and keeps challenge asserts a separate verdict", async () => {
    const experiment = await createExperimentFromInput(prisma, {
      dataset,
      problems: { kind: "all" },
      mode: "pseudocode",
      llm: { baseUrl: server.url, model: "m" },
      search: { rollouts: 3, children: 2 },
    });
    const result = await runExperiment(prisma, experiment.id, {
      sandbox,
      createLlm: openAiOverHttp,
    });
    expect(result.status).toBe("completed");
    const trees = await prisma.searchTree.findMany({ where: { experimentId: experiment.id }, include: { problem: true } });
    const byTask = new Map(trees.map((t) => [t.problem.externalId, t.metrics as unknown as TreeMetrics]));
    // Fails the visible assert: not correct, even though it passes both hidden test_list asserts.
    expect(byTask.get("1")!.finalAnswerPasses).toBe(false);
    expect(byTask.get("1")!.challengePasses).toBeNull();
    // Passes all of test_list: correct; the challenge assert is its own verdict.
    expect(byTask.get("2")!.finalAnswerPasses).toBe(true);
    expect(byTask.get("2")!.challengePasses).toBe(false);
    const metrics = result.metrics!;
    expect(metrics.pass1).toBe(0.5);
    expect(metrics.challenge).toEqual({ problems: 1, pass1: 0 });
    expect(metrics.plus).toBeNull();
  }, 120_000);

  it("stores the challenge asserts as their own suite", async () => {
    const tests = await prisma.testCase.findMany({ where: { problem: { dataset: { name: dataset } } } });
    expect(tests.filter((t) => t.suite === "CHALLENGE").map((t) => t.input)).toEqual(["assert cb(100) == 1000000"]);
    expect(tests.filter((t) => t.suite === "BASE")).toHaveLength(6);
  });
});
