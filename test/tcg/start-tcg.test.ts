// Launching a TCG run the way the dashboard does: tcg.start through the `o1c serve` runner (createLocalRunner, no
// queue worker, so it makes its own sandbox), over the scripted LLM server, the real sandbox and Postgres. The call
// returns at once with the run id; the run completes in the background. A bad config writes nothing, and a stopping
// runner leaves no run "running".
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../../server/api/root.ts";
import { createCallerFactory } from "../../server/api/trpc.ts";
import { importDataset } from "../../server/datasets/import-dataset.ts";
import { createLocalRunner } from "../../server/engine/local-runner.ts";
import { registerRunner, type ExperimentRunner } from "../../server/engine/runner-registry.ts";
import type { Db } from "../../server/db/client.ts";
import { startScriptedOpenAiServer, type ScriptedServer } from "../../server/dev-tools/scripted-openai-server.ts";
import { scriptedProblemsFrom } from "../../server/dev-tools/scripted-problems.ts";
import { testDatabaseUrl, uniqueName, useTestPrisma } from "../helpers/db.ts";

const RECORDS = [1, 2, 3].map((k) => ({
  id: `plus${k}`,
  statement: `Plus ${k}: write plus${k}(x) returning x + ${k}.`,
  entry_point: `plus${k}`,
  reference_solution: `def plus${k}(x):\n    return x + ${k}\n`,
  tests: [`assert plus${k}(1) == ${1 + k}`, `assert plus${k}(5) == ${5 + k}`, { assert: `assert plus${k}(0) == ${k}`, hidden: true }],
}));

async function waitForStatus(prisma: Db, runId: string, until: (status: string) => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await prisma.tcgRun.findUniqueOrThrow({ where: { id: runId } });
    if (until(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`TCG run ${runId} still ${run.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("tcg.start through the local runner", () => {
  const prisma = useTestPrisma();
  const caller = createCallerFactory(appRouter)({ prisma });
  const dataset = uniqueName("tcg-start");
  let server: ScriptedServer;
  let runner: ExperimentRunner;

  beforeAll(async () => {
    const bytes = new TextEncoder().encode(RECORDS.map((r) => JSON.stringify(r)).join("\n"));
    await importDataset(prisma, { source: { fileName: "plus.jsonl", bytes }, format: "jsonl", name: dataset });
    const problems = await prisma.problem.findMany({ where: { dataset: { name: dataset } }, include: { testCases: true } });
    const scripted = scriptedProblemsFrom(
      problems.map((p) => ({ ...p, testCases: p.testCases.filter((t) => t.origin === "DATASET_VISIBLE").map((t) => ({ kind: t.kind, input: t.input, expected: t.expected })) })),
    );
    // Latency, so the run is still going when start returns and when the stopping test closes its runner.
    server = await startScriptedOpenAiServer({ problems: scripted, models: ["m"], latencyMs: 150 });
    runner = createLocalRunner(prisma, { databaseUrl: testDatabaseUrl(), worker: false, log: () => {} });
    registerRunner(runner);
  }, 60_000);
  afterAll(async () => {
    registerRunner(undefined);
    await runner?.close();
    await server?.close();
  });

  const runsOf = async () => prisma.tcgRun.count({ where: { dataset: { name: dataset } } });

  it("returns the run id at once and completes the run in the background", async () => {
    const { runId } = await caller.tcg.start({ dataset, problems: { kind: "range", from: 1, to: 3 }, llm: { baseUrl: server.url, model: "m" }, cases: 5, concurrency: 1 });
    expect((await prisma.tcgRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe("RUNNING");
    const run = await waitForStatus(prisma, runId, (s) => s !== "RUNNING");
    expect(run).toMatchObject({ status: "COMPLETED", error: null, model: "m" });
    const report = run.report as { problems: number; generated: number; parsed: number; valid: number };
    expect(report).toMatchObject({ problems: 3, generated: 15 });
    expect(report.parsed).toBe(12); // one malformed case per problem
    expect(report.valid).toBeGreaterThan(0);
    const detail = await caller.tcg.get({ id: runId });
    expect(detail.problemRows.map((r) => r.externalId)).toEqual(["plus1", "plus2", "plus3"]);
  }, 60_000);

  it("rejects a bad config with the field named and writes nothing", async () => {
    const before = await runsOf();
    const llm = { baseUrl: server.url, model: "m" };
    await expect(caller.tcg.start({ dataset, llm, cases: 0 })).rejects.toMatchObject({ code: "BAD_REQUEST", cause: { issues: [{ path: ["cases"] }] } });
    await expect(caller.tcg.start({ dataset, llm: { baseUrl: "ftp://x", model: "m" } })).rejects.toMatchObject({ code: "BAD_REQUEST", cause: { issues: [{ path: ["llm", "baseUrl"] }] } });
    await expect(caller.tcg.start({ dataset, llm, problems: { kind: "range", from: 7, to: 9 } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      cause: { where: "tcg config field problems" },
    });
    await expect(caller.tcg.start({ dataset: uniqueName("no-such"), llm })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // The runner itself validates too (it takes `unknown` from any caller).
    await expect(runner.startTcg({ dataset, llm, cases: 101 })).rejects.toThrow(/tcg config field cases/);
    expect(await runsOf()).toBe(before);
  });

  it("marks a run failed when the runner stops before it finishes, and refuses new runs", async () => {
    const stopping = createLocalRunner(prisma, { databaseUrl: testDatabaseUrl(), worker: false, log: () => {} });
    const { runId } = await stopping.startTcg({ dataset, llm: { baseUrl: server.url, model: "m" }, concurrency: 1 });
    await stopping.close();
    const run = await prisma.tcgRun.findUniqueOrThrow({ where: { id: runId }, include: { problems: true } });
    expect(run).toMatchObject({ status: "FAILED", error: "server stopped before the run finished" });
    expect(run.finishedAt).toBeInstanceOf(Date);
    expect(run.problems.length).toBeLessThan(3); // stopped between problems
    await expect(stopping.startTcg({ dataset, llm: { baseUrl: server.url, model: "m" } })).rejects.toThrow(/stopping/);
  }, 60_000);
});
