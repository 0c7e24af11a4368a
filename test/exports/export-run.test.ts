// Exports of a real (tiny) experiment run through the scripted OpenAI-compatible server and the real sandbox: the
// rebuilt prompts are exactly the requests the policy received, `o1c export` writes the file (and nothing on error),
// and the download route streams the same bytes as an attachment, including five human judgements for DPO.
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAiOverHttp } from "../helpers/scripted-runs.ts";
import { importDataset } from "../../server/datasets/import-dataset.ts";
import { exportResponse } from "../../server/exports/export-response.ts";
import { parseExportOptions } from "../../server/exports/export-options.ts";
import { streamExport } from "../../server/exports/stream-export.ts";
import { createExperimentFromInput } from "../../server/experiments/experiment-service.ts";
import { runExperiment } from "../../server/engine/run-experiment.ts";
import { createSandbox } from "../../server/sandbox/index.ts";
import type { Sandbox } from "../../server/sandbox/types.ts";
import { startScriptedOpenAiServer, type ScriptedServer } from "../../server/dev-tools/scripted-openai-server.ts";
import { scriptedProblemsFrom } from "../../server/dev-tools/scripted-problems.ts";
import { uniqueName, useTestPrisma } from "../helpers/db.ts";
import { o1c } from "../helpers/o1c.ts";
import { exportCliArgs, exportHref, exportOptionsOf, type ExportChoices } from "../../components/experiments/export-panel.tsx";
import { judge } from "./hand-built-experiment.ts";
import { expectPreference, expectPromptCompletion, expectStepwise, expectUniformProvenance } from "./trl-formats.ts";

const PROBLEMS = [1, 2, 3].map((k) => ({
  id: `inc${k}`,
  statement: `Increment by ${k}: write inc${k}(x) returning x + ${k}.`,
  entry_point: `inc${k}`,
  reference_solution: `def inc${k}(x):\n    return x + ${k}\n`,
  tests: [`assert inc${k}(1) == ${1 + k}`, { assert: `assert inc${k}(5) == ${5 + k}`, hidden: true }],
}));

type Rec = Record<string, unknown> & { provenance: Record<string, unknown> };
type Message = { role: string; content: string };

describe("exports of a scripted run", () => {
  const prisma = useTestPrisma();
  const dataset = uniqueName("export-run");
  let server: ScriptedServer;
  let sandbox: Sandbox;
  let experimentId: string;
  let experimentName: string;
  let dir: string;

  async function records(params: Record<string, unknown>): Promise<Rec[]> {
    const out: Rec[] = [];
    for await (const r of streamExport(prisma, parseExportOptions({ experiment: experimentId, ...params }))) out.push(r as unknown as Rec);
    expectUniformProvenance(out);
    return out;
  }

  beforeAll(async () => {
    const bytes = new TextEncoder().encode(PROBLEMS.map((p) => JSON.stringify(p)).join("\n"));
    await importDataset(prisma, { source: { fileName: "inc.jsonl", bytes }, format: "jsonl", name: dataset });
    const problems = await prisma.problem.findMany({ where: { dataset: { name: dataset } } });
    server = await startScriptedOpenAiServer({ problems: scriptedProblemsFrom(problems), models: ["m"] });
    sandbox = await createSandbox();
    ({ id: experimentId, name: experimentName } = await createExperimentFromInput(prisma, {
      name: `inc run ${dataset}`,
      dataset,
      mode: "pseudocode",
      llm: { baseUrl: server.url, model: "m" },
      search: { rollouts: 6 },
    }));
    await runExperiment(prisma, experimentId, { sandbox, createLlm: openAiOverHttp });
    dir = await mkdtemp(path.join(tmpdir(), "o1c-export-"));
  }, 90_000);
  afterAll(async () => {
    await sandbox?.close();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("rebuilds the exact chat request each preference pair was sampled from", async () => {
    const sent = new Set(
      server.requests.filter((r) => r.path.endsWith("/chat/completions")).map((r) => JSON.stringify((r.body as { messages: Message[] }).messages)),
    );
    const pairs = await records({ format: "dpo", source: "search", margin: "0", style: "conversational" });
    expect(pairs.length).toBeGreaterThan(0);
    for (const pair of pairs) {
      expectPreference(pair, "conversational");
      const node = await prisma.treeNode.findUniqueOrThrow({ where: { id: pair.provenance.chosenNodeId as string } });
      const content = (pair.chosen as Message[])[0]!.content;
      const generated = `${node.stepText}<Step_End>`;
      expect(content.endsWith(generated)).toBe(true);
      const request = [...(pair.prompt as Message[]), { role: "assistant", content: content.slice(0, -generated.length) }];
      expect(sent.has(JSON.stringify(request)), JSON.stringify(request).slice(0, 300)).toBe(true);
    }
  });

  it("every format loads as TRL expects on real trees", async () => {
    const sft = await records({ format: "sft" });
    expect(sft.length).toBeGreaterThan(0);
    for (const r of sft) expectPromptCompletion(r, "standard");
    for (const r of await records({ format: "sft", style: "conversational" })) expectPromptCompletion(r, "conversational");
    const prm = await records({ format: "prm", labels: "visit-weighted" });
    expect(prm.length).toBeGreaterThan(sft.length - 1);
    for (const r of prm) expectStepwise(r, "soft");
    for (const r of await records({ format: "dpo", source: "search" })) expectPreference(r, "standard");
  });

  it("o1c export writes the file and prints the count; --json for machines", async () => {
    const out = path.join(dir, "x.jsonl");
    const run = await o1c(["export", "--experiment", experimentId, "--format", "prm", "--out", out]);
    expect(run.code, run.stderr).toBe(0);
    const lines = (await readFile(out, "utf8")).trimEnd().split("\n");
    expect(run.stdout).toContain(`Wrote ${lines.length} PRM records to ${out}`);
    for (const line of lines) {
      const record = JSON.parse(line) as Rec;
      expectStepwise(record, "hard");
      expect((record.completions as string[]).length).toBe((record.labels as boolean[]).length);
      expect(record.provenance).toMatchObject({ experimentId, model: "m" });
    }
    const json = await o1c(["export", "--experiment", experimentId, "--format", "sft", "--out", path.join(dir, "s.jsonl"), "--json"]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ format: "sft", path: path.join(dir, "s.jsonl"), experimentId });
  }, 60_000);

  it("o1c export writes nothing for an unknown experiment or a bad option", async () => {
    const out = path.join(dir, "bad.jsonl");
    const unknown = await o1c(["export", "--experiment", "nope", "--format", "dpo", "--out", out]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no experiment nope");
    const bad = await o1c(["export", "--experiment", experimentId, "--format", "dpo", "--margin=-1", "--out", out]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--margin: must be ≥ 0");
    const usage = await o1c(["export", "--experiment", experimentId, "--format", "dpo"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--out FILE.jsonl is required");
    expect((await readdir(dir)).filter((f) => f.includes("bad"))).toEqual([]);
  }, 60_000);

  it("the download route streams the same records as the CLI, as an attachment", async () => {
    const out = path.join(dir, "same.jsonl");
    expect((await o1c(["export", "--experiment", experimentId, "--format", "prm", "--labels", "visit-weighted", "--out", out])).code).toBe(0);
    const response = await exportResponse(prisma, experimentId, new URLSearchParams({ format: "prm", labels: "visit-weighted" }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toContain(`attachment; filename="inc-run-${dataset}-prm.jsonl"`);
    expect(await response.text()).toBe(await readFile(out, "utf8"));
    expect(experimentName).toBe(`inc run ${dataset}`);
  }, 60_000);

  it("the export panel's CLI hint writes the file its link downloads", async () => {
    const panel: ExportChoices = { format: "sft", style: "standard", source: "both", margin: "0.2", labels: "hard" };
    const choices: ExportChoices[] = [
      { ...panel, format: "sft", style: "conversational" },
      { ...panel, format: "dpo", source: "search", margin: "0" },
      { ...panel, format: "dpo-paths" },
      { ...panel, format: "prm", labels: "visit-weighted" },
      { ...panel, format: "prm-pairwise" },
      { ...panel, format: "tcg-sft" },
    ];
    for (const choice of choices) {
      const options = exportOptionsOf(choice);
      const out = path.join(dir, `panel-${choice.format}.jsonl`);
      const cli = await o1c(exportCliArgs(experimentId, options, out));
      expect(cli.code, cli.stderr).toBe(0);
      const response = await exportResponse(prisma, experimentId, new URL(exportHref(experimentId, options), "http://localhost").searchParams);
      // This run has records of each choice: a refused empty export would compare nothing.
      expect(response.status, choice.format).toBe(200);
      expect(await response.text(), choice.format).toBe(await readFile(out, "utf8"));
    }
  }, 120_000);

  it("check=1 answers 204 with the download's headers and no file; check takes only 1", async () => {
    const check = await exportResponse(prisma, experimentId, new URLSearchParams({ format: "prm", labels: "visit-weighted", check: "1" }));
    expect(check.status).toBe(204);
    expect(check.body).toBeNull();
    expect(check.headers.get("content-disposition")).toContain(`attachment; filename="inc-run-${dataset}-prm.jsonl"`);
    const bad = await exportResponse(prisma, experimentId, new URLSearchParams({ format: "prm", check: "yes" }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ where: "query parameter check" });
  });

  it("the route answers 404 for an unknown experiment and 400 naming a bad parameter", async () => {
    const missing = await exportResponse(prisma, "nope", new URLSearchParams({ format: "sft" }));
    expect(missing.status).toBe(404);
    const bad = await exportResponse(prisma, experimentId, new URLSearchParams({ format: "dpo", margin: "x" }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ where: "query parameter margin" });
  });

  it("the route refuses an export with no records, saying why, instead of an empty file", async () => {
    // No human judgement yet (the next test adds them): a human-DPO download would be empty.
    const empty = await exportResponse(prisma, experimentId, new URLSearchParams({ format: "dpo", source: "human" }));
    expect(empty.status).toBe(409);
    expect(empty.headers.get("content-disposition")).toBeNull();
    expect(await empty.json()).toEqual({
      error: `experiment '${experimentName}' has no DPO records from human judgements: nobody has judged a step pair 'A better' or 'B better' yet (Annotate step pairs; ties and both-bad give no record)`,
    });
    // The page's check before a download gets the same refusal, so it shows the reason instead of downloading.
    const checked = await exportResponse(prisma, experimentId, new URLSearchParams({ format: "dpo", source: "human", check: "1" }));
    expect(checked.status).toBe(409);
    expect((await checked.json()) as unknown).toEqual({ error: expect.stringContaining("has no DPO records from human judgements") });
    // The CLI refuses it the same way, with the same reason, and writes no file.
    const out = path.join(dir, "human-empty.jsonl");
    const cli = await o1c(["export", "--experiment", experimentId, "--format", "dpo", "--source", "human", "--out", out]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain("has no DPO records from human judgements: nobody has judged a step pair");
    expect(existsSync(out)).toBe(false);
  });

  it("a DPO download holds each of five human judgements", async () => {
    const tree = await prisma.searchTree.findFirstOrThrow({ where: { experimentId }, orderBy: { problem: { ordinal: "asc" } } });
    const nodes = await prisma.treeNode.findMany({ where: { tree: { experimentId } }, orderBy: [{ treeId: "asc" }, { seq: "asc" }] });
    const pairs: [string, string][] = [];
    for (const parent of nodes) {
      const children = nodes.filter((n) => n.parentId === parent.id);
      for (let i = 1; i < children.length && pairs.length < 5; i++) pairs.push([children[0]!.id, children[i]!.id]);
    }
    expect(pairs).toHaveLength(5);
    const ids: string[] = [];
    for (const [chosen, rejected] of pairs) ids.push((await judge(prisma, experimentId, chosen, rejected, "PREFER", "")).id);
    const response = await exportResponse(prisma, experimentId, new URLSearchParams({ format: "dpo", source: "human" }));
    const lines = (await response.text()).trimEnd().split("\n").map((l) => JSON.parse(l) as Rec);
    expect(lines.map((r) => r.provenance.judgementIds).flat().sort()).toEqual([...ids].sort());
    expect(lines.map((r) => [r.provenance.chosenNodeId, r.provenance.rejectedNodeId]).sort()).toEqual([...pairs].sort());
    expect(tree.experimentId).toBe(experimentId);
  });
});
