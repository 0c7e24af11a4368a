// A TCG run whose every problem errored (its LLM server unreachable) is FAILED, and is never "the latest run": not for
// a lineage's TCG validity, not for a TCG-DPO export's default run. TCG-DPO from a failed run, or from a run with no
// pairs, is a clear error and writes no file.
import { access, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importDataset } from "../../server/datasets/import-dataset.ts";
import { createExperimentFromInput } from "../../server/experiments/experiment-service.ts";
import { parseExportOptions } from "../../server/exports/export-options.ts";
import { prepareExport } from "../../server/exports/stream-export.ts";
import { findTcgValidity, tcgKey } from "../../server/lineage/tcg-validity.ts";
import { createOpenAiClient } from "../../server/llm/openai-client.ts";
import { createSandbox } from "../../server/sandbox/index.ts";
import type { Sandbox } from "../../server/sandbox/types.ts";
import { runTcg } from "../../server/tcg/run-tcg.ts";
import { startScriptedOpenAiServer, type ScriptedServer } from "../../server/dev-tools/scripted-openai-server.ts";
import { scriptedProblemsFrom } from "../../server/dev-tools/scripted-problems.ts";
import { uniqueName, useTestPrisma } from "../helpers/db.ts";
import { o1c } from "../helpers/o1c.ts";
import { closedPort } from "../helpers/closed-port.ts";

const RECORDS = [
  { id: "triple", statement: "Triple it: write triple(x) returning three times x.", entry_point: "triple", reference_solution: "def triple(x):\n    return 3 * x\n", tests: [{ assert: "assert triple(4) == 12", hidden: true }] },
  { id: "halve", statement: "Halve it: write halve(x) returning x // 2.", entry_point: "halve", reference_solution: "def halve(x):\n    return x // 2\n", tests: [{ assert: "assert halve(9) == 4", hidden: true }] },
];
// triple gets three cases (a pair can be made); halve only one (no pair can).
const TCG_CASES: Record<string, Array<{ input: string; output: string }>> = {
  triple: [{ input: "triple(1)", output: "3" }, { input: "triple(2)", output: "6" }, { input: "triple(10)", output: "30" }],
  halve: [{ input: "halve(10)", output: "5" }],
};

describe("a TCG run whose every problem errored", () => {
  const prisma = useTestPrisma();
  const dataset = uniqueName("tcg-failed");
  let server: ScriptedServer;
  let sandbox: Sandbox;
  let datasetId: string;
  let noPairsRun: string;
  let goodRun: string;
  let failedRun: string;
  let failedError: string | null;

  beforeAll(async () => {
    const bytes = new TextEncoder().encode(RECORDS.map((r) => JSON.stringify(r)).join("\n"));
    datasetId = (await importDataset(prisma, { source: { fileName: "tcg.jsonl", bytes }, format: "jsonl", name: dataset })).datasetId;
    const problems = await prisma.problem.findMany({ where: { dataset: { name: dataset } }, orderBy: { ordinal: "asc" } });
    const scripted = scriptedProblemsFrom(problems).map((p) => ({ ...p, tcgCases: TCG_CASES[p.id] }));
    server = await startScriptedOpenAiServer({ problems: scripted, models: ["m"] });
    sandbox = await createSandbox();
    const llm = createOpenAiClient({ baseUrl: server.url, model: "m" });
    noPairsRun = (await runTcg(prisma, { dataset, problems: { kind: "range", from: 2, to: 2 }, llm: { baseUrl: server.url, model: "m" } }, { sandbox, llm })).runId;
    // Five cases a problem (as before the default became the paper's 3): the scripted writer gets a quarter of outputs
    // wrong, and a pair needs two valid cases of one problem.
    goodRun = (await runTcg(prisma, { dataset, cases: 5, llm: { baseUrl: server.url, model: "m" } }, { sandbox, llm })).runId;
    // The same model name on a server nobody listens on: every problem's LLM call fails.
    const deadUrl = `http://127.0.0.1:${await closedPort()}/v1`;
    const dead = createOpenAiClient({ baseUrl: deadUrl, model: "m", maxRetries: 1, backoff: { initialMs: 20, maxMs: 40 } });
    const result = await runTcg(prisma, { dataset, llm: { baseUrl: deadUrl, model: "m" } }, { sandbox, llm: dead });
    failedRun = result.runId;
    failedError = (await prisma.tcgRun.findUniqueOrThrow({ where: { id: failedRun } })).error;
  }, 120_000);
  afterAll(async () => {
    await sandbox?.close();
    await server?.close();
  });

  it("is FAILED with the reason, its report kept", async () => {
    const run = await prisma.tcgRun.findUniqueOrThrow({ where: { id: failedRun } });
    expect(run.status).toBe("FAILED");
    expect(failedError).toMatch(/^all 2 problems failed; problem triple: .*could not reach the LLM server/);
    expect(run.report).toMatchObject({ problems: 2, problemsFailed: 2 });
    expect((await prisma.tcgRun.findUniqueOrThrow({ where: { id: goodRun } })).status).toBe("COMPLETED");
  });

  it("does not replace the last good run in a lineage's TCG validity", async () => {
    const found = await findTcgValidity(prisma, [{ datasetId, model: "m" }]);
    expect(found.get(tcgKey(datasetId, "m"))?.runId).toBe(goodRun);
  });

  it("is not the default run of a TCG-DPO export; the last good run is", async () => {
    const { id } = await createExperimentFromInput(prisma, { dataset, mode: "vanilla", llm: { baseUrl: server.url, model: "m" } });
    const prepared = await prepareExport(prisma, parseExportOptions({ format: "tcg-dpo", experiment: id }));
    const records = [];
    for await (const record of prepared.records()) records.push(record);
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => (r.provenance as { runId: string }).runId === goodRun)).toBe(true);
  });

  it("TCG-DPO from the failed run, or from a run without pairs, is a clear error and writes no file", async () => {
    await expect(prepareExport(prisma, parseExportOptions({ format: "tcg-dpo", "tcg-run": failedRun }))).rejects.toThrow(
      `tcg-run: TCG run ${failedRun} is failed (${failedError}); TCG-DPO needs a completed run`,
    );
    const dir = await mkdtemp(path.join(tmpdir(), "o1c-tcg-dpo-"));
    const out = path.join(dir, "pairs.jsonl");
    const cli = await o1c(["export", "--format", "tcg-dpo", "--tcg-run", noPairsRun, "--out", out]);
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toContain(`TCG run ${noPairsRun} has no preference pairs`);
    await expect(access(out)).rejects.toThrow();
  }, 60_000);
});
