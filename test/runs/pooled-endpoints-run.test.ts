// An experiment with llm.baseUrls: three scripted servers serving the same model, the production LLM factory, the
// real sandbox and database. The policy and the judge PRM (on the policy endpoint) spread their requests over the
// fleet; a server that only fails is cooled down and the run completes on the others; with all of them down the trees
// fail with the transient LLM error the job queue backs off on.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { importDataset } from "../../server/datasets/import-dataset.ts";
import { createLlmFactory, type LlmFactory } from "../../server/llm/create-llm-client.ts";
import type { ExperimentConfigInput } from "../../server/contracts/experiment-config.ts";
import { createExperimentFromInput } from "../../server/experiments/experiment-service.ts";
import { runExperiment } from "../../server/engine/run-experiment.ts";
import { createSandbox } from "../../server/sandbox/index.ts";
import type { Sandbox } from "../../server/sandbox/types.ts";
import { startScriptedOpenAiServer, type ScriptedServer } from "../../server/dev-tools/scripted-openai-server.ts";
import { scriptedProblemsFrom } from "../../server/dev-tools/scripted-problems.ts";
import { uniqueName, useTestPrisma } from "../helpers/db.ts";
import { o1c } from "../helpers/o1c.ts";

const PROBLEMS = Array.from({ length: 6 }, (_, i) => ({
  id: `p${i + 1}`,
  statement: `Problem ${i + 1}: write a function twice${i + 1}(x) that returns ${i + 2} * x.`,
  entry_point: `twice${i + 1}`,
  reference_solution: `def twice${i + 1}(x):\n    return ${i + 2} * x\n`,
  tests: [`assert twice${i + 1}(1) == ${i + 2}`, { assert: `assert twice${i + 1}(10) == ${10 * (i + 2)}`, hidden: true }],
}));

describe("an experiment over several LLM endpoints", () => {
  const prisma = useTestPrisma();
  const dataset = uniqueName("fleet");
  let sandbox: Sandbox;
  let fleet: ScriptedServer[] = [];
  let llms: LlmFactory;

  beforeAll(async () => {
    const bytes = new TextEncoder().encode(PROBLEMS.map((p) => JSON.stringify(p)).join("\n"));
    await importDataset(prisma, { source: { fileName: "fleet.jsonl", bytes }, format: "jsonl", name: dataset });
    sandbox = await createSandbox();
  }, 60_000);
  afterAll(async () => {
    await sandbox?.close();
  });
  afterEach(async () => {
    await llms?.close();
    await Promise.all(fleet.map((s) => s.close().catch(() => {})));
  });

  async function startFleet() {
    const problems = scriptedProblemsFrom(await prisma.problem.findMany({ where: { dataset: { name: dataset } } }));
    fleet = await Promise.all([1, 2, 3].map(() => startScriptedOpenAiServer({ problems, models: ["m"], latencyMs: 50 })));
    llms = createLlmFactory();
  }

  async function run(extra: Partial<ExperimentConfigInput> = {}) {
    const config: ExperimentConfigInput = {
      dataset,
      mode: "pseudocode",
      llm: { baseUrls: fleet.map((s) => s.url), model: "m" },
      search: { rollouts: 4, children: 2, maxDepth: 4 },
      concurrency: 6,
      ...extra,
    };
    const { id } = await createExperimentFromInput(prisma, config);
    const result = await runExperiment(prisma, id, { sandbox, createLlm: (endpoint) => llms.create(endpoint) });
    const trees = await prisma.searchTree.findMany({ where: { experimentId: id } });
    const experiment = await prisma.experiment.findUniqueOrThrow({ where: { id } });
    return { result, trees, experiment };
  }

  const bodies = (s: ScriptedServer) => s.requests.filter((r) => r.path.endsWith("completions")).map((r) => r.body as { max_tokens?: number });

  it("spreads policy and judge requests roughly evenly (each server ≥ 20%)", async () => {
    await startFleet();
    const { result, experiment } = await run({ prm: { mode: "judge" } });
    expect(result.status).toBe("completed");
    expect(result.metrics).toMatchObject({ problems: 6, failedProblems: 0 });
    expect(experiment.llmBaseUrl).toBe(`${fleet[0]!.url} (+2 more)`);
    const perServer = fleet.map((s) => bodies(s).length);
    const total = perServer.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(30);
    for (const count of perServer) expect(count / total).toBeGreaterThanOrEqual(0.2);
    // The judge PRM defaults to the policy endpoint, so its one-token requests are spread too.
    for (const server of fleet) expect(bodies(server).filter((b) => b.max_tokens === 1).length).toBeGreaterThan(0);
    const [spread] = llms.endpointSpread();
    expect(spread!.endpoints.map((e) => e.requests)).toEqual(perServer);
    expect(spread!.endpoints.every((e) => e.healthy && e.failures === 0)).toBe(true);
  }, 30_000);

  it("a server that only fails is cooled down; the run completes on the others", async () => {
    await startFleet();
    fleet[1]!.setFaults({ rate: 1, kinds: ["server-error"] });
    const { result, trees } = await run();
    expect(result.metrics).toMatchObject({ problems: 6, failedProblems: 0 });
    const [spread] = llms.endpointSpread();
    expect(spread!.endpoints[1]).toMatchObject({ healthy: false, cooldowns: 1 });
    expect(spread!.endpoints[1]!.failures).toBe(spread!.endpoints[1]!.requests);
    expect(spread!.endpoints[1]!.requests).toBeLessThanOrEqual(3 + 6); // the threshold, plus ones already on their way
    // Every failed attempt was re-sent elsewhere, and counted as a retry of its tree.
    expect(trees.reduce((sum, t) => sum + t.llmRetries, 0)).toBe(spread!.endpoints[1]!.failures);
    expect(bodies(fleet[0]!).length + bodies(fleet[2]!).length).toBeGreaterThan(20);
  }, 30_000);

  it("with every server down the experiment fails at once, naming every server; the tree says why", async () => {
    await startFleet();
    await Promise.all(fleet.map((s) => s.close()));
    const { result, trees, experiment } = await run({ problems: { kind: "range", from: 1, to: 2 }, llm: { baseUrls: fleet.map((s) => s.url), model: "m", maxRetries: 2 } });
    expect(result.status).toBe("failed");
    expect(experiment.status).toBe("FAILED");
    expect(experiment.error).toContain(`every request to ${fleet.map((s) => s.url).join(", ")} failed to connect: ECONNREFUSED`);
    // The first tree to give up fails the experiment; the other stops there (failed too, or cancelled mid-request).
    const failed = trees.filter((t) => t.status === "FAILED");
    expect(failed.length).toBeGreaterThanOrEqual(1);
    for (const tree of failed) {
      // (Two trees at once: one may find the last server already cooled down by the other, and probe it after a wait.)
      expect(tree.error).toMatch(/LLM request failed after 3 attempts on [23] of 3 endpoints; all 3 endpoints are cooling down/);
    }
  }, 30_000);

  it("o1c run takes --llm repeated or comma-separated and prints the spread", async () => {
    await startFleet();
    const [a, b, c] = fleet.map((s) => s.url);
    const args = ["run", "--dataset", dataset, "--problems", "1-3", "--mode", "vanilla", "--model", "m", "--rollouts", "2"];
    const { code, stderr } = await o1c([...args, "--llm", a!, "--llm", `${b},${c}`]);
    expect(code, stderr).toBe(0);
    expect(stderr).toContain("LLM requests per endpoint");
    for (const server of fleet) {
      expect(bodies(server).length).toBeGreaterThan(0);
      expect(stderr).toContain(`${server.url}  ${bodies(server).length} (`);
    }
  }, 30_000);
});
