// An experiment's own "concurrent problems" (config.concurrency) bounds how many of its trees are claimed at once,
// whatever a worker's own slot count: the browser form's setting must be honoured by the queue workers that
// `o1c serve` runs (issue 15 §1). Real database, real sandbox, scripted OpenAI-compatible server over HTTP.
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { openAiOverHttp } from "../helpers/scripted-runs.ts";
import { createPrismaClient, type Db } from "../../server/db/client.ts";
import { withDatabaseName } from "../../server/db/database-url.ts";
import { createServerThrowawayDatabase, type ThrowawayDatabase } from "../../server/db/throwaway-database.ts";
import { importDataset } from "../../server/datasets/import-dataset.ts";
import { createExperimentFromInput } from "../../server/experiments/experiment-service.ts";
import type { ExperimentConfigInput } from "../../server/contracts/experiment-config.ts";
import { openTreeQueue, type TreeQueue } from "../../server/engine/queue/tree-queue.ts";
import { startTreeWorker } from "../../server/engine/queue/tree-worker.ts";
import { claimTree, releaseTree } from "../../server/engine/tree-claim.ts";
import { createSandbox } from "../../server/sandbox/index.ts";
import type { Sandbox } from "../../server/sandbox/types.ts";
import { startScriptedOpenAiServer, type ScriptedServer } from "../../server/dev-tools/scripted-openai-server.ts";
import { scriptedProblemsFrom } from "../../server/dev-tools/scripted-problems.ts";
import { testDatabaseUrl, uniqueName } from "../helpers/db.ts";

const PROBLEMS = Array.from({ length: 6 }, (_, i) => ({
  id: `c${i + 1}`,
  statement: `Problem ${i + 1}: write a function plus${i + 1}(x) that returns x + ${i + 1}.`,
  entry_point: `plus${i + 1}`,
  reference_solution: `def plus${i + 1}(x):\n    return x + ${i + 1}\n`,
  tests: [`assert plus${i + 1}(1) == ${i + 2}`, { assert: `assert plus${i + 1}(5) == ${i + 6}`, hidden: true }],
}));

describe("an experiment's concurrency limit", () => {
  const dataset = uniqueName("plus");
  let prisma: Db;
  let ownDatabase: ThrowawayDatabase | null = null;
  let sandbox: Sandbox;
  let server: ScriptedServer;
  let queue: TreeQueue;

  beforeAll(async () => {
    // The job queue is one per database: on a server, a database of its own keeps other files' workers (test files
    // run in parallel there) from taking this experiment's trees. Embedded PGlite runs files one after another.
    let url = testDatabaseUrl();
    if (inject("databaseMode") !== "embedded") {
      ownDatabase = await createServerThrowawayDatabase(withDatabaseName(url, "postgres"), "o1c_limit");
      url = ownDatabase.url;
    }
    prisma = createPrismaClient(url, { poolSize: inject("databaseMode") === "embedded" ? 1 : 4 });
    const bytes = new TextEncoder().encode(PROBLEMS.map((p) => JSON.stringify(p)).join("\n"));
    await importDataset(prisma, { source: { fileName: "plus.jsonl", bytes }, format: "jsonl", name: dataset });
    const problems = await prisma.problem.findMany({ where: { dataset: { name: dataset } } });
    server = await startScriptedOpenAiServer({ problems: scriptedProblemsFrom(problems), models: ["m"], latencyMs: 20 });
    sandbox = await createSandbox();
    queue = await openTreeQueue(url, { retry: { retryLimit: 3, retryDelaySeconds: 1 }, poolSize: 2 });
  }, 60_000);
  afterAll(async () => {
    await queue?.close();
    await sandbox?.close();
    await server?.close();
    await prisma?.$disconnect();
    await ownDatabase?.drop();
  });

  function config(concurrency: number): ExperimentConfigInput {
    return { dataset, mode: "pseudocode", llm: { baseUrl: server.url, model: "m" }, search: { rollouts: 6, children: 2 }, seed: 1, concurrency };
  }

  it("refuses a claim beyond the limit and grants it once a tree is released", async () => {
    const { id } = await createExperimentFromInput(prisma, config(2));
    const trees = await prisma.searchTree.findMany({ where: { experimentId: id }, orderBy: { problem: { ordinal: "asc" } } });
    const first = await claimTree(prisma, trees[0]!.id, "w");
    const second = await claimTree(prisma, trees[1]!.id, "w");
    expect(first.kind).toBe("claimed");
    expect(second.kind).toBe("claimed");
    expect((await claimTree(prisma, trees[2]!.id, "w")).kind).toBe("at-limit");
    if (first.kind !== "claimed") throw new Error("unreachable");
    await releaseTree(prisma, first.claim, 0);
    expect((await claimTree(prisma, trees[2]!.id, "w")).kind).toBe("claimed");
  });

  it("claims racing for the last slots grant exactly the limit (each counts after the one before it committed)", async () => {
    const { id } = await createExperimentFromInput(prisma, config(2));
    const trees = await prisma.searchTree.findMany({ where: { experimentId: id } });
    // Several workers' claims at once: on a server they run on separate connections, in parallel.
    const results = await Promise.all(trees.map((tree, i) => claimTree(prisma, tree.id, `w${i}`)));
    expect(results.filter((r) => r.kind === "claimed")).toHaveLength(2);
    expect(results.filter((r) => r.kind === "at-limit")).toHaveLength(trees.length - 2);
    expect(await prisma.searchTree.count({ where: { experimentId: id, claimToken: { not: null } } })).toBe(2);
  });

  it("a worker with 8 slots runs an experiment of concurrency 2 with at most 2 trees at once, to completion", async () => {
    const { id } = await createExperimentFromInput(prisma, config(2));
    await queue.enqueueExperiment(prisma, id);
    const worker = startTreeWorker(prisma, queue, {
      sandbox,
      createLlm: openAiOverHttp,
      concurrency: 8,
      pollMs: 100,
    });
    try {
      await waitFor(async () => (await prisma.experiment.findUniqueOrThrow({ where: { id } })).status === "COMPLETED", 120_000);
    } finally {
      await worker.close();
    }
    const trees = await prisma.searchTree.findMany({ where: { experimentId: id } });
    expect(trees.map((t) => t.status)).toEqual(Array(6).fill("DONE"));
    // The event log orders every start and finish: replaying it gives the trees running at each moment.
    const events = await prisma.experimentEvent.findMany({ where: { experimentId: id, type: { in: ["tree.started", "tree.finished", "tree.failed"] } }, orderBy: { seq: "asc" } });
    const running = new Set<string>();
    let most = 0;
    for (const event of events) {
      const treeId = (event.payload as { treeId: string }).treeId;
      if (event.type === "tree.started") running.add(treeId); // a second start of a tree ends its earlier claim
      else running.delete(treeId);
      most = Math.max(most, running.size);
    }
    expect(new Set(events.filter((e) => e.type === "tree.started").map((e) => (e.payload as { treeId: string }).treeId)).size).toBe(6);
    expect(most).toBeLessThanOrEqual(2);
    expect(worker.stats().outcomes.deferred).toBeGreaterThan(0); // the worker did try to run more than 2
  }, 150_000);
});

async function waitFor(predicate: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
