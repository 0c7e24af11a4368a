// `o1c tcg` as the done-criterion runs it: MBPP problems 1-20 against the scripted OpenAI-compatible server,
// --json with the counts and the validity rate, invalid cases with their reasons.
import { afterAll, beforeAll, expect, it } from "vitest";
import { importDataset } from "../../server/datasets/import-dataset.ts";
import { startScriptedOpenAiServer, type ScriptedServer } from "../../server/dev-tools/scripted-openai-server.ts";
import { scriptedProblemsFrom } from "../../server/dev-tools/scripted-problems.ts";
import { describeWithDataset } from "../helpers/datasets.ts";
import { uniqueName, useTestPrisma } from "../helpers/db.ts";
import { o1c } from "../helpers/o1c.ts";

interface TcgJson {
  runId: string;
  generated: number;
  parsed: number;
  valid: number;
  invalid: number;
  duplicates: number;
  validityRate: number | null;
  agreement: { agreement: number | null; reason: string | null };
  problems: Array<{ externalId: string; generated: number; parsed: number; valid: number; invalid: number; rejected: Array<{ case: string; validation: string; reason: string }>; dropped: Array<{ reason: string }> }>;
}

describeWithDataset("o1c tcg", "mbpp.jsonl", (mbppPath) => {
  const prisma = useTestPrisma();
  let server: ScriptedServer;
  /** The cases the scripted TCG writes for each problem, with their correct outputs (the dataset's own tests). */
  let knownCorrect: Map<string, Set<string>>;
  const dataset = uniqueName("mbpp-tcg");

  beforeAll(async () => {
    await importDataset(prisma, { source: { path: mbppPath }, format: "mbpp", name: dataset });
    const problems = await prisma.problem.findMany({ where: { dataset: { name: dataset }, ordinal: { lte: 20 } }, include: { testCases: true } });
    const scripted = scriptedProblemsFrom(problems);
    knownCorrect = new Map(scripted.map((p) => [p.id, new Set((p.tcgCases ?? []).map((c) => `assert ${c.input} == ${c.output}`))]));
    server = await startScriptedOpenAiServer({ problems: scripted, models: ["m"] });
  }, 60_000);
  afterAll(() => server?.close());

  it("--json prints generated/parsed/valid counts and the validity rate; invalid cases carry reasons", async () => {
    const { code, stdout, stderr } = await o1c(["tcg", "--dataset", dataset, "--problems", "1-20", "--llm", server.url, "--model", "m", "--cases", "5", "--json"]);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout) as TcgJson;
    expect(result.problems).toHaveLength(20);
    expect(result.generated).toBe(20 * 5);
    expect(result.parsed).toBe(20 * 4);
    expect(result.duplicates).toBeGreaterThanOrEqual(20);
    // Valid or not, known independently of the validator: the scripted TCG copies a dataset test (correct, so valid)
    // or changes its output (wrong, so invalid). The stored cases are what the run validated.
    const cases = await prisma.testCase.findMany({ where: { tcgRunId: result.runId }, select: { input: true, validation: true, problem: { select: { externalId: true } } } });
    const correct = cases.map((c) => knownCorrect.get(c.problem.externalId)!.has(c.input.trim()));
    expect(cases.map((c) => c.validation)).toEqual(correct.map((ok) => (ok ? "VALID" : "INVALID")));
    const expectedValid = correct.filter(Boolean).length;
    const expectedInvalid = correct.length - expectedValid;
    expect(expectedValid).toBeGreaterThan(0);
    expect(expectedInvalid).toBeGreaterThan(0);
    expect([result.valid, result.invalid]).toEqual([expectedValid, expectedInvalid]);
    expect(result.validityRate).toBeCloseTo(expectedValid / (expectedValid + expectedInvalid), 10);
    expect(result.agreement).toMatchObject({ agreement: null });
    const rejected = result.problems.flatMap((p) => p.rejected);
    expect(rejected.filter((r) => r.validation === "INVALID")).toHaveLength(result.invalid);
    expect(rejected.every((r) => r.reason.length > 0)).toBe(true);
    expect(result.problems.flatMap((p) => p.dropped).every((d) => d.reason.length > 0)).toBe(true);
    const stored = await prisma.testCase.count({ where: { tcgRunId: result.runId, validation: "INVALID", validationNote: { not: null } } });
    expect(stored).toBe(result.invalid);
  }, 180_000);

  it("prints a table per problem and the totals; bad flags name themselves and create nothing", async () => {
    const text = await o1c(["tcg", "--dataset", dataset, "--problems", "1-3", "--llm", server.url, "--model", "m", "--cases", "4"]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/problem\s+generated\s+parsed\s+dup\s+valid\s+invalid\s+validity/);
    expect(text.stdout).toMatch(/^#1 1\s+4\s+3/m);
    expect(text.stdout).toMatch(/^Validity: +\d+\.\d%/m);
    const runsBefore = await prisma.tcgRun.count({ where: { dataset: { name: dataset } } });
    const bad = await o1c(["tcg", "--dataset", dataset, "--llm", server.url, "--model", "m", "--cases", "0"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("command line field cases");
    const missing = await o1c(["tcg", "--dataset", "no-such-dataset", "--llm", server.url, "--model", "m"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no dataset named 'no-such-dataset'");
    expect(await prisma.tcgRun.count({ where: { dataset: { name: dataset } } })).toBe(runsBefore);
  }, 120_000);
});
