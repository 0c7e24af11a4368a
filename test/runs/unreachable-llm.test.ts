// Failures that look like failures: an experiment launched against an LLM server nobody listens on ends FAILED with
// the reason (through the job queue, whose trees would otherwise back off and retry for many minutes, and through the
// in-process runner `o1c run` uses), and `o1c run` exits non-zero; an experiment whose every problem failed on a
// reachable server is FAILED too. The closed port is a real one: bound, then closed, so connecting is refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importDataset } from "../../server/datasets/import-dataset.ts";
import { createOpenAiClient } from "../../server/llm/openai-client.ts";
import { createExperimentFromInput } from "../../server/experiments/experiment-service.ts";
import { openTreeQueue, type TreeQueue } from "../../server/engine/queue/tree-queue.ts";
import { startTreeWorker } from "../../server/engine/queue/tree-worker.ts";
import { runExperiment } from "../../server/engine/run-experiment.ts";
import { nothingAnsweredSinceStart } from "../../server/engine/connection-fail-fast.ts";
import { createSandbox } from "../../server/sandbox/index.ts";
import type { Sandbox } from "../../server/sandbox/types.ts";
import { startScriptedOpenAiServer, type ScriptedServer } from "../../server/dev-tools/scripted-openai-server.ts";
import { scriptedProblemsFrom } from "../../server/dev-tools/scripted-problems.ts";
import { testDatabaseUrl, uniqueName, useTestPrisma } from "../helpers/db.ts";
import { o1c } from "../helpers/o1c.ts";
import { closedPort } from "../helpers/closed-port.ts";

const PROBLEMS = Array.from({ length: 6 }, (_, i) => ({
  id: `q${i + 1}`,
  statement: `Problem ${i + 1}: write a function inc${i + 1}(x) that returns x + ${i + 1}.`,
  entry_point: `inc${i + 1}`,
  reference_solution: `def inc${i + 1}(x):\n    return x + ${i + 1}\n`,
  tests: [`assert inc${i + 1}(1) == ${i + 2}`, { assert: `assert inc${i + 1}(10) == ${i + 11}`, hidden: true }],
}));

describe("an unreachable LLM server fails the experiment", () => {
  const prisma = useTestPrisma();
  const dataset = uniqueName("incs");
  let sandbox: Sandbox;
  let server: ScriptedServer;
  let queue: TreeQueue;
  let deadUrl: string;

  beforeAll(async () => {
    const bytes = new TextEncoder().encode(PROBLEMS.map((p) => JSON.stringify(p)).join("\n"));
    await importDataset(prisma, { source: { fileName: "incs.jsonl", bytes }, format: "jsonl", name: dataset });
    const problems = await prisma.problem.findMany({ where: { dataset: { name: dataset } } });
    server = await startScriptedOpenAiServer({ problems: scriptedProblemsFrom(problems), models: ["m"], latencyMs: 10 });
    sandbox = await createSandbox();
    // The production retry policy: a tree failing on a transient error would come back after 15 s, 30 s, 60 s, …
    queue = await openTreeQueue(testDatabaseUrl(), { poolSize: 2 });
    deadUrl = `http://127.0.0.1:${await closedPort()}/v1`;
  }, 60_000);
  afterAll(async () => {
    await queue?.close();
    await sandbox?.close();
    await server?.close();
  });

  // The client's own retries with a short backoff, so each request gives up within a second.
  const createLlm = (llm: { baseUrl?: string; model?: string }) =>
    createOpenAiClient({ baseUrl: llm.baseUrl!, model: llm.model!, maxRetries: 2, backoff: { initialMs: 50, maxMs: 200 } });

  it("through the job queue: FAILED with 'failed to connect: ECONNREFUSED' instead of backing off for minutes", async () => {
    const { id } = await createExperimentFromInput(prisma, { dataset, mode: "vanilla", llm: { baseUrl: deadUrl, model: "m" }, concurrency: 2 });
    const worker = startTreeWorker(prisma, queue, { sandbox, createLlm, concurrency: 2, pollMs: 100, heartbeatMs: 200 });
    try {
      await queue.enqueueExperiment(prisma, id);
      const ended = await waitFor(async () => {
        const e = await prisma.experiment.findUniqueOrThrow({ where: { id }, select: { status: true, error: true } });
        return e.status === "RUNNING" || e.status === "QUEUED" ? null : e;
      }, 45_000);
      expect(ended.status).toBe("FAILED");
      expect(ended.error).toContain(`every request to ${deadUrl} failed to connect: ECONNREFUSED`);
      const events = await prisma.experimentEvent.findMany({ where: { experimentId: id, type: "experiment.failed" } });
      expect(events).toHaveLength(1);
    } finally {
      await worker.close();
    }
    // No tree is left waiting for a retry or shown as running: the failed experiment's trees are not claimed again.
    const trees = await prisma.searchTree.findMany({ where: { experimentId: id }, select: { status: true, error: true } });
    expect(trees.filter((t) => t.status === "FAILED").length).toBeGreaterThanOrEqual(1);
    expect(trees.every((t) => t.status === "FAILED" || t.status === "CANCELLED")).toBe(true);
    expect(trees.some((t) => t.error?.includes("will retry"))).toBe(false);
  }, 90_000);

  it("in process (o1c run's path): status failed with the reason, and the problems not yet started are left alone", async () => {
    const { id } = await createExperimentFromInput(prisma, { dataset, mode: "vanilla", llm: { baseUrl: deadUrl, model: "m" }, concurrency: 2 });
    const result = await runExperiment(prisma, id, { sandbox, createLlm, cancelPollMs: 100 });
    expect(result.status).toBe("failed");
    expect(result.error).toContain("failed to connect: ECONNREFUSED");
    const experiment = await prisma.experiment.findUniqueOrThrow({ where: { id } });
    expect(experiment.status).toBe("FAILED");
    // Two lanes: the experiment failed after the first trees, so some of the six were never claimed.
    const untouched = await prisma.searchTree.count({ where: { experimentId: id, attempts: 0 } });
    expect(untouched).toBeGreaterThan(0);
  }, 60_000);

  it("a server that has answered since the start is not treated as unreachable", async () => {
    const { id } = await createExperimentFromInput(prisma, { dataset, mode: "vanilla", problems: { kind: "range", from: 1, to: 1 }, llm: { baseUrl: server.url, model: "m" }, search: { rollouts: 2 } });
    const result = await runExperiment(prisma, id, { sandbox, createLlm });
    expect(result.status).toBe("completed");
    expect(await nothingAnsweredSinceStart(prisma, id)).toBe(false);
    const dead = await createExperimentFromInput(prisma, { dataset, mode: "vanilla", llm: { baseUrl: deadUrl, model: "m" } });
    await prisma.experiment.update({ where: { id: dead.id }, data: { status: "RUNNING", startedAt: new Date() } });
    expect(await nothingAnsweredSinceStart(prisma, dead.id)).toBe(true);
  }, 60_000);

  it("every problem failing on a reachable server ends the experiment FAILED, with the first problem's error", async () => {
    server.setFaults({ rate: 1, kinds: ["server-error"] });
    try {
      const { id } = await createExperimentFromInput(prisma, { dataset, mode: "vanilla", problems: { kind: "range", from: 1, to: 2 }, llm: { baseUrl: server.url, model: "m" } });
      const result = await runExperiment(prisma, id, { sandbox, createLlm });
      expect(result.status).toBe("failed");
      const experiment = await prisma.experiment.findUniqueOrThrow({ where: { id } });
      expect(experiment.status).toBe("FAILED");
      expect(experiment.error).toMatch(/^all 2 problems failed; problem q1: .*HTTP 500/);
      // The metrics are kept (tokens, failed problems), but the experiment is not "completed".
      expect(experiment.metrics).toMatchObject({ problems: 2, failedProblems: 2 });
    } finally {
      server.setFaults({});
    }
  }, 60_000);

  it("o1c run exits non-zero, naming the endpoint, when the server is unreachable", async () => {
    const { code, stdout, stderr } = await o1c(["run", "--dataset", dataset, "--mode", "pseudocode", "--llm", deadUrl, "--model", "m", "--json"]);
    expect(code, stderr).not.toBe(0);
    expect(stdout).toBe("");
    expect(stderr).toContain(`every request to ${deadUrl} failed to connect: ECONNREFUSED`);
  }, 90_000);
});

async function waitFor<T>(probe: () => Promise<T | null>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
