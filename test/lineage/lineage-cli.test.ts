// `o1c lineage` and the lineage flags of `o1c run`, as a user runs them (a real process against the test database).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LineageComparison, LineageListItem } from "../../server/lineage/lineage-service.ts";
import { uniqueName, useTestPrisma } from "../helpers/db.ts";
import { o1c } from "../helpers/o1c.ts";
import { startScriptedOpenAiServer, type ScriptedServer } from "../../server/dev-tools/scripted-openai-server.ts";
import { scriptedProblemsFrom } from "../../server/dev-tools/scripted-problems.ts";
import { createExperimentFromInput, experimentConfig, finish, importTinyDataset, metrics, UNUSED_ENDPOINT } from "./lineage-fixtures.ts";

describe("o1c lineage", () => {
  const prisma = useTestPrisma();
  const dataset = uniqueName("lineage-cli");
  const name = uniqueName("cli-lineage");
  let ids: string[];
  let server: ScriptedServer;

  beforeAll(async () => {
    await importTinyDataset(prisma, dataset);
    server = await startScriptedOpenAiServer({ problems: scriptedProblemsFrom(await prisma.problem.findMany({ where: { dataset: { name: dataset } } })), models: ["policy-it0"] });
    const base = await createExperimentFromInput(prisma, experimentConfig(dataset, "pseudocode", "base", { lineage: { name, iteration: 0 } }));
    const next = await createExperimentFromInput(prisma, experimentConfig(dataset, "pseudocode", "iter1", { lineage: { name, iteration: 1, trainedOn: "iteration 0 exports" } }));
    await finish(prisma, base.id, "COMPLETED", metrics(0.4, 0.5, 800));
    await finish(prisma, next.id, "RUNNING", null);
    ids = [base.id, next.id];
  });
  afterAll(() => server?.close());

  it("run --lineage --iteration --trained-on records the run as that iteration; show reports its metrics", async () => {
    const lineage = uniqueName("run-lineage");
    const flags = ["--dataset", dataset, "--mode", "pseudocode", "--llm", server.url, "--model", "policy-it0", "--rollouts", "3", "--json"];
    const run = await o1c(["run", ...flags, "--lineage", lineage, "--iteration", "0", "--trained-on", "nothing: the base model"]);
    expect(run.code, run.stderr).toBe(0);
    const metrics = JSON.parse(run.stdout) as { pass1: number; aspr: number; tokensPerProblem: number };
    const show = await o1c(["lineage", "show", lineage, "--json"]);
    expect(show.code, show.stderr).toBe(0);
    const shown = JSON.parse(show.stdout) as LineageComparison;
    expect(shown.iterations).toHaveLength(1);
    expect(shown.iterations[0]!.rows[0]).toMatchObject({
      iteration: 0,
      model: "policy-it0",
      endpoint: server.url,
      status: "COMPLETED",
      trainedOn: "nothing: the base model",
      pass1: metrics.pass1,
      aspr: metrics.aspr,
      tokensPerProblem: metrics.tokensPerProblem,
    });
  }, 120_000);

  it("show --json prints the comparison read model; show prints the table with the definitions", async () => {
    const [json, text] = await Promise.all([o1c(["lineage", "show", name, "--json"]), o1c(["lineage", "show", name])]);
    expect(json.code, json.stderr).toBe(0);
    const lineage = JSON.parse(json.stdout) as LineageComparison;
    expect(lineage.name).toBe(name);
    expect(lineage.iterations.map((g) => [g.iteration, g.rows.map((r) => r.experimentId)])).toEqual([[0, [ids[0]]], [1, [ids[1]]]]);
    expect(lineage.iterations[0]!.rows[0]).toMatchObject({ model: "base", endpoint: UNUSED_ENDPOINT, pass1: 0.4, aspr: 0.5, tokensPerProblem: 800, judgements: 0 });
    expect(lineage.iterations[1]!.rows[0]).toMatchObject({ status: "RUNNING", pass1: null, trainedOn: "iteration 0 exports", delta: { previous: { experimentId: ids[0] }, pass1: null } });

    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/40\.0%/);
    expect(text.stdout).toContain("iteration 0 exports");
    expect(text.stdout).toContain("TCG validity: the validity rate of the latest completed");
  });

  it("list --json counts iterations; unknown names, bad arguments and a bad --iteration fail with their reason", async () => {
    const flags = ["run", "--dataset", dataset, "--mode", "vanilla", "--llm", UNUSED_ENDPOINT, "--model", "m"];
    const [list, missing, noName, fractional, alone] = await Promise.all([
      o1c(["lineage", "list", "--json"]),
      o1c(["lineage", "show", "no-such-lineage"]),
      o1c(["lineage", "show"]),
      o1c([...flags, "--lineage", uniqueName("never"), "--iteration", "1.5"]),
      o1c([...flags, "--iteration", "1"]),
    ]);
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as LineageListItem[]).find((l) => l.name === name)).toMatchObject({ iterations: 2, experiments: 2, latestIteration: 1 });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no lineage named 'no-such-lineage'");
    expect(noName.code).toBe(2);
    expect(noName.stderr).toContain("show needs the lineage's NAME");
    // run validates the lineage section before it touches the database or the LLM.
    expect(fractional.code).toBe(1);
    expect(fractional.stderr).toContain("command line field lineage.iteration: must be a whole number ≥ 0");
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain("--iteration and --trained-on need --lineage NAME");
    expect(await prisma.experiment.count({ where: { dataset: { name: dataset }, mode: "vanilla" } })).toBe(0);
  });
});
