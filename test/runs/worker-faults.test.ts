// Fault injection for the queue workers, on the real database, the real sandbox and the scripted OpenAI-compatible
// server over HTTP: a worker process killed with SIGKILL mid-tree (another worker resumes its trees; the stored trees
// must equal an uninterrupted run's, node for node, and keep the backpropagation invariants), writes of a worker
// that lost its claim, 20% injected LLM faults of every kind, PostgreSQL connections dropped mid-run, and the database
// unavailable for seconds (connections dropped and refused: a restart as the workers see it).
import { spawn, type ChildProcess } from "node:child_process";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { openAiOverHttp } from "../helpers/scripted-runs.ts";
import { createPrismaClient, type Db } from "../../server/db/client.ts";
import { poolConfigFromUrl, withDatabaseName } from "../../server/db/database-url.ts";
import { createServerThrowawayDatabase, type ThrowawayDatabase } from "../../server/db/throwaway-database.ts";
import { importDataset } from "../../server/datasets/import-dataset.ts";
import { createOpenAiClient } from "../../server/llm/openai-client.ts";
import { createExperimentFromInput } from "../../server/experiments/experiment-service.ts";
import type { ExperimentConfigInput } from "../../server/contracts/experiment-config.ts";
import { openTreeQueue, type TreeQueue } from "../../server/engine/queue/tree-queue.ts";
import { startTreeWorker } from "../../server/engine/queue/tree-worker.ts";
import { runExperiment } from "../../server/engine/run-experiment.ts";
import { ClaimLostError, claimTree } from "../../server/engine/tree-claim.ts";
import { createTreeRecorder } from "../../server/engine/tree-store.ts";
import { createSandbox } from "../../server/sandbox/index.ts";
import type { Sandbox } from "../../server/sandbox/types.ts";
import { createRootNode } from "../../server/search/search-node.ts";
import { FAULT_KINDS, startScriptedOpenAiServer, type ScriptedServer } from "../../server/dev-tools/scripted-openai-server.ts";
import { scriptedProblemsFrom } from "../../server/dev-tools/scripted-problems.ts";
import { testDatabaseUrl, uniqueName } from "../helpers/db.ts";

const PROBLEMS = Array.from({ length: 4 }, (_, i) => ({
  id: `p${i + 1}`,
  statement: `Problem ${i + 1}: write a function triple${i + 1}(x) that returns 3 * x + ${i}.`,
  entry_point: `triple${i + 1}`,
  reference_solution: `def triple${i + 1}(x):\n    return 3 * x + ${i}\n`,
  tests: [`assert triple${i + 1}(1) == ${3 + i}`, { assert: `assert triple${i + 1}(5) == ${15 + i}`, hidden: true }],
}));

const STALE_MS = 1_500;

describe("queue workers under faults", () => {
  let prisma: Db;
  let ownDatabase: ThrowawayDatabase | null = null;
  // The job queue is one per database: on a server, a database of its own keeps other files' workers (test files run
  // in parallel there) from fetching this file's jobs, e.g. claiming the trees a test expects its killed worker to
  // hold. Embedded PGlite runs files one after another.
  let databaseUrl = testDatabaseUrl();
  const dataset = uniqueName("triples");
  let sandbox: Sandbox;
  let server: ScriptedServer;
  let queue: TreeQueue;
  const children: ChildProcess[] = [];
  const closers: (() => Promise<void>)[] = [];
  let scriptedProblems: ReturnType<typeof scriptedProblemsFrom>;

  beforeAll(async () => {
    if (inject("databaseMode") !== "embedded") {
      ownDatabase = await createServerThrowawayDatabase(withDatabaseName(databaseUrl, "postgres"), "o1c_faults");
      databaseUrl = ownDatabase.url;
    }
    prisma = createPrismaClient(databaseUrl, { poolSize: inject("databaseMode") === "embedded" ? 1 : 4 });
    const bytes = new TextEncoder().encode(PROBLEMS.map((p) => JSON.stringify(p)).join("\n"));
    await importDataset(prisma, { source: { fileName: "triples.jsonl", bytes }, format: "jsonl", name: dataset });
    const problems = await prisma.problem.findMany({ where: { dataset: { name: dataset } } });
    scriptedProblems = scriptedProblemsFrom(problems);
    server = await startScriptedOpenAiServer({ problems: scriptedProblems, models: ["m"], latencyMs: 25 });
    sandbox = await createSandbox();
    queue = await openTreeQueue(databaseUrl, { retry: { retryLimit: 3, retryDelaySeconds: 1 }, poolSize: 2 });
  }, 60_000);
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    for (const close of closers) await close();
    await queue?.close();
    await sandbox?.close();
    await server?.close();
    await prisma?.$disconnect();
    await ownDatabase?.drop();
  });

  function config(extra: Partial<ExperimentConfigInput> = {}): ExperimentConfigInput {
    return { dataset, mode: "pseudocode", llm: { baseUrl: server.url, model: "m", timeoutMs: 1_000 }, search: { rollouts: 24, children: 3 }, seed: 3, ...extra };
  }

  function inProcessWorker(concurrency = 4, db: Db = prisma, jobs: TreeQueue = queue, log?: (message: string) => void) {
    return startTreeWorker(db, jobs, {
      sandbox,
      createLlm: (llm) => createOpenAiClient({ baseUrl: llm.baseUrl!, model: llm.model!, timeoutMs: llm.timeoutMs, maxRetries: llm.maxRetries, backoff: { initialMs: 50, maxMs: 400 } }),
      concurrency,
      staleMs: STALE_MS,
      pollMs: 100,
      log,
    });
  }

  it("a worker killed with SIGKILL mid-tree: another resumes its trees, identical to an uninterrupted run", async () => {
    // A slower LLM than the other tests', so that the trees are mid-search for long enough to be caught there (a tree
    // is persisted every 250 ms, and with a 25 ms LLM one can run all its rollouts in about a second).
    const slow = await startScriptedOpenAiServer({ problems: scriptedProblems, models: ["m"], latencyMs: 80 });
    closers.push(() => slow.close());
    const slowLlm = { baseUrl: slow.url, model: "m", timeoutMs: 1_000 };
    const { id } = await createExperimentFromInput(prisma, config({ problems: { kind: "range", from: 1, to: 2 }, search: { rollouts: 40, children: 3 }, llm: slowLlm }));
    await queue.enqueueExperiment(prisma, id);
    const child = spawn(process.execPath, ["bin/o1c.mjs", "worker", "--concurrency", "2", "--stale-seconds", String(STALE_MS / 1000), "--poll-ms", "100"], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ["ignore", "ignore", "pipe"],
    });
    children.push(child);
    let childLog = "";
    child.stderr!.on("data", (chunk: Buffer) => (childLog += chunk.toString()));
    // Kill it while both trees are claimed and mid-search: as soon as both are claimed and rollouts are being stored
    // (the trees progress unevenly, so waiting for a rollout of each could miss the window).
    await waitFor(async () => {
      const trees = await prisma.searchTree.findMany({ where: { experimentId: id }, select: { rolloutsDone: true, claimToken: true, status: true } });
      return trees.every((t) => t.claimToken !== null && t.status === "RUNNING") && trees.some((t) => t.rolloutsDone >= 1);
    }, 60_000, () => childLog);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    const atKill = await prisma.searchTree.findMany({ where: { experimentId: id }, select: { rolloutsDone: true, status: true, claimToken: true } });
    expect(atKill.every((t) => t.status === "RUNNING" && t.claimToken !== null)).toBe(true);
    expect(atKill.some((t) => t.rolloutsDone < 40)).toBe(true); // search left to resume, not only judging

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
    const reference = await createExperimentFromInput(prisma, config({ problems: { kind: "range", from: 1, to: 2 }, search: { rollouts: 40, children: 3 }, llm: slowLlm }));
    await runExperiment(prisma, reference.id, { sandbox, createLlm: openAiOverHttp });
    expect(await treeShapes(id)).toEqual(await treeShapes(reference.id));
  }, 120_000);

  it("refuses the writes of a worker whose claim went stale and was taken over", async () => {
    const { id } = await createExperimentFromInput(prisma, config({ problems: { kind: "range", from: 1, to: 1 } }));
    const tree = await prisma.searchTree.findFirstOrThrow({ where: { experimentId: id } });
    const claimedFirst = await claimTree(prisma, tree.id, "worker-a", STALE_MS);
    if (claimedFirst.kind !== "claimed") throw new Error(`first claim: ${claimedFirst.kind}`);
    const first = claimedFirst.claim;
    expect(first).toMatchObject({ treeId: tree.id, experimentId: id, attempts: 1 });
    expect((await claimTree(prisma, tree.id, "worker-b", STALE_MS)).kind).toBe("unavailable"); // fresh claim: not taken
    await prisma.searchTree.update({ where: { id: tree.id }, data: { heartbeatAt: new Date(Date.now() - 60_000) } });
    const claimedSecond = await claimTree(prisma, tree.id, "worker-b", STALE_MS);
    if (claimedSecond.kind !== "claimed") throw new Error(`second claim: ${claimedSecond.kind}`);
    const second = claimedSecond.claim;
    expect(second.attempts).toBe(2);

    const stale = createTreeRecorder(prisma, { experimentId: id, treeId: tree.id, problemId: tree.problemId, claimToken: first.token });
    stale.onNodeCreated!(createRootNode(), null);
    await expect(stale.onRolloutDone!(0)).rejects.toBeInstanceOf(ClaimLostError);
    expect(await prisma.treeNode.count({ where: { treeId: tree.id } })).toBe(0);
    expect((await prisma.searchTree.findUniqueOrThrow({ where: { id: tree.id } })).rolloutsDone).toBe(0);

    const current = createTreeRecorder(prisma, { experimentId: id, treeId: tree.id, problemId: tree.problemId, claimToken: second.token });
    current.onNodeCreated!(createRootNode(), null);
    await current.flush();
    expect(await prisma.treeNode.count({ where: { treeId: tree.id } })).toBe(1);
  }, 30_000);

  it("progress writes lost in a database crash: the next write is refused, and the tree goes back to the queue and is finished", async () => {
    const slow = await startScriptedOpenAiServer({ problems: scriptedProblems, models: ["m"], latencyMs: 80 });
    closers.push(() => slow.close());
    const { id } = await createExperimentFromInput(prisma, config({ problems: { kind: "range", from: 1, to: 1 }, search: { rollouts: 40, children: 3 }, llm: { baseUrl: slow.url, model: "m", timeoutMs: 1_000 } }));
    await queue.enqueueExperiment(prisma, id);
    const worker = inProcessWorker(1);
    try {
      await waitFor(async () => (await prisma.searchTree.findFirstOrThrow({ where: { experimentId: id } })).rolloutsDone >= 2, 60_000);
      // What a crash leaves when it loses every asynchronous progress commit since the (synchronous) claim: the claim
      // still this worker's, and the tree as claimed, with no rollout stored.
      const tree = await prisma.searchTree.findFirstOrThrow({ where: { experimentId: id } });
      await prisma.$transaction([prisma.treeNode.deleteMany({ where: { treeId: tree.id } }), prisma.searchTree.update({ where: { id: tree.id }, data: { rolloutsDone: 0 } })]);
      await waitForStatus(id, "COMPLETED", 60_000);
    } finally {
      await worker.close();
    }
    expect(worker.stats().outcomes).toMatchObject({ requeued: 1, done: 1 });
    const tree = await prisma.searchTree.findFirstOrThrow({ where: { experimentId: id } });
    expect(tree).toMatchObject({ status: "DONE", attempts: 2, claimToken: null });
    await expectTreeInvariants(tree.id, 40, 5);
  }, 120_000);

  it("an experiment whose last tree finished without completing it (connection dropped then) is ended by a worker's sweep", async () => {
    const { id } = await createExperimentFromInput(prisma, config({ problems: { kind: "range", from: 1, to: 2 } }));
    // What a worker leaves when the database drops its connection between the last tree's final write and the
    // experiment's completion: every tree finished, the experiment still running, no job left to retry.
    await prisma.experiment.update({ where: { id }, data: { status: "RUNNING", startedAt: new Date() } });
    await prisma.searchTree.updateMany({ where: { experimentId: id }, data: { status: "FAILED", error: "boom", finishedAt: new Date() } });
    const worker = inProcessWorker();
    try {
      // Every problem failed, so it ends FAILED (not a "completed" with Pass@1 0%), with the metrics and the reason.
      const experiment = await waitForStatus(id, "FAILED", 10_000);
      expect((experiment.metrics as { failedProblems: number }).failedProblems).toBe(2);
      expect(experiment.error).toMatch(/^all 2 problems failed; problem p1: boom$/);
    } finally {
      await worker.close();
    }
  }, 20_000);

  it("20% injected LLM faults of every kind: the experiment completes, with the retries counted", async () => {
    server.setFaults({ rate: 0.2, kinds: [...FAULT_KINDS], retryAfter: "0" });
    const worker = inProcessWorker();
    try {
      const { id } = await createExperimentFromInput(prisma, config({ search: { rollouts: 8, children: 3 } }));
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
      const { id } = await createExperimentFromInput(prisma, config({ problems: { kind: "range", from: 1, to: 2 }, llm: { baseUrl: server.url, model: "m", timeoutMs: 1_000, maxRetries: 1 } }));
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

  // Not on embedded PGlite (here and below): one session over a local socket, no backend connection to terminate.
  it.skipIf(inject("databaseMode") === "embedded")("PostgreSQL connections dropped mid-run: the workers reconnect and the run completes", async () => {
    // The worker gets connections of its own, named, so that only they are dropped (not the test's).
    const logs: string[] = [];
    const log = (message: string) => logs.push(`${new Date().toISOString().slice(11, 23)} ${message}`);
    const workerDb = createPrismaClient(databaseUrl, { poolSize: 4, applicationName: "o1c-worker-under-test", onConnectionError: (e) => log(`db: ${e.message}`) });
    const workerQueue = await openTreeQueue(databaseUrl, { retry: { retryLimit: 3, retryDelaySeconds: 1 }, poolSize: 2, applicationName: "o1c-worker-under-test-queue", onError: (e) => log(`queue: ${e.message}`) });
    const worker = inProcessWorker(4, workerDb, workerQueue, log);
    const admin = new pg.Client(poolConfigFromUrl(databaseUrl));
    await admin.connect();
    try {
      const { id } = await createExperimentFromInput(prisma, config({ search: { rollouts: 30, children: 3 } }));
      await queue.enqueueExperiment(prisma, id);
      for (const threshold of [3, 12]) {
        await waitFor(async () => (await prisma.searchTree.aggregate({ where: { experimentId: id }, _min: { rolloutsDone: true } }))._min.rolloutsDone! >= threshold, 30_000, () => logs.join("\n"));
        const { rows } = await admin.query(
          "SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'o1c-worker-under-test%'",
        );
        expect(rows.length).toBeGreaterThan(0);
      }
      const experiment = await waitForCompletion(prisma, id, 30_000, logs);
      expect((experiment.metrics as { failedProblems: number }).failedProblems).toBe(0);
      for (const tree of await prisma.searchTree.findMany({ where: { experimentId: id } })) await expectTreeInvariants(tree.id, 30, 5);
    } finally {
      await admin.end();
      await worker.close();
      await workerQueue.close();
    }
    // Every connection the drops broke went back to the pool (server/db/pg-pool.ts): closing it doesn't hang.
    expect(await settlesWithin(workerDb.$disconnect(), 5_000)).toBe(true);
  }, 60_000);

  it.skipIf(inject("databaseMode") === "embedded")(
    "the database unavailable for a few seconds, twice (a restart as the workers see it): they resume and the run completes",
    async () => {
      // A database of its own, so that refusing connections touches no other test's (test files run in parallel).
      const serverUrl = withDatabaseName(databaseUrl, "postgres");
      const outageDb = await createServerThrowawayDatabase(serverUrl, "o1c_outage");
      const dbName = new URL(outageDb.url).pathname.slice(1);
      const logs: string[] = [];
      const log = (message: string) => logs.push(`${new Date().toISOString().slice(11, 23)} ${message}`);
      const db = createPrismaClient(outageDb.url, { poolSize: 4 }); // the test's view (it is cut off too)
      const workerDb = createPrismaClient(outageDb.url, { poolSize: 4, onConnectionError: (e) => log(`db: ${e.message}`) });
      const workerQueue = await openTreeQueue(outageDb.url, { retry: { retryLimit: 3, retryDelaySeconds: 1 }, poolSize: 2, onError: (e) => log(`queue: ${e.message}`) });
      const worker = inProcessWorker(4, workerDb, workerQueue, log);
      const admin = new pg.Client(poolConfigFromUrl(serverUrl));
      await admin.connect();
      try {
        const bytes = new TextEncoder().encode(PROBLEMS.map((p) => JSON.stringify(p)).join("\n"));
        await importDataset(db, { source: { fileName: "triples.jsonl", bytes }, format: "jsonl", name: dataset });
        const { id } = await createExperimentFromInput(db, config({ search: { rollouts: 30, children: 3 } }));
        await workerQueue.enqueueExperiment(db, id);
        for (const threshold of [3, 12]) {
          await waitFor(async () => (await db.searchTree.aggregate({ where: { experimentId: id }, _min: { rolloutsDone: true } }))._min.rolloutsDone! >= threshold, 30_000, () => logs.join("\n"));
          // What a restart looks like from outside: every connection dropped, new ones refused, for 2.5 s.
          await admin.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS false`);
          try {
            const { rows } = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [dbName]);
            expect(rows.length).toBeGreaterThan(0);
            await new Promise((resolve) => setTimeout(resolve, 2_500));
          } finally {
            await admin.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS true`);
          }
        }
        const experiment = await waitForCompletion(db, id, 40_000, logs);
        expect((experiment.metrics as { failedProblems: number }).failedProblems).toBe(0);
        for (const tree of await db.searchTree.findMany({ where: { experimentId: id } })) await expectTreeInvariants(tree.id, 30, 5, db);
        expect(logs.some((line) => /refus|not currently accepting|terminat/i.test(line))).toBe(true); // the outage was felt
      } finally {
        await admin.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS true`).catch(() => {});
        await admin.end();
        await worker.close();
        await workerQueue.close();
        await settlesWithin(Promise.all([workerDb.$disconnect(), db.$disconnect()]), 5_000);
        await outageDb.drop();
      }
    },
    60_000,
  );

  /** What the search's backpropagation guarantees of a stored tree (see server/search/rollout.ts). */
  async function expectTreeInvariants(treeId: string, rollouts: number, maxDepth: number, db: Db = prisma) {
    const tree = await db.searchTree.findUniqueOrThrow({ where: { id: treeId } });
    const nodes = await db.treeNode.findMany({ where: { treeId }, orderBy: { seq: "asc" }, include: { executions: { select: { testCaseId: true } } } });
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

  /** Like waitForStatus, on any database, with the worker's log in the failure message. */
  async function waitForCompletion(db: Db, id: string, timeoutMs: number, logs: readonly string[]) {
    await waitFor(async () => (await db.experiment.findUniqueOrThrow({ where: { id } })).status === "COMPLETED", timeoutMs, async () => {
      const trees = await db.searchTree.findMany({ where: { experimentId: id }, select: { status: true, rolloutsDone: true, error: true, attempts: true, claimedBy: true, heartbeatAt: true } });
      return `${JSON.stringify(trees)}\nworker log:\n${logs.join("\n")}`;
    });
    return db.experiment.findUniqueOrThrow({ where: { id } });
  }

  async function waitForStatus(id: string, status: "COMPLETED" | "FAILED", timeoutMs: number) {
    await waitFor(async () => (await prisma.experiment.findUniqueOrThrow({ where: { id } })).status === status, timeoutMs, async () => {
      const trees = await prisma.searchTree.findMany({ where: { experimentId: id }, select: { status: true, rolloutsDone: true, error: true, attempts: true } });
      return JSON.stringify(trees);
    });
    return prisma.experiment.findUniqueOrThrow({ where: { id } });
  }
});

/** Whether the promise settled within the time (a close that hangs must fail the test, not stall it). */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

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
