// An experiment that searches with generated tests is pinned to one TCG run when it is created (issue 13, point 5):
// a later TCG run on the same dataset changes neither what its search is rewarded by, nor what its exports show (a
// resume reads the same stored config, so it continues with the same cases).
// Real Postgres, the scripted server over HTTP, the real sandbox.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importJsonlRecords, openAiOverHttp } from "../helpers/scripted-runs.ts";
import { createExperimentFromInput } from "../../server/experiments/experiment-service.ts";
import { runExperiment } from "../../server/engine/run-experiment.ts";
import { createSandbox } from "../../server/sandbox/index.ts";
import type { Sandbox } from "../../server/sandbox/types.ts";
import { loadExportExperiment } from "../../server/exports/export-tree.ts";
import { parseExportOptions } from "../../server/exports/export-options.ts";
import { prepareExport } from "../../server/exports/stream-export.ts";
import { experimentTcgRun } from "../../server/exports/tcg-dpo.ts";
import { startScriptedOpenAiServer, type ScriptedServer } from "../../server/dev-tools/scripted-openai-server.ts";
import { scriptedProblemsFrom } from "../../server/dev-tools/scripted-problems.ts";
import { uniqueName, useTestPrisma } from "../helpers/db.ts";

// The dataset's only test is hidden: whatever rewards the search is a generated case.
const PROBLEM = {
  id: "inc",
  statement: "Write a function inc(x) that returns x + 1.",
  entry_point: "inc",
  reference_solution: "def inc(x):\n    return x + 1\n",
  tests: [{ assert: "assert inc(100) == 101", hidden: true }],
};
const RUN_A_CASE = "assert inc(7) == 8";
const RUN_B_CASE = "assert inc(31) == 32";

describe("an experiment's TCG run is pinned at creation", () => {
  const prisma = useTestPrisma();
  const dataset = uniqueName("pin");
  const otherDataset = uniqueName("pin-other");
  let datasetId: string;
  let problemId: string;
  let sandbox: Sandbox;
  let server: ScriptedServer;

  /** A TCG run as run-tcg.ts stores one: the run row and its validated generated case. */
  async function storeTcgRun(status: "COMPLETED" | "RUNNING", testCase: string, ordinal: number, onDataset = datasetId): Promise<string> {
    const run = await prisma.tcgRun.create({ data: { datasetId: onDataset, status, model: "m", llmBaseUrl: server.url, config: {} }, select: { id: true } });
    if (onDataset === datasetId) {
      await prisma.testCase.create({
        data: { problemId, ordinal, origin: "GENERATED", kind: "ASSERT", input: testCase, validation: "VALID", tcgRunId: run.id },
      });
    }
    return run.id;
  }

  const config = (extra: Record<string, unknown> = {}) => ({
    dataset,
    mode: "pseudocode",
    llm: { baseUrl: server.url, model: "m" },
    testSource: "generated",
    search: { rollouts: 4 },
    ...extra,
  });

  beforeAll(async () => {
    const imported = await importJsonlRecords(prisma, dataset, [PROBLEM]);
    datasetId = imported.datasetId;
    const problems = imported.problems;
    await importJsonlRecords(prisma, otherDataset, [PROBLEM]);
    problemId = problems[0]!.id;
    server = await startScriptedOpenAiServer({ problems: scriptedProblemsFrom(problems), models: ["m"] });
    sandbox = await createSandbox();
  }, 60_000);
  afterAll(async () => {
    await sandbox?.close();
    await server?.close();
  });

  it("refuses generated tests on a dataset without a completed TCG run, naming the field", async () => {
    await expect(createExperimentFromInput(prisma, config())).rejects.toThrow(
      `config field testSource: generated needs generated tests, and dataset '${dataset}' has no completed TCG run`,
    );
    await expect(createExperimentFromInput(prisma, config({ testSource: "dataset-visible", tcgRun: "any" }))).rejects.toThrow(
      "config field tcgRun: a TCG run only feeds a search whose testSource is generated or both",
    );
    expect(await prisma.experiment.count({ where: { datasetId } })).toBe(0);
  });

  it("searches and exports with the pinned run's cases only, whatever runs come later", async () => {
    const runA = await storeTcgRun("COMPLETED", RUN_A_CASE, 0);
    const unfinished = await storeTcgRun("RUNNING", "assert inc(2) == 3", 1);
    const pinnedToA = await createExperimentFromInput(prisma, config());
    expect(await storedTcgRun(pinnedToA.id)).toBe(runA);

    // A later, completed run: new experiments take it; the first one keeps run A.
    const runB = await storeTcgRun("COMPLETED", RUN_B_CASE, 2);
    const pinnedToB = await createExperimentFromInput(prisma, config({ testSource: "both" }));
    expect(await storedTcgRun(pinnedToB.id)).toBe(runB);
    expect(await storedTcgRun(pinnedToA.id)).toBe(runA);
    const askedForA = await createExperimentFromInput(prisma, config({ tcgRun: runA }));
    expect(await storedTcgRun(askedForA.id)).toBe(runA);

    // A run asked for by id must be this dataset's, and completed.
    const elsewhere = await storeTcgRun("COMPLETED", "", 0, (await prisma.dataset.findUniqueOrThrow({ where: { name: otherDataset } })).id);
    await expect(createExperimentFromInput(prisma, config({ tcgRun: elsewhere }))).rejects.toThrow(
      `config field tcgRun: TCG run ${elsewhere} generated tests for another dataset than '${dataset}'`,
    );
    await expect(createExperimentFromInput(prisma, config({ tcgRun: unfinished }))).rejects.toThrow(`config field tcgRun: TCG run ${unfinished} is running, not completed`);
    await expect(createExperimentFromInput(prisma, config({ tcgRun: "no-such-run" }))).rejects.toThrow("config field tcgRun: no TCG run no-such-run");

    // The search of the experiment pinned to A: its prompts show A's case and never B's (nor the unfinished run's),
    // and only A's case was executed.
    const before = server.requests.length;
    const result = await runExperiment(prisma, pinnedToA.id, { sandbox, createLlm: openAiOverHttp });
    expect(result.status).toBe("completed");
    const bodies = server.requests.slice(before).filter((r) => r.path.endsWith("completions")).map((r) => r.rawBody);
    expect(bodies.length).toBeGreaterThan(0);
    expect(bodies.filter((b) => !b.includes(RUN_A_CASE))).toEqual([]);
    expect(bodies.filter((b) => b.includes("inc(31)") || b.includes("inc(2)"))).toEqual([]);
    const executed = await prisma.execution.findMany({
      where: { node: { tree: { experimentId: pinnedToA.id } }, testCase: { origin: "GENERATED" } },
      select: { testCase: { select: { tcgRunId: true } } },
    });
    expect(executed.length).toBeGreaterThan(0);
    expect(new Set(executed.map((e) => e.testCase.tcgRunId))).toEqual(new Set([runA]));

    // Its exports: the SFT prompt shows run A's case, and a TCG-DPO export of the experiment reads run A, not the
    // dataset's latest run B.
    const sft = await prepareExport(prisma, parseExportOptions({ format: "sft", experiment: pinnedToA.id }));
    const prompts: string[] = [];
    for await (const record of sft.records()) prompts.push(JSON.stringify(record));
    expect(prompts.length).toBeGreaterThan(0);
    expect(prompts.filter((p) => !p.includes(RUN_A_CASE) || p.includes("inc(31)"))).toEqual([]);
    expect(await experimentTcgRun(prisma, await loadExportExperiment(prisma, pinnedToA.id))).toBe(runA);
    expect(await experimentTcgRun(prisma, await loadExportExperiment(prisma, pinnedToB.id))).toBe(runB);
  }, 120_000);

  async function storedTcgRun(experimentId: string): Promise<unknown> {
    const experiment = await prisma.experiment.findUniqueOrThrow({ where: { id: experimentId }, select: { config: true } });
    return (experiment.config as { tcgRun?: unknown }).tcgRun;
  }
});
