// `o1c run --json` names the experiment it made and its dashboard page; `o1c experiments [--json]` lists experiments
// with status, dataset, mode, model and metrics (issue 15 §13). Real processes, the scripted LLM server over HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importDataset } from "../../server/datasets/import-dataset.ts";
import { startScriptedOpenAiServer, type ScriptedServer } from "../../server/dev-tools/scripted-openai-server.ts";
import { scriptedProblemsFrom } from "../../server/dev-tools/scripted-problems.ts";
import { uniqueName, useTestPrisma } from "../helpers/db.ts";
import { o1c } from "../helpers/o1c.ts";

describe("o1c run --json and o1c experiments", () => {
  const prisma = useTestPrisma();
  const dataset = uniqueName("cli-list");
  let server: ScriptedServer;

  beforeAll(async () => {
    const lines = [1, 2].map((i) => JSON.stringify({ id: `e${i}`, statement: `Write f${i}(x) returning x * ${i}.`, entry_point: `f${i}`, reference_solution: `def f${i}(x):\n    return x * ${i}\n`, tests: [`assert f${i}(2) == ${2 * i}`, { assert: `assert f${i}(5) == ${5 * i}`, hidden: true }] }));
    await importDataset(prisma, { source: { fileName: "two.jsonl", bytes: new TextEncoder().encode(lines.join("\n")) }, format: "jsonl", name: dataset });
    const problems = await prisma.problem.findMany({ where: { dataset: { name: dataset } } });
    server = await startScriptedOpenAiServer({ problems: scriptedProblemsFrom(problems), models: ["m"] });
  }, 60_000);
  afterAll(() => server?.close());

  it("run --json carries the experiment's id and URL; experiments lists it with its metrics", async () => {
    const run = await o1c(["run", "--dataset", dataset, "--mode", "pseudocode", "--llm", server.url, "--model", "m", "--rollouts", "2", "--json"], { PORT: "3456" });
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { experimentId: string; url: string; pass1: number };
    const stored = await prisma.experiment.findFirstOrThrow({ where: { dataset: { name: dataset } } });
    expect(result.experimentId).toBe(stored.id);
    expect(result.url).toBe(`http://127.0.0.1:3456/experiments/${stored.id}`);
    expect(result).toHaveProperty("pass1");

    const listed = await o1c(["experiments", "--json"]);
    expect(listed.code, listed.stderr).toBe(0);
    const row = (JSON.parse(listed.stdout) as { id: string }[]).find((e) => e.id === stored.id);
    expect(row).toMatchObject({ status: "COMPLETED", dataset, mode: "pseudocode", model: "m", problemsDone: 2, problemsTotal: 2, metrics: { pass1: result.pass1 } });

    const table = await o1c(["experiments"]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout.split("\n")[0]).toMatch(/^id\s+status\s+dataset\s+mode\s+model\s+done\s+pass@1\s+aspr\s+tokens\/problem\s+name$/);
    expect(table.stdout).toMatch(new RegExp(`${stored.id}\\s+completed\\s+${dataset}\\s+pseudocode\\s+m\\s+2/2\\s+\\d.* ${stored.name}\n`));
  }, 120_000);
});
