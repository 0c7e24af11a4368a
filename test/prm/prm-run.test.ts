// End to end through `o1c run --config`: an experiment with `prm: served`, one with `prm: judge` (on the policy's own
// endpoint) and one with `prm: rollout`, against the scripted OpenAI-compatible server and the real sandbox. Every
// expanded (non-root) node ends up with a PRM score in the database, which is what the explorer draws.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importDataset } from "../../server/datasets/import-dataset.ts";
import { combinedReward, REFERENCE_COMBINED_REWARD } from "../../server/prm/combined-reward.ts";
import type { ExperimentMetrics, TreeMetrics } from "../../server/evaluation/index.ts";
import { getNodeDetail, getTreeView } from "../../server/experiments/tree-view.ts";
import { startScriptedOpenAiServer, type ScriptedServer } from "../../server/dev-tools/scripted-openai-server.ts";
import { scriptedProblemsFrom } from "../../server/dev-tools/scripted-problems.ts";
import { uniqueName, useTestPrisma } from "../helpers/db.ts";
import { o1c } from "../helpers/o1c.ts";
import { decodeTreeColumns } from "../../server/contracts/index.ts";

const TINY_DATASET = path.resolve("test/fixtures/tiny-dataset.jsonl");

describe("o1c run with a PRM", () => {
  const prisma = useTestPrisma();
  const dataset = uniqueName("tiny-prm");
  let server: ScriptedServer;
  let dir: string;

  beforeAll(async () => {
    await importDataset(prisma, { source: { path: TINY_DATASET }, format: "jsonl", name: dataset });
    const problems = await prisma.problem.findMany({ where: { dataset: { name: dataset }, entryPoint: { not: null } } });
    server = await startScriptedOpenAiServer({ problems: scriptedProblemsFrom(problems), models: ["m", "prm"] });
    dir = await mkdtemp(path.join(tmpdir(), "o1c-prm-"));
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function runWith(prm: Record<string, unknown>) {
    const name = uniqueName("prm-run");
    const file = path.join(dir, `${name}.json`);
    const config = { name, dataset, mode: "pseudocode", llm: { baseUrl: server.url, model: "m" }, search: { rollouts: 4, children: 2, maxDepth: 4 }, prm };
    await writeFile(file, JSON.stringify(config));
    const { code, stderr } = await o1c(["run", "--config", file, "--json"]);
    expect(code, stderr).toBe(0);
    const experiment = await prisma.experiment.findFirstOrThrow({ where: { name } });
    expect(experiment.status).toBe("COMPLETED");
    const nodes = await prisma.treeNode.findMany({ where: { tree: { experimentId: experiment.id } } });
    const trees = await prisma.searchTree.findMany({ where: { experimentId: experiment.id } });
    return { nodes, trees: trees.map((t) => t.metrics as unknown as TreeMetrics), treeIds: trees.map((t) => t.id) };
  }

  it("prm served: a /pooling score on every expanded node", async () => {
    const before = server.requests.filter((r) => r.path === "/pooling").length;
    const { nodes, trees } = await runWith({ mode: "served", baseUrl: server.url, model: "prm", batchSize: 4 });
    const steps = nodes.filter((n) => n.parentId !== null);
    expect(steps.length).toBeGreaterThan(4);
    expect(steps.filter((n) => n.prmScore === null)).toEqual([]);
    expect(nodes.filter((n) => n.parentId === null).every((n) => n.prmScore === null)).toBe(true);
    // Code steps carrying the reference solution score 0.9, its wrong variant 0.1 (the scripted PRM's table).
    const codeScores = new Set(steps.filter((n) => n.code !== null && n.actionKind === "code").map((n) => n.prmScore));
    for (const score of codeScores) expect([0.9, 0.1, 0.5]).toContain(score);
    expect(trees.every((m) => m.prm?.mode === "served" && m.prm.failed === 0 && m.prm.scored > 0)).toBe(true);
    expect(server.requests.filter((r) => r.path === "/pooling").length).toBeGreaterThan(before);
    // The pooling requests' prompt tokens, as vLLM reports them, count in each tree's PRM tokens (none generated).
    expect(trees.every((m) => m.prmPromptTokens! > 0 && m.prmCompletionTokens === 0)).toBe(true);
  }, 120_000);

  it("the explorer's read model shows the scores, the mode, the labels and ϕ of a terminal's path", async () => {
    const { nodes, treeIds } = await runWith({ mode: "served", baseUrl: server.url, model: "prm", combinedReward: { t: 50 } });
    const view = await getTreeView(prisma, treeIds[0]!);
    expect(view.prmMode).toBe("served");
    expect(decodeTreeColumns(view.columns).filter((n) => n.parentId !== null).every((n) => n.prmScore !== null)).toBe(true);
    const terminal = nodes.find((n) => n.isTerminal && n.treeId === treeIds[0])!;
    const detail = await getNodeDetail(prisma, terminal.id);
    expect(detail.prm).toMatchObject({ mode: "served", score: terminal.prmScore });
    expect(detail.prm.labels.hard).toBe(terminal.reward === 1);
    // ϕ by hand: the path's PRM scores, root excluded, with the reference schedule at t = 50 (α = 0.5).
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const path: number[] = [];
    for (let n = byId.get(terminal.id); n && n.parentId !== null; n = byId.get(n.parentId)) path.unshift(n.prmScore!);
    expect(detail.prm.combined?.phiAlpha).toBeCloseTo(0.5, 12);
    expect(detail.prm.combined).toMatchObject({ phiTSource: "config", stepScore: "prm-or-value" });
    expect(detail.prm.combined?.phi).toBeCloseTo(combinedReward(terminal.reward ?? 0, path, 50, REFERENCE_COMBINED_REWARD), 12);
  }, 120_000);

  it("prm judge on the policy endpoint: a P(+) score on every expanded node", async () => {
    const { nodes, trees, treeIds } = await runWith({ mode: "judge" });
    const steps = nodes.filter((n) => n.parentId !== null);
    expect(steps.length).toBeGreaterThan(4);
    expect(steps.filter((n) => n.prmScore === null)).toEqual([]);
    expect(steps.every((n) => n.prmScore! > 0 && n.prmScore! < 1)).toBe(true);
    expect(trees.every((m) => m.prm?.mode === "judge" && m.prm.failed === 0)).toBe(true);
    // The judge's requests count in the experiment's tokens, apart from the policy's (issue 13 point 6).
    expect(trees.every((m) => m.prmPromptTokens! > 0 && m.prmCompletionTokens! > 0)).toBe(true);
    const experiment = await prisma.experiment.findFirstOrThrow({ where: { trees: { some: { id: treeIds[0] } } } });
    const metrics = experiment.metrics as unknown as ExperimentMetrics;
    const policyTokens = nodes.reduce((sum, n) => sum + n.promptTokens + n.completionTokens, 0);
    expect(metrics.tokensPerProblem).toBeCloseTo(policyTokens / trees.length, 9);
    expect(metrics.prmTokensPerProblem).toBeGreaterThan(0);
    expect(metrics.totalTokensPerProblem).toBeCloseTo(metrics.tokensPerProblem! + metrics.prmTokensPerProblem!, 9);
  }, 120_000);

  it("prm rollout: visit-weighted labels written after the search", async () => {
    const { nodes, trees } = await runWith({ mode: "rollout" });
    const terminals = nodes.filter((n) => n.isTerminal);
    expect(terminals.length).toBeGreaterThan(0);
    for (const t of terminals) expect(t.prmScore).toBe(t.reward !== null && t.reward >= 1 - 1e-9 ? 1 : 0);
    const roots = nodes.filter((n) => n.parentId === null);
    expect(roots.every((n) => n.prmScore !== null && n.prmScore >= 0 && n.prmScore <= 1)).toBe(true);
    expect(trees.every((m) => m.prm === null)).toBe(true);
  }, 120_000);

  it("prm rollout with sampled labels: k independent completions per step through the policy, billed apart", async () => {
    const before = server.requests.length;
    const { nodes, trees } = await runWith({ mode: "rollout", labels: "sampled", samplesPerStep: 2 });
    const steps = nodes.filter((n) => n.parentId !== null);
    // Each step's label is a share of k = 2 completions; terminals are their own single completion.
    expect(steps.every((n) => n.prmScore === 0 || n.prmScore === 0.5 || n.prmScore === 1)).toBe(true);
    for (const t of steps.filter((n) => n.isTerminal)) expect(t.prmScore).toBe(t.reward !== null && t.reward >= 1 - 1e-9 ? 1 : 0);
    const inner = steps.filter((n) => !n.isTerminal).length;
    const sampling = trees.map((m) => m.labelSampling!);
    expect(sampling.every((s) => s && s.promptTokens > 0)).toBe(true);
    // At least one request per inner step (its k first steps share one), all on the policy's endpoint.
    expect(sampling.reduce((sum, s) => sum + s.calls, 0)).toBeGreaterThanOrEqual(inner);
    expect(server.requests.length - before).toBeGreaterThan(trees.reduce((sum, m) => sum + m.nodes, 0) / 2);
  }, 120_000);

  it("sampled labels belong to rollout mode", async () => {
    const file = path.join(dir, "bad-labels.json");
    await writeFile(file, JSON.stringify({ dataset, mode: "pseudocode", llm: { baseUrl: server.url, model: "m" }, prm: { mode: "judge", labels: "sampled" } }));
    const { code, stderr } = await o1c(["run", "--config", file]);
    expect(code).toBe(1);
    expect(stderr).toContain("field prm.labels");
  });

  it("a PRM config mistake names its field and creates nothing", async () => {
    const experimentsBefore = await prisma.experiment.count({ where: { dataset: { name: dataset } } });
    const file = path.join(dir, "bad.json");
    await writeFile(file, JSON.stringify({ dataset, mode: "pseudocode", llm: { baseUrl: server.url, model: "m" }, prm: { mode: "served" } }));
    const { code, stderr } = await o1c(["run", "--config", file]);
    expect(code).toBe(1);
    expect(stderr).toContain("field prm.baseUrl");
    expect(await prisma.experiment.count({ where: { dataset: { name: dataset } } })).toBe(experimentsBefore);
  });
});
