// A TCG run end to end: the scripted OpenAI-compatible server over real HTTP, the real sandbox, real Postgres.
// Then a search (via `o1c run`) over problems whose only search-visible tests are the generated ones, and a second
// TCG run that measures agreement on the programs that search wrote.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importDataset } from "../../server/datasets/import-dataset.ts";
import { createOpenAiClient } from "../../server/llm/openai-client.ts";
import { createSandbox } from "../../server/sandbox/index.ts";
import type { Sandbox } from "../../server/sandbox/types.ts";
import { runTcg, type TcgRunResult } from "../../server/tcg/run-tcg.ts";
import { streamTcgDpoRecords } from "../../server/tcg/tcg-preference-pairs.ts";
import type { TcgReport } from "../../server/tcg/tcg-report.ts";
import { appRouter } from "../../server/api/root.ts";
import { createCallerFactory } from "../../server/api/trpc.ts";
import { TRPCError } from "@trpc/server";
import { startScriptedOpenAiServer, type ScriptedServer } from "../../server/dev-tools/scripted-openai-server.ts";
import { scriptedProblemsFrom } from "../../server/dev-tools/scripted-problems.ts";
import { uniqueName, useTestPrisma } from "../helpers/db.ts";
import { o1c } from "../helpers/o1c.ts";

// Every dataset test is hidden: without generated tests a search would have nothing to reward it.
const RECORDS = [
  { id: "triple", statement: "Triple it: write triple(x) returning three times x.", entry_point: "triple", reference_solution: "def triple(x):\n    return 3 * x\n", tests: [{ assert: "assert triple(4) == 12", hidden: true }, { assert: "assert triple(-7) == -21", hidden: true }] },
  { id: "halve", statement: "Halve it: write halve(x) returning x // 2.", entry_point: "halve", reference_solution: "def halve(x):\n    return x // 2\n", tests: [{ assert: "assert halve(9) == 4", hidden: true }, { assert: "assert halve(-3) == -2", hidden: true }] },
  { id: "sum-line", statement: "Sum line: read integers on one line and print their sum.", reference_solution: "print(sum(map(int, input().split())))\n", tests: [{ input: "1 2 3\n", output: "6\n", hidden: true }] },
  { id: "no-ref", statement: "No reference: write neg(x) returning -x.", entry_point: "neg", tests: [{ assert: "assert neg(8) == -8", hidden: true }] },
];

// What the scripted TCG "knows": cases on other inputs than the hidden tests, so no hidden test reaches a search prompt.
const TCG_CASES: Record<string, Array<{ input: string; output: string }>> = {
  triple: [{ input: "triple(1)", output: "3" }, { input: "triple(2)", output: "6" }, { input: "triple(10)", output: "30" }],
  halve: [{ input: "halve(10)", output: "5" }, { input: "halve(7)", output: "3" }, { input: "halve(0)", output: "0" }],
  "sum-line": [{ input: "4 5\n", output: "9\n" }, { input: "10\n", output: "10\n" }],
  "no-ref": [{ input: "neg(2)", output: "-2" }],
};

describe("TCG run over the scripted LLM, the sandbox and Postgres", () => {
  const prisma = useTestPrisma();
  const dataset = uniqueName("tcg");
  let server: ScriptedServer;
  let sandbox: Sandbox;
  let first: TcgRunResult;

  beforeAll(async () => {
    const bytes = new TextEncoder().encode(RECORDS.map((r) => JSON.stringify(r)).join("\n"));
    await importDataset(prisma, { source: { fileName: "tcg.jsonl", bytes }, format: "jsonl", name: dataset });
    const problems = await prisma.problem.findMany({ where: { dataset: { name: dataset } }, orderBy: { ordinal: "asc" } });
    const withCode = scriptedProblemsFrom(problems.filter((p) => p.entryPoint && p.referenceSolution));
    const scripted = problems.map((p) => ({
      ...(withCode.find((s) => s.id === p.externalId) ?? { id: p.externalId, snippet: p.statement.slice(0, 40), correctCode: "", wrongCode: "" }),
      tcgCases: TCG_CASES[p.externalId],
    }));
    server = await startScriptedOpenAiServer({ problems: scripted, models: ["m"] });
    sandbox = await createSandbox();
    first = await runTcg(prisma, { dataset, llm: { baseUrl: server.url, model: "m" }, cases: 6, agreementCandidates: 20 }, { sandbox, llm: createOpenAiClient({ baseUrl: server.url, model: "m" }) });
  }, 120_000);
  afterAll(async () => {
    await sandbox?.close();
    await server?.close();
  });

  it("stores a completed run with per-problem counts that add up, and dropped cases with reasons", async () => {
    const run = await prisma.tcgRun.findUniqueOrThrow({ where: { id: first.runId }, include: { problems: { include: { problem: true } } } });
    expect(run).toMatchObject({ status: "COMPLETED", model: "m", llmBaseUrl: server.url, error: null });
    expect(run.finishedAt).toBeInstanceOf(Date);
    expect(run.finishedAt!.getTime()).toBeGreaterThanOrEqual(run.createdAt.getTime());
    expect(run.problems).toHaveLength(4);
    for (const row of run.problems) {
      // The scripted TCG writes 6 cases: the known ones cycled (so repeats), a duplicate of the first, a malformed one.
      expect(row).toMatchObject({ generated: 6, parsed: 5, error: null });
      expect(row.duplicates).toBeGreaterThanOrEqual(1);
      expect(row.prompt).toContain("### Test Part\n[Generate 6 test cases here to validate the code.]");
      expect(row.prompt).toContain(row.problem.statement);
      const datasetTests = await prisma.testCase.findMany({ where: { problemId: row.problemId, origin: { not: "GENERATED" } } });
      for (const test of datasetTests) expect(row.prompt).not.toContain(test.input.trim());
      expect(row.promptTokens).toBeGreaterThan(0);
      const dropped = row.dropped as Array<{ text: string; reason: string; kind: string }>;
      expect(dropped.filter((d) => d.kind === "malformed")).toHaveLength(1);
      expect(dropped.filter((d) => d.kind === "duplicate")).toHaveLength(row.duplicates);
      expect(dropped.every((d) => d.reason.length > 0)).toBe(true);
      const stored = await prisma.testCase.count({ where: { tcgRunId: first.runId, problemId: row.problemId } });
      expect(stored).toBe(row.parsed - row.duplicates);
      if (row.problem.externalId !== "no-ref") expect(row.valid + row.invalid).toBe(stored);
    }
    const report = run.report as unknown as TcgReport;
    expect(report).toMatchObject({ problems: 4, problemsFailed: 0, generated: 24, parsed: 20, malformed: 4 });
    expect(report.duplicates).toBe(run.problems.reduce((sum, p) => sum + p.duplicates, 0));
    expect(report.valid).toBeGreaterThan(0);
    expect(report.invalid).toBeGreaterThan(0);
    expect(report.valid + report.invalid + report.unvalidated + report.duplicates).toBe(report.parsed);
    expect(report.validityRate).toBeCloseTo(report.valid / (report.valid + report.invalid), 10);
  });

  it("keeps validated cases as generated tests: valid ones exactly those the reference passes, invalid ones with the reason", async () => {
    const tests = await prisma.testCase.findMany({ where: { tcgRunId: first.runId }, include: { problem: true }, orderBy: [{ problemId: "asc" }, { ordinal: "asc" }] });
    expect(tests).toHaveLength(first.report.parsed - first.report.duplicates);
    expect(tests.every((t) => t.origin === "GENERATED")).toBe(true);
    for (const t of tests.filter((t) => t.problem.externalId === "triple")) {
      const [, x, y] = /^assert triple\((-?\d+)\) == (-?\d+)$/.exec(t.input)!;
      expect(t.validation).toBe(3 * Number(x) === Number(y) ? "VALID" : "INVALID");
      if (t.validation === "INVALID") expect(t.validationNote).toMatch(/^the reference fails the assert/);
    }
    const stdio = tests.filter((t) => t.problem.externalId === "sum-line");
    expect(stdio.every((t) => t.kind === "STDIO" && t.expected !== null)).toBe(true);
    const noRef = tests.filter((t) => t.problem.externalId === "no-ref");
    expect(noRef.length).toBeGreaterThan(0);
    expect(noRef.every((t) => t.validation === "UNVALIDATED" && t.validationNote === "not validated: the problem has no reference solution")).toBe(true);
    expect(tests.filter((t) => t.validation === "INVALID").every((t) => (t.validationNote ?? "").length > 0)).toBe(true);
  });

  it("the tcg router lists the run, its per-problem counts, and a problem's tests with validity and reasons", async () => {
    const caller = createCallerFactory(appRouter)({ prisma });
    const datasetId = (await prisma.dataset.findUniqueOrThrow({ where: { name: dataset } })).id;
    const runs = await caller.tcg.list({ datasetId });
    expect(runs.map((r) => r.id)).toContain(first.runId);
    expect(runs.find((r) => r.id === first.runId)).toMatchObject({ status: "completed", datasetName: dataset, cases: 6, problems: 4 });
    const detail = await caller.tcg.get({ id: first.runId });
    expect(detail.problemRows.map((p) => p.externalId)).toEqual(["triple", "halve", "sum-line", "no-ref"]);
    expect(detail.report).toMatchObject({ generated: first.report.generated, valid: first.report.valid });
    const noRef = detail.problemRows.find((p) => p.externalId === "no-ref")!;
    expect(noRef).toMatchObject({ hasReference: false, valid: 0, invalid: 0, validityRate: null });
    expect(noRef.unvalidated).toBeGreaterThan(0);
    const triple = detail.problemRows.find((p) => p.externalId === "triple")!;
    const problem = await caller.tcg.problem({ runId: first.runId, problemId: triple.problemId });
    expect(problem.tests).toHaveLength(triple.valid + triple.invalid);
    expect(problem.tests.filter((t) => t.validation === "INVALID").every((t) => t.validationNote)).toBe(true);
    expect(problem.dropped.map((d) => d.kind)).toContain("malformed");
    expect(problem.prompt).toContain(problem.statement);
    await expect(caller.tcg.get({ id: "missing" })).rejects.toSatisfy((e) => e instanceof TRPCError && e.code === "NOT_FOUND");
  });

  it("streams TCG-DPO records whose prompt is the stored prompt", async () => {
    const records = [];
    for await (const record of streamTcgDpoRecords(prisma, first.runId, { pageSize: 1 })) records.push(record);
    const stored = await prisma.tcgProblem.findMany({ where: { runId: first.runId }, select: { prompt: true } });
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) {
      expect(stored.map((s) => s.prompt)).toContain(record.prompt);
      expect(record.chosen).not.toBe(record.rejected);
    }
  });

  it("an experiment with testSource generated searches with the valid generated tests; hidden tests only judge; then agreement", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "tcg-exp-"));
    const configFile = path.join(dir, "experiment.json");
    await writeFile(configFile, JSON.stringify({ dataset, problems: { kind: "ids", ids: ["triple", "halve"] }, mode: "pseudocode", llm: { baseUrl: server.url, model: "m" }, testSource: "generated", search: { rollouts: 4 } }));
    const searchRequestsBefore = server.requests.length;
    const { code, stdout, stderr } = await o1c(["run", "--config", configFile, "--json"]);
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ problems: 2, failedProblems: 0 });

    const experiment = await prisma.experiment.findFirstOrThrow({ where: { dataset: { name: dataset } }, orderBy: { createdAt: "desc" } });
    const executions = await prisma.execution.findMany({ where: { node: { tree: { experimentId: experiment.id } } }, select: { testCase: { select: { origin: true, validation: true } } } });
    const rewarded = executions.filter((e) => e.testCase.origin === "GENERATED");
    expect(rewarded.length).toBeGreaterThan(0);
    expect(rewarded.every((e) => e.testCase.validation === "VALID")).toBe(true);
    expect(executions.some((e) => e.testCase.origin === "DATASET_HIDDEN")).toBe(true);
    const searchBodies = server.requests.slice(searchRequestsBefore).map((r) => r.rawBody);
    expect(searchBodies.length).toBeGreaterThan(0);
    for (const hidden of ["triple(4)", "triple(-7)", "halve(9)", "halve(-3)"]) expect(searchBodies.some((b) => b.includes(hidden))).toBe(false);
    expect(searchBodies.some((b) => b.includes("triple(1)") || b.includes("triple(2)") || b.includes("triple(10)"))).toBe(true);

    // A second TCG run numbers its tests after the first run's, and judges the programs that search wrote.
    const second = await runTcg(prisma, { dataset, problems: { kind: "ids", ids: ["triple", "halve"] }, llm: { baseUrl: server.url, model: "m" }, cases: 6, seed: 1 }, { sandbox, llm: createOpenAiClient({ baseUrl: server.url, model: "m" }) });
    const ordinals = await prisma.testCase.findMany({ where: { problem: { dataset: { name: dataset }, externalId: "triple" }, origin: "GENERATED" }, select: { ordinal: true, tcgRunId: true }, orderBy: { ordinal: "asc" } });
    expect(ordinals.map((o) => o.ordinal)).toEqual(ordinals.map((_, i) => i));
    expect(new Set(ordinals.map((o) => o.tcgRunId))).toEqual(new Set([first.runId, second.runId]));
    const a = second.report.agreement;
    expect(a.candidates).toBeGreaterThan(0);
    expect(a.correct + a.wrong).toBe(a.candidates);
    // The scripted wrong programs return x*3+1 / x//2+1: every valid generated case catches them.
    expect(a.caught).toBe(a.wrong);
    expect(a.agreement).toBeCloseTo((a.caught + a.correct - a.falselyRejected) / a.candidates, 10);
    expect(first.report.agreement).toMatchObject({ agreement: null, candidates: 0 });
    expect(first.report.agreement.reason).toMatch(/no candidate programs/);
  }, 240_000);

  it("o1c run --test-source takes the same values as the config, and names the field when wrong", async () => {
    const { code, stderr } = await o1c(["run", "--dataset", dataset, "--mode", "vanilla", "--llm", server.url, "--model", "m", "--test-source", "hidden"]);
    expect(code).toBe(1);
    expect(stderr).toContain("command line field testSource");
  });
});
