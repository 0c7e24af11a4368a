// Fault injection for the queue workers, on the real database, the real sandbox and the scripted OpenAI-compatible
// server over HTTP: a worker process killed with SIGKILL mid-tree (another worker resumes its trees; the stored trees
// must equal an uninterrupted run's, node for node, and keep the backpropagation invariants), writes of a worker
// that lost its claim, 20% injected LLM faults of every kind, and PostgreSQL connections dropped mid-run.
import { spawn, type ChildProcess } from "node:child_process";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { PrismaPg } from "@prisma/adapter-pg";
import { CONNECT_TIMEOUT_MS, type Db } from "../../server/db/client.ts";
import { poolConfigFromUrl } from "../../server/db/database-url.ts";
import { PrismaClient } from "../../server/db/generated/client.ts";
import { importDataset } from "../../server/datasets/import-dataset.ts";
import { createOpenAiClient } from "../../server/llm/openai-client.ts";
import { createExperiment } from "../../server/runs/experiment-service.ts";
import type { ExperimentConfigInput } from "../../server/runs/experiment-config.ts";
import { openTreeQueue, type TreeQueue } from "../../server/runs/queue/tree-queue.ts";
import { startTreeWorker } from "../../server/runs/queue/tree-worker.ts";
import { runExperiment } from "../../server/runs/run-experiment.ts";
import { ClaimLostError, claimTree } from "../../server/runs/tree-claim.ts";
import { createTreeRecorder } from "../../server/runs/tree-store.ts";
import { createSandbox } from "../../server/sandbox/index.ts";
import type { Sandbox } from "../../server/sandbox/types.ts";
import { createRootNode } from "../../server/search/search-node.ts";
import { FAULT_KINDS, startScriptedOpenAiServer, type ScriptedServer } from "../fixtures/scripted-openai-server.ts";
import { scriptedProblemsFrom } from "../fixtures/scripted-problems.ts";
import { testDatabaseUrl, uniqueName, useTestPrisma } from "../helpers/db.ts";

const PROBLEMS = Array.from({ length: 4 }, (_, i) => ({
  id: `p${i + 1}`,
  statement: `Problem ${i + 1}: write a function triple${i + 1}(x) that returns 3 * x + ${i}.`,
  entry_point: `triple${i + 1}`,
  reference_solution: `def triple${i + 1}(x):\n    return 3 * x + ${i}\n`,
  tests: [`assert triple${i + 1}(1) == ${3 + i}`, { assert: `assert triple${i + 1}(5) == ${15 + i}`, hidden: true }],
}));

const STALE_MS = 1_500;

describe("queue workers under faults", () => {
  const prisma = useTestPrisma();
  const dataset = uniqueName("triples");
  let sandbox: Sandbox;
  let server: ScriptedServer;
  let queue: TreeQueue;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    const bytes = new TextEncoder().encode(PROBLEMS.map((p) => JSON.stringify(p)).join("\n"));
    await importDataset(prisma, { source: { fileName: "triples.jsonl", bytes }, format: "jsonl", name: dataset });
    const problems = await prisma.problem.findMany({ where: { dataset: { name: dataset } } });
    server = await startScriptedOpenAiServer({ problems: scriptedProblemsFrom(problems), models: ["m"], latencyMs: 25 });
    sandbox = await createSandbox();
    queue = await openTreeQueue(testDatabaseUrl(), { retry: { retryLimit: 3, retryDelaySeconds: 1 }, poolSize: 2 });
  }, 60_000);
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    await queue?.close();
    await sandbox?.close();
    await server?.close();
  });

  function config(extra: Partial<ExperimentConfigInput> = {}): ExperimentConfigInput {
    return { dataset, mode: "pseudocode", llm: { baseUrl: server.url, model: "m", timeoutMs: 1_000 }, search: { rollouts: 24, children: 3 }, seed: 3, ...extra };
  }

  function inProcessWorker(concurrency = 4, db: Db = prisma, jobs: TreeQueue = queue) {
    return startTreeWorker(db, jobs, {
      sandbox,
      createLlm: (llm) => createOpenAiClient({ baseUrl: llm.baseUrl!, model: llm.model!, timeoutMs: llm.timeoutMs, maxRetries: llm.maxRetries, backoff: { initialMs: 50, maxMs: 400 } }),
      concurrency,
      staleMs: STALE_MS,
      pollMs: 100,
    });
  }

  it("a worker killed with SIGKILL mid-tree: another resumes its trees, identical to an uninterrupted run", async () => {
    const { id } = await createExperiment(prisma, config({ problems: { kind: "range", from: 1, to: 2 }, search: { rollouts: 40, children: 3 } }));
    await queue.enqueueExperiment(prisma, id);
    const child = spawn(process.execPath, ["bin/o1c.mjs", "worker", "--concurrency", "2", "--stale-seconds", String(STALE_MS / 1000), "--poll-ms", "100"], {
      env: { ...process.env, DATABASE_URL: testDatabaseUrl() },
      stdio: ["ignore", "ignore", "pipe"],
    });
    children.push(child);
    let childLog = "";
    child.stderr!.on("data", (chunk: Buffer) => (childLog += chunk.toString()));
    // Kill it while both trees are mid-search: some rollouts stored, the search far from done.
    await waitFor(async () => {
      const trees = await prisma.searchTree.findMany({ where: { experimentId: id }, select: { rolloutsDone: true } });
      return trees.every((t) => t.rolloutsDone >= 3);
    }, 60_000, () => childLog);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    const atKill = await prisma.searchTree.findMany({ where: { experimentId: id }, select: { rolloutsDone: true, status: true, claimToken: true } });
    expect(atKill.every((t) => t.status === "RUNNING" && t.claimToken !== null && t.rolloutsDone < 40)).toBe(true);

    const worker = inProcessWorker();
    try {
      await waitForStatus(id, "COMPLETED", 60_000);
    } finally {
      await worker.close();
    }
    expect(worker.stats().recovered).toBeGreaterThanOrEqual(2);
    const trees = await prisma.searchTree.findMany({ where: { experimentId: id }, orderBy: { problem: { ordinal: "asc" } } });
    for (const tree of trees) {
      expect(tree.status).toBe("DONE");
      expect(tree.attempts).toBe(2); // claimed by the killed worker, then by the one that resumed it
      expect(tree.claimToken).toBeNull();
      await expectTreeInvariants(tree.id, 40, 5);
    }

    // The same experiment without the crash: every node, statistic and reward must match.
    const reference = await createExperiment(prisma, config({ problems: { kind: "range", from: 1, to: 2 }, search: { rollouts: 40, children: 3 } }));
    await runExperiment(prisma, reference.id, { sandbox, createLlm: (llm) => createOpenAiClient({ baseUrl: llm.baseUrl!, model: llm.model! }) });
    expect(await treeShapes(id)).toEqual(await treeShapes(reference.id));
  }, 120_000);

  it("refuses the writes of a worker whose claim went stale and was taken over", async () => {
    const { id } = await createExperiment(prisma, config({ problems: { kind: "range", from: 1, to: 1 } }));
    const tree = await prisma.searchTree.findFirstOrThrow({ where: { experimentId: id } });
    const first = await claimTree(prisma, tree.id, "worker-a", STALE_MS);
    expect(first).not.toBeNull();
    expect(await claimTree(prisma, tree.id, "worker-b", STALE_MS)).toBeNull(); // fresh claim: not taken
    await prisma.searchTree.update({ where: { id: tree.id }, data: { heartbeatAt: new Date(Date.now() - 60_000) } });
    const second = await claimTree(prisma, tree.id, "worker-b", STALE_MS);
    expect(second?.attempts).toBe(2);

    const stale = createTreeRecorder(prisma, { experimentId: id, treeId: tree.id, problemId: tree.problemId, claimToken: first!.token });
    stale.onNodeCreated!(createRootNode(), null);
    await expect(stale.onRolloutDone!(0)).rejects.toBeInstanceOf(ClaimLostError);
    expect(await prisma.treeNode.count({ where: { treeId: tree.id } })).toBe(0);
    expect((await prisma.searchTree.findUniqueOrThrow({ where: { id: tree.id } })).rolloutsDone).toBe(0);

    const current = createTreeRecorder(prisma, { experimentId: id, treeId: tree.id, problemId: tree.problemId, claimToken: second!.token });
    current.onNodeCreated!(createRootNode(), null);
    await current.flush();
    expect(await prisma.treeNode.count({ where: { treeId: tree.id } })).toBe(1);
  }, 30_000);

  it("20% injected LLM faults of every kind: the experiment completes, with the retries counted", async () => {
    server.setFaults({ rate: 0.2, kinds: [...FAULT_KINDS], retryAfter: "0" });
    const worker = inProcessWorker();
    try {
      const { id } = await createExperiment(prisma, config({ search: { rollouts: 8, children: 3 } }));
      await queue.enqueueExperiment(prisma, id);
      const experiment = await waitForStatus(id, "COMPLETED", 90_000);
      const metrics = experiment.metrics as { failedProblems: number; llmRetries: number; problems: number };
      expect(metrics.problems).toBe(4);
      expect(metrics.failedProblems).toBe(0);
      expect(metrics.llmRetries).toBeGreaterThan(0);
      const trees = await prisma.searchTree.findMany({ where: { experimentId: id } });
      expect(trees.reduce((s, t) => s + t.llmRetries, 0)).toBe(metrics.llmRetries);
      for (const tree of trees) await expectTreeInvariants(tree.id, 8, 5);
      const faults = server.requests.filter((r) => r.fault !== null).map((r) => r.fault);
      expect(new Set(faults).size).toBeGreaterThanOrEqual(4);
    } finally {
      server.setFaults({});
      await worker.close();
    }
  }, 120_000);

  it("an LLM server down for a while: the trees go back to the queue with backoff and resume when it returns", async () => {
    const worker = inProcessWorker();
    try {
      const { id } = await createExperiment(prisma, config({ problems: { kind: "range", from: 1, to: 2 }, llm: { baseUrl: server.url, model: "m", timeoutMs: 1_000, maxRetries: 1 } }));
      server.setFaults({ rate: 1, kinds: ["server-error"] });
      await queue.enqueueExperiment(prisma, id);
      await waitFor(async () => (await prisma.searchTree.count({ where: { experimentId: id, error: { contains: "will retry" } } })) === 2, 30_000);
      server.setFaults({});
      const experiment = await waitForStatus(id, "COMPLETED", 60_000);
      expect((experiment.metrics as { failedProblems: number }).failedProblems).toBe(0);
      const trees = await prisma.searchTree.findMany({ where: { experimentId: id } });
      for (const tree of trees) {
        expect(tree.attempts).toBeGreaterThanOrEqual(2);
        expect(tree.error).toBeNull();
        await expectTreeInvariants(tree.id, 24, 5);
      }
    } finally {
      server.setFaults({});
      await worker.close();
    }
  }, 120_000);

  it.skipIf(inject("databaseMode") === "embedded")("PostgreSQL connections dropped mid-run: the workers reconnect and the run completes", async () => {
    // The worker gets connections of its own, named, so that only they are dropped (not the test's).
    const workerDb = new PrismaClient({ adapter: new PrismaPg(poolConfigFromUrl(testDatabaseUrl(), { max: 4, application_name: "o1c-worker-under-test", connectionTimeoutMillis: CONNECT_TIMEOUT_MS })) });
    const workerQueue = await openTreeQueue(testDatabaseUrl(), { retry: { retryLimit: 3, retryDelaySeconds: 1 }, poolSize: 2, applicationName: "o1c-worker-under-test-queue" });
    const worker = inProcessWorker(4, workerDb, workerQueue);
    const admin = new pg.Client(poolConfigFromUrl(testDatabaseUrl()));
    await admin.connect();
    try {
      const { id } = await createExperiment(prisma, config({ search: { rollouts: 30, children: 3 } }));
      await queue.enqueueExperiment(prisma, id);
      for (const threshold of [3, 12]) {
        await waitFor(async () => (await prisma.searchTree.aggregate({ where: { experimentId: id }, _min: { rolloutsDone: true } }))._min.rolloutsDone! >= threshold, 60_000);
        const { rows } = await admin.query(
          "SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'o1c-worker-under-test%'",
        );
        expect(rows.length).toBeGreaterThan(0);
      }
      const experiment = await waitForStatus(id, "COMPLETED", 90_000);
      expect((experiment.metrics as { failedProblems: number }).failedProblems).toBe(0);
      for (const tree of await prisma.searchTree.findMany({ where: { experimentId: id } })) await expectTreeInvariants(tree.id, 30, 5);
    } finally {
      await admin.end();
      await worker.close();
      await workerQueue.close();
      // Prisma's pg adapter can keep a client whose connection died inside a transaction checked out, so $disconnect
      // (pool.end) may wait forever on it; the worker itself carried on with the pool's other connections.
      const disconnected = await Promise.race([workerDb.$disconnect().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 3_000).unref())]);
      if (!disconnected) console.warn("[worker-faults] the worker's Prisma pool did not close: a client was left checked out by a dropped connection");
    }
  }, 150_000);

  /** What the search's backpropagation guarantees of a stored tree (see server/search/rollout.ts). */
  async function expectTreeInvariants(treeId: string, rollouts: number, maxDepth: number) {
    const tree = await prisma.searchTree.findUniqueOrThrow({ where: { id: treeId } });
    const nodes = await prisma.treeNode.findMany({ where: { treeId }, orderBy: { seq: "asc" }, include: { executions: { select: { testCaseId: true } } } });
    expect(tree.rolloutsDone).toBe(rollouts);
    expect(nodes.map((n) => n.seq)).toEqual(nodes.map((_, i) => i)); // contiguous: none lost, none twice
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const root = nodes[0]!;
    expect(root.parentId).toBeNull();
    expect(root.visits).toBe(rollouts); // every rollout passes through the root once
    for (const node of nodes) {
      if (node.parentId !== null) expect(byId.get(node.parentId)?.depth).toBe(node.depth - 1);
      const children = nodes.filter((c) => c.parentId === node.id);
      if (node.isTerminal || node.depth >= maxDepth) {
        // A rollout ends here: Q = N × its reward.
        expect(children).toHaveLength(0);
        expect(node.valueSum).toBeCloseTo(node.visits * (node.reward ?? 0), 9);
      } else {
        // Every rollout through an inner node continues into exactly one child.
        expect(node.visits).toBe(children.reduce((s, c) => s + c.visits, 0));
        expect(node.valueSum).toBeCloseTo(children.reduce((s, c) => s + c.valueSum, 0), 9);
      }
      const tests = node.executions.map((e) => e.testCaseId);
      expect(new Set(tests).size).toBe(tests.length); // no test executed twice for a node
      if (node.isTerminal && node.code !== null) expect(tests).toHaveLength(2); // its visible test + its hidden test
    }
  }

  async function treeShapes(experimentId: string) {
    const trees = await prisma.searchTree.findMany({ where: { experimentId }, orderBy: { problem: { ordinal: "asc" } }, select: { id: true, rolloutsDone: true, llmCalls: true } });
    return Promise.all(
      trees.map(async (t) => ({
        rolloutsDone: t.rolloutsDone,
        llmCalls: t.llmCalls,
        nodes: (await prisma.treeNode.findMany({ where: { treeId: t.id }, orderBy: { seq: "asc" } })).map((n) => ({
          seq: n.seq,
          parentSeq: n.parentId === null ? null : Number(n.parentId.slice(t.id.length + 1)),
          stepText: n.stepText,
          visits: n.visits,
          valueSum: n.valueSum,
          reward: n.reward,
        })),
      })),
    );
  }

  async function waitForStatus(id: string, status: "COMPLETED", timeoutMs: number) {
    await waitFor(async () => (await prisma.experiment.findUniqueOrThrow({ where: { id } })).status === status, timeoutMs, async () => {
      const trees = await prisma.searchTree.findMany({ where: { experimentId: id }, select: { status: true, rolloutsDone: true, error: true, attempts: true } });
      return JSON.stringify(trees);
    });
    return prisma.experiment.findUniqueOrThrow({ where: { id } });
  }
});

async function waitFor(predicate: () => Promise<boolean>, timeoutMs: number, describe?: () => string | Promise<string>) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await predicate()) return;
    } catch {
      // a dropped connection while polling: try again
    }
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms${describe ? `: ${await describe()}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
