// UI benchmark: a synthetic 10,000-node tree stored in the database, served by the production app, opened in headless
// Chromium. Measures (1) first render: from navigation start until the explorer has laid out and drawn every node,
// and (2) live latency: from the commit of a new node (and its tree.progress event) to the node appearing in the
// open page, both on this machine's clock.
import { existsSync } from "node:fs";
import net from "node:net";
import { chromium } from "playwright-core";
import { createPrismaClient, type Db, createEmbeddedThrowawayDatabase, createServerThrowawayDatabase } from "../db/index.ts";
import { serveEnvFor, startServeProcess, type ServeProcess } from "../http/index.ts";
import { appendEventsTx, createExperimentFromInput } from "../experiments/index.ts";

export interface UiBenchmarkOptions {
  nodes?: number;
  renderRuns?: number;
  /** Unmeasured page loads first (default 1): the server's first request loads the route's modules. */
  warmupRuns?: number;
  liveSamples?: number;
  chromiumPath?: string;
}

export interface UiBenchmarkResult {
  nodes: number;
  database: "server" | "embedded";
  /** Median of renderRuns: navigation start → every node laid out and drawn (two animation frames after). */
  firstRenderMs: number;
  firstRenderRuns: number[];
  /** The same measure on the warm-up load (the server's first request for the page; not in the median). */
  coldFirstRenderMs: number | null;
  /** Medians, navigation start → the page sends the tree query (hydrated), and → its response fully received. */
  treeRequestMs: number;
  treeFetchMs: number;
  /** The synthetic tree's deepest level (root = 0). */
  maxDepth: number;
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
  const serverUrl = process.env.DATABASE_URL?.trim();
  const db = serverUrl ? await createServerThrowawayDatabase(serverUrl, "o1c_bench") : await createEmbeddedThrowawayDatabase();
  const prisma = createPrismaClient(db.url, { poolSize: db.mode === "embedded" ? 1 : 4 });
  let server: ServeProcess | null = null;
  let browser: Awaited<ReturnType<typeof chromium.launch>> | null = null;
  try {
    const { experimentId, treeId, problemId, maxDepth } = await seedTree(prisma, nodeCount);
    const port = await freePort();
    server = await startServeProcess(port, serveEnvFor(db));
    browser = await chromium.launch({
      executablePath: options.chromiumPath ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
    });
    const url = `http://127.0.0.1:${port}/experiments/${experimentId}/trees/${treeId}`;
    // Each load is a fresh browser context (empty cache), like a first visit.
    const load = async () => {
      const page = await browser!.newPage({ viewport: { width: 1400, height: 900 } });
      return { page, timing: await measureFirstRender(page, url, nodeCount) };
    };
    const cold: number[] = [];
    for (let i = 0; i < (options.warmupRuns ?? 1); i++) {
      const { page, timing } = await load();
      cold.push(timing.renderedMs);
      await page.close();
    }
    const timings: RenderTiming[] = [];
    for (let i = 0; i < (options.renderRuns ?? 3); i++) {
      const { page, timing } = await load();
      timings.push(timing);
      await page.close();
    }
    const runs = timings.map((t) => Math.round(t.renderedMs));
    const { page } = await load();
    const latencies = await measureLiveLatency(prisma, page, { experimentId, treeId, problemId }, nodeCount, options.liveSamples ?? 30);
    const firstRenderMs = median(runs);
    const p95 = percentile(latencies, 0.95);
    return {
      nodes: nodeCount,
      database: db.mode,
      firstRenderMs,
      firstRenderRuns: runs,
      coldFirstRenderMs: cold.length > 0 ? Math.round(cold[0]!) : null,
      treeRequestMs: median(timings.map((t) => t.treeRequestMs)),
      treeFetchMs: median(timings.map((t) => t.treeFetchMs)),
      maxDepth,
      liveLatencyP50Ms: percentile(latencies, 0.5),
      liveLatencyP95Ms: p95,
      liveSamples: latencies.length,
      targets: TARGETS,
      meetsTargets: firstRenderMs <= TARGETS.firstRenderMs && p95 <= TARGETS.liveP95Ms,
    };
  } finally {
    await browser?.close();
    await server?.stop();
    await prisma.$disconnect();
    await db.drop();
  }
}

/**
 * A running experiment with one tree of `count` nodes, grown the way the search grows one: each expansion picks a
 * random open leaf and gives it 3 children (n = 3), until `count` nodes exist. Depth is capped at 8 unless a ternary
 * tree that deep cannot hold 1.5 × count nodes (depth ≤ 8 holds at most 9,841, so 10,000 nodes get depth ≤ 9).
 * Leaves at the cap, and ~8% of nodes from depth 4, are terminals with a reward. Seeded: every run draws the same tree.
 */
async function seedTree(prisma: Db, count: number) {
  const dataset = await prisma.dataset.create({
    data: { name: `bench-ui-${process.pid}`, format: "jsonl", problems: { create: { externalId: "p1", ordinal: 1, statement: "Synthetic problem for the UI benchmark.", contentHash: "bench" } } },
    include: { problems: true },
  });
  const problemId = dataset.problems[0]!.id;
  const { id: experimentId } = await createExperimentFromInput(prisma, {
    dataset: dataset.name,
    mode: "pseudocode",
    llm: { baseUrl: "http://127.0.0.1:9/v1", model: "synthetic" },
    search: { rollouts: count },
  });
  const tree = await prisma.searchTree.findFirstOrThrow({ where: { experimentId } });
  await prisma.experiment.update({ where: { id: experimentId }, data: { status: "RUNNING", startedAt: new Date() } });
  await prisma.searchTree.update({ where: { id: tree.id }, data: { status: "RUNNING", rolloutsDone: count, startedAt: new Date() } });
  const rows = syntheticTree(tree.id, count);
  for (let i = 0; i < rows.length; i += 2000) await prisma.treeNode.createMany({ data: rows.slice(i, i + 2000) });
  return { experimentId, treeId: tree.id, problemId, maxDepth: rows.reduce((m, r) => Math.max(m, r.depth), 0) };
}

type NodeRow = ReturnType<typeof nodeRow>;

export function syntheticTree(treeId: string, count: number, seed = 1): NodeRow[] {
  const random = mulberry32(seed);
  let cap = 8;
  while ((3 ** (cap + 1) - 1) / 2 < 1.5 * count) cap++;
  const rows: NodeRow[] = [nodeRow(treeId, { seq: 0, parent: null, depth: 0, stepIndex: 0, terminal: false, r: random() })];
  const open: number[] = [0]; // unexpanded, non-terminal leaves
  while (rows.length < count && open.length > 0) {
    const pick = Math.floor(random() * open.length);
    const parentSeq = open[pick]!;
    open[pick] = open[open.length - 1]!;
    open.pop();
    const parent = rows[parentSeq]!;
    for (let k = 0; k < 3 && rows.length < count; k++) {
      const depth = parent.depth + 1;
      const terminal = depth >= cap || (depth >= 4 && random() < 0.08);
      const seq = rows.length;
      rows.push(nodeRow(treeId, { seq, parent: parentSeq, depth, stepIndex: k, terminal, r: random() }));
      if (!terminal) open.push(seq);
    }
  }
  return rows;
}

function nodeRow(treeId: string, n: { seq: number; parent: number | null; depth: number; stepIndex: number; terminal: boolean; r: number }) {
  const visits = Math.max(1, Math.round(30 / (n.depth + 1)));
  return {
    id: `${treeId}:${n.seq}`,
    treeId,
    parentId: n.parent === null ? null : `${treeId}:${n.parent}`,
    seq: n.seq,
    depth: n.depth,
    stepIndex: n.stepIndex,
    actionKind: n.parent === null ? "root" : n.terminal ? "code" : n.depth === 1 ? "structure" : "refine",
    stepText: `synthetic step ${n.seq}`,
    visits,
    valueSum: Math.round(visits * n.r * 100) / 100,
    isTerminal: n.terminal,
    reward: n.terminal ? (n.r < 0.4 ? 1 : n.r < 0.7 ? 0.5 : 0) : null,
  };
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Page = Awaited<ReturnType<Awaited<ReturnType<typeof chromium.launch>>["newPage"]>>;

interface RenderTiming {
  /** performance.now() in the page (0 = navigation start) once every node is laid out and two frames have run. */
  renderedMs: number;
  /** The tree query's responseEnd (Resource Timing), on the same clock. */
  treeFetchMs: number;
  /** When the page sent the tree query (after hydration). */
  treeRequestMs: number;
}

/**
 * Navigation start → the explorer reports every node laid out (`data-node-count`, and the header's node count) with
 * its canvas/SVG mounted, then two animation frames so the draw scheduled for that commit has run. Read off the
 * page's own clock (performance.now(), whose origin is the navigation start).
 */
async function measureFirstRender(page: Page, url: string, count: number): Promise<RenderTiming> {
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForFunction(
    (n) =>
      document.querySelector('[data-testid="tree-explorer"]')?.getAttribute("data-node-count") === String(n) &&
      document.querySelector('[data-testid="node-count"]')?.textContent === String(n) &&
      document.querySelector('[data-testid="tree-surface"] canvas, [data-testid="tree-surface"] svg') !== null,
    count,
    { timeout: 60_000, polling: "raf" },
  );
  return page.evaluate(
    () =>
      new Promise<RenderTiming>((resolve) =>
        requestAnimationFrame(() =>
          requestAnimationFrame(() => {
            const renderedMs = performance.now();
            const fetches = performance.getEntriesByType("resource").filter((e) => e.name.includes("experiments.tree"));
            const last = fetches.at(-1) as PerformanceResourceTiming | undefined;
            resolve({ renderedMs, treeFetchMs: Math.round(last?.responseEnd ?? 0), treeRequestMs: Math.round(last?.startTime ?? 0) });
          }),
        ),
      ),
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
    // A new child of the root each time: never under a folded subtree, always in the laid-out tree.
    const node = nodeRow(ref.treeId, { seq: start + i, parent: 0, depth: 1, stepIndex: 3 + i, terminal: false, r: 0.5 });
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
    `  tree query sent at ${r.treeRequestMs} ms, received at ${r.treeFetchMs} ms (medians); cold first load, not in the median: ${r.coldFirstRenderMs ?? "-"} ms; tree depth ≤ ${r.maxDepth}, ≤ 3 children per node`,
    `live latency (node committed → visible in the open page): p50 ${r.liveLatencyP50Ms} ms, p95 ${r.liveLatencyP95Ms} ms over ${r.liveSamples} nodes (target p95 ≤ ${r.targets.liveP95Ms})`,
    r.meetsTargets ? "targets met" : "targets NOT met",
  ].join("\n");
}
