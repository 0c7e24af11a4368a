// UI benchmark: a synthetic 10,000-node tree stored in the database, served by the production app, opened in headless
// Chromium. Measures (1) first render: from navigation start until the explorer has laid out and drawn every node,
// and (2) live latency: from the commit of a new node (and its tree.progress event) to the node appearing in the
// open page, both on this machine's clock.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { chromium } from "playwright-core";
import { createPrismaClient, type Db } from "../db/client.ts";
import { poolConfigFromUrl, withDatabaseName } from "../db/database-url.ts";
import { openEmbeddedDatabase } from "../db/embedded.ts";
import { applyMigrations } from "../db/migrate.ts";
import { appendEventsTx } from "../runs/event-log.ts";
import { createExperiment } from "../runs/experiment-service.ts";

export interface UiBenchmarkOptions {
  nodes?: number;
  renderRuns?: number;
  liveSamples?: number;
  chromiumPath?: string;
}

export interface UiBenchmarkResult {
  nodes: number;
  database: "server" | "embedded";
  /** Median of renderRuns: navigation start → every node laid out and drawn (two animation frames after). */
  firstRenderMs: number;
  firstRenderRuns: number[];
  /** Node committed (with its tree.progress event) → node present in the page. */
  liveLatencyP50Ms: number;
  liveLatencyP95Ms: number;
  liveSamples: number;
  targets: { firstRenderMs: number; liveP95Ms: number };
  meetsTargets: boolean;
}

const TARGETS = { firstRenderMs: 1500, liveP95Ms: 1000 };

export async function runUiBenchmark(options: UiBenchmarkOptions = {}): Promise<UiBenchmarkResult> {
  const nodeCount = options.nodes ?? 10_000;
  if (!existsSync(".next/BUILD_ID")) throw new Error("No production build in .next/: run `npx next build` first.");
  const db = await openBenchDatabase();
  const prisma = createPrismaClient(db.url, { poolSize: db.mode === "embedded" ? 1 : 4 });
  let server: ChildProcess | null = null;
  let browser: Awaited<ReturnType<typeof chromium.launch>> | null = null;
  try {
    const { experimentId, treeId, problemId } = await seedTree(prisma, nodeCount);
    const port = await freePort();
    server = await startServer(port, db.serverEnv);
    browser = await chromium.launch({
      executablePath: options.chromiumPath ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
    });
    const url = `http://127.0.0.1:${port}/experiments/${experimentId}/trees/${treeId}`;
    const runs: number[] = [];
    for (let i = 0; i < (options.renderRuns ?? 3); i++) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      runs.push(Math.round(await measureFirstRender(page, url, nodeCount)));
      await page.close();
    }
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await measureFirstRender(page, url, nodeCount);
    const latencies = await measureLiveLatency(prisma, page, { experimentId, treeId, problemId }, nodeCount, options.liveSamples ?? 30);
    const firstRenderMs = median(runs);
    const p95 = percentile(latencies, 0.95);
    return {
      nodes: nodeCount,
      database: db.mode,
      firstRenderMs,
      firstRenderRuns: runs,
      liveLatencyP50Ms: percentile(latencies, 0.5),
      liveLatencyP95Ms: p95,
      liveSamples: latencies.length,
      targets: TARGETS,
      meetsTargets: firstRenderMs <= TARGETS.firstRenderMs && p95 <= TARGETS.liveP95Ms,
    };
  } finally {
    await browser?.close();
    if (server) await stopServer(server);
    await prisma.$disconnect();
    await db.drop();
  }
}

/** A throwaway database: a new one on DATABASE_URL's server, or embedded PGlite in a temporary directory. */
async function openBenchDatabase() {
  const serverUrl = process.env.DATABASE_URL?.trim();
  if (serverUrl) {
    const name = `o1c_bench_${process.pid}`;
    const admin = async (sql: string) => {
      const client = new pg.Client(poolConfigFromUrl(withDatabaseName(serverUrl, "postgres")));
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin(`CREATE DATABASE "${name}"`);
    const url = withDatabaseName(serverUrl, name);
    await applyMigrations(url);
    return { mode: "server" as const, url, serverEnv: { DATABASE_URL: url }, drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), "o1c-bench-ui-"));
  const embedded = await openEmbeddedDatabase(dir);
  await applyMigrations(embedded.url);
  return {
    mode: "embedded" as const,
    url: embedded.url,
    // The app server attaches to this process's embedded database through its owner file.
    serverEnv: { DATABASE_URL: undefined, O1C_DATA_DIR: dir },
    drop: async () => {
      await embedded.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A running experiment with one tree of `count` nodes: branching 3, breadth first, every third leaf-level node terminal. */
async function seedTree(prisma: Db, count: number) {
  const dataset = await prisma.dataset.create({
    data: { name: `bench-ui-${process.pid}`, format: "jsonl", problems: { create: { externalId: "p1", ordinal: 1, statement: "Synthetic problem for the UI benchmark.", contentHash: "bench" } } },
    include: { problems: true },
  });
  const problemId = dataset.problems[0]!.id;
  const { id: experimentId } = await createExperiment(prisma, {
    dataset: dataset.name,
    mode: "pseudocode",
    llm: { baseUrl: "http://127.0.0.1:9/v1", model: "synthetic" },
    search: { rollouts: count },
  });
  const tree = await prisma.searchTree.findFirstOrThrow({ where: { experimentId } });
  await prisma.experiment.update({ where: { id: experimentId }, data: { status: "RUNNING", startedAt: new Date() } });
  await prisma.searchTree.update({ where: { id: tree.id }, data: { status: "RUNNING", rolloutsDone: count } });
  const rows = Array.from({ length: count }, (_, seq) => syntheticNode(tree.id, seq));
  for (let i = 0; i < rows.length; i += 2000) await prisma.treeNode.createMany({ data: rows.slice(i, i + 2000) });
  return { experimentId, treeId: tree.id, problemId };
}

function syntheticNode(treeId: string, seq: number) {
  const parent = seq === 0 ? null : Math.floor((seq - 1) / 3);
  const depth = seq === 0 ? 0 : Math.floor(Math.log(2 * seq + 1) / Math.log(3));
  const visits = Math.max(1, 20 - depth * 2);
  return {
    id: `${treeId}:${seq}`,
    treeId,
    parentId: parent === null ? null : `${treeId}:${parent}`,
    seq,
    depth,
    stepIndex: seq === 0 ? 0 : (seq - 1) % 3,
    actionKind: seq === 0 ? "root" : depth >= 6 ? "code" : "refine",
    stepText: `synthetic step ${seq}`,
    visits,
    valueSum: visits * ((seq * 7919) % 100) / 100,
    isTerminal: depth >= 7,
    reward: depth >= 7 ? ((seq * 7919) % 100) / 100 : null,
  };
}

type Page = Awaited<ReturnType<Awaited<ReturnType<typeof chromium.launch>>["newPage"]>>;

/** Navigation start → the explorer reports every node laid out, plus two animation frames for the draw. */
async function measureFirstRender(page: Page, url: string, count: number): Promise<number> {
  await page.goto(url, { waitUntil: "commit" });
  await page
    .waitForFunction(
    (n) => document.querySelector('[data-testid="tree-explorer"]')?.getAttribute("data-node-count") === String(n),
      count,
      { timeout: 60_000, polling: "raf" },
    )
    .catch(async (error) => {
      const explorer = await page.locator('[data-testid="tree-explorer"]').evaluate((el) => el.outerHTML.slice(0, 300)).catch(() => "(no explorer)");
      throw new Error(`the explorer never showed ${count} nodes; page has: ${explorer}`, { cause: error });
    });
  return page.evaluate(
    () => new Promise<number>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now())))),
  );
}

async function measureLiveLatency(prisma: Db, page: Page, ref: { experimentId: string; treeId: string; problemId: string }, start: number, samples: number) {
  await page.evaluate(() => {
    const seen: Record<string, number> = {};
    (window as unknown as { __seen: Record<string, number> }).__seen = seen;
    new MutationObserver((records) => {
      const now = Date.now();
      for (const record of records) {
        for (const added of record.addedNodes) {
          if (!(added instanceof Element)) continue;
          const found = added.matches("[data-node-id]") ? [added] : [...added.querySelectorAll("[data-node-id]")];
          for (const el of found) seen[el.getAttribute("data-node-id")!] ??= now;
        }
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
  const committed = new Map<string, number>();
  for (let i = 0; i < samples; i++) {
    const node = syntheticNode(ref.treeId, start + i);
    await prisma.$transaction(async (tx) => {
      await tx.treeNode.create({ data: node });
      await appendEventsTx(tx, ref.experimentId, [
        {
          type: "tree.progress",
          payload: {
            treeId: ref.treeId,
            problemId: ref.problemId,
            rolloutsDone: null,
            nodes: [{ id: node.id, parentId: node.parentId, seq: node.seq, depth: node.depth, actionKind: node.actionKind, visits: node.visits, valueSum: node.valueSum, isTerminal: node.isTerminal, reward: node.reward }],
            updates: [],
          },
        },
      ]);
    });
    committed.set(node.id, Date.now());
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  await page.waitForFunction((ids) => ids.every((id) => id in (window as unknown as { __seen: Record<string, number> }).__seen), [...committed.keys()], { timeout: 30_000 });
  const seen = await page.evaluate(() => (window as unknown as { __seen: Record<string, number> }).__seen);
  return [...committed].map(([id, at]) => seen[id]! - at);
}

function startServer(port: number, env: Record<string, string | undefined>): Promise<ChildProcess> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[key];
    else childEnv[key] = value;
  }
  const child = spawn(process.execPath, ["bin/o1c.mjs", "serve", "--port", String(port)], { env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  child.stdout!.on("data", (d) => output.push(String(d)));
  child.stderr!.on("data", (d) => output.push(String(d)));
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 60_000;
    const poll = async () => {
      if (child.exitCode !== null) return reject(new Error(`the app server exited:\n${output.join("")}`));
      if (Date.now() > deadline) return reject(new Error(`the app server did not start:\n${output.join("")}`));
      const ok = await fetch(`http://127.0.0.1:${port}/datasets`).then((r) => r.ok, () => false);
      if (ok) resolve(child);
      else setTimeout(poll, 200);
    };
    void poll();
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const port = (probe.address() as net.AddressInfo).port;
      probe.close(() => resolve(port));
    });
  });
}

function median(values: number[]): number {
  return percentile(values, 0.5);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!);
}

export function formatUiBenchmark(r: UiBenchmarkResult): string {
  return [
    `UI benchmark: a ${r.nodes.toLocaleString()}-node tree (${r.database} database), production build, headless Chromium`,
    `first render (navigation → all nodes laid out and drawn): median ${r.firstRenderMs} ms, runs ${r.firstRenderRuns.join(" / ")} ms (target ≤ ${r.targets.firstRenderMs})`,
    `live latency (node committed → visible in the open page): p50 ${r.liveLatencyP50Ms} ms, p95 ${r.liveLatencyP95Ms} ms over ${r.liveSamples} nodes (target p95 ≤ ${r.targets.liveP95Ms})`,
    r.meetsTargets ? "targets met" : "targets NOT met",
  ].join("\n");
}
