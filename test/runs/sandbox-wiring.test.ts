// The sandbox as the engine uses it: each evaluated node keeps its code's top-level output (prints outside the tests)
// and the node view returns it; the experiment config's sandbox limits reach the search's evaluations and the
// hidden-test judging. The candidate code is the problem's reference (the scripted server's "correct" answer), which
// prints while it loads and takes 0.8 s per call.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importDataset } from "../../server/datasets/import-dataset.ts";
import { createOpenAiClient } from "../../server/llm/openai-client.ts";
import { createExperimentFromInput } from "../../server/experiments/experiment-service.ts";
import { getNodeDetail } from "../../server/experiments/tree-view.ts";
import { runExperiment } from "../../server/engine/run-experiment.ts";
import { parseExperimentConfig, SANDBOX_SEARCH_LIMITS } from "../../server/contracts/index.ts";
import { createSandbox } from "../../server/sandbox/index.ts";
import type { Sandbox } from "../../server/sandbox/types.ts";
import { startScriptedOpenAiServer, type ScriptedServer } from "../../server/dev-tools/scripted-openai-server.ts";
import { scriptedProblemsFrom } from "../../server/dev-tools/scripted-problems.ts";
import { uniqueName, useTestPrisma } from "../helpers/db.ts";

const REFERENCE = [
  'print("loading the table")',
  "import sys",
  'print("warming up", file=sys.stderr)',
  "",
  "def slow_inc(x):",
  "    import time",
  "    time.sleep(0.8)",
  "    return x + 1",
  "",
].join("\n");
const PROBLEM = { id: "slow", statement: "Slow inc: write slow_inc(x) returning x + 1.", entry_point: "slow_inc", reference_solution: REFERENCE, tests: ["assert slow_inc(1) == 2", { assert: "assert slow_inc(2) == 3", hidden: true }] };

describe("sandbox wiring of the search", () => {
  const prisma = useTestPrisma();
  const dataset = uniqueName("slow");
  let sandbox: Sandbox;
  let server: ScriptedServer;

  beforeAll(async () => {
    const bytes = new TextEncoder().encode(JSON.stringify(PROBLEM));
    await importDataset(prisma, { source: { fileName: "slow.jsonl", bytes }, format: "jsonl", name: dataset });
    const problems = await prisma.problem.findMany({ where: { dataset: { name: dataset } } });
    server = await startScriptedOpenAiServer({ problems: scriptedProblemsFrom(problems), models: ["m"], latencyMs: 5 });
    sandbox = await createSandbox();
  }, 60_000);
  afterAll(async () => {
    await sandbox?.close();
    await server?.close();
  });

  const deps = () => ({ sandbox, createLlm: (llm: { baseUrl?: string; model?: string }) => createOpenAiClient({ baseUrl: llm.baseUrl!, model: llm.model! }) });

  async function run(extra: object) {
    const { id } = await createExperimentFromInput(prisma, { dataset, mode: "vanilla", llm: { baseUrl: server.url, model: "m" }, search: { rollouts: 3, children: 2 }, seed: 1, ...extra });
    const result = await runExperiment(prisma, id, deps());
    const nodes = await prisma.treeNode.findMany({ where: { tree: { experimentId: id }, code: { not: null } }, include: { executions: { include: { testCase: true } } } });
    return { result, nodes };
  }

  it("the config carries the search-sized limits by default and refuses a program timeout below the test timeout", () => {
    const config = parseExperimentConfig({ dataset, mode: "vanilla", llm: { baseUrl: "http://127.0.0.1:1/v1", model: "m" } });
    expect(config.sandbox).toEqual({ testTimeoutMs: 3_000, programTimeoutMs: 10_000, timeoutsPerRun: 1 });
    expect(config.sandbox).toEqual(SANDBOX_SEARCH_LIMITS);
    expect(() => parseExperimentConfig({ dataset, mode: "vanilla", llm: { baseUrl: "http://127.0.0.1:1/v1", model: "m" }, sandbox: { testTimeoutMs: 5_000, programTimeoutMs: 1_000 } }, "exp.json")).toThrow(
      "exp.json field sandbox.programTimeoutMs: must be at least the per-test timeout",
    );
  });

  it("stores each evaluated node's top-level output, and the node view returns it", async () => {
    const { result, nodes } = await run({});
    expect(result.status).toBe("completed");
    const correct = nodes.filter((n) => n.code!.includes("slow_inc") && !n.code!.includes("_reference_"));
    expect(correct.length).toBeGreaterThan(0);
    for (const node of correct) {
      expect(node.topLevelStdout).toBe("loading the table\n");
      expect(node.topLevelStderr).toBe("warming up\n");
      expect(node.executions.every((e) => e.status === "PASS")).toBe(true);
    }
    const detail = await getNodeDetail(prisma, correct[0]!.id);
    expect(detail.topLevelOutput).toEqual({ stdout: "loading the table\n", stderr: "warming up\n" });
  }, 90_000);

  it("the experiment's per-test timeout reaches the search's runs and the hidden judging", async () => {
    const { nodes } = await run({ sandbox: { testTimeoutMs: 300, programTimeoutMs: 2_000 } });
    const executions = nodes.flatMap((n) => n.executions);
    const visible = executions.filter((e) => e.testCase.origin === "DATASET_VISIBLE");
    const hidden = executions.filter((e) => e.testCase.origin === "DATASET_HIDDEN");
    expect(visible.length).toBeGreaterThan(0);
    expect(hidden.length).toBeGreaterThan(0);
    // 0.8 s per call against a 300 ms limit: every run of it times out, visible and hidden alike.
    expect(new Set(executions.map((e) => e.status))).toEqual(new Set(["TIMEOUT"]));
  }, 90_000);
});
