// importDataset and the query services against the real migrated database, on small inline files.
import { describe, expect, it } from "vitest";
import { ConflictError, NotFoundError, ValidationError } from "../../server/errors.ts";
import { getProblem, listDatasets, listProblems } from "../../server/datasets/dataset-service.ts";
import { datasetNameFromFile, importDataset, type DatasetFormat } from "../../server/datasets/import-dataset.ts";
import { uniqueName, useTestPrisma } from "../helpers/db.ts";
import { genericLines, jsonl, mbppRecords } from "./fixtures.ts";

const prisma = useTestPrisma();

function upload(fileName: string, text: string) {
  return { fileName, bytes: new TextEncoder().encode(text) };
}

function importText(name: string, text: string, format: DatasetFormat = "jsonl", fileName = "problems.jsonl") {
  return importDataset(prisma, { source: upload(fileName, text), format, name });
}

async function datasetState(name: string) {
  const dataset = await prisma.dataset.findUnique({
    where: { name },
    include: { problems: { orderBy: { ordinal: "asc" }, include: { testCases: { orderBy: [{ origin: "asc" }, { ordinal: "asc" }] } } } },
  });
  return dataset;
}

const problem = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  statement: `Problem ${id}`,
  entry_point: "f",
  reference_solution: "def f():\n    return 1\n",
  tests: ["assert f() == 1", { assert: "assert f() + 1 == 2", hidden: true }],
  ...extra,
});

async function createSearchTree(datasetId: string, problemId: string) {
  const experiment = await prisma.experiment.create({
    data: { name: uniqueName("exp"), datasetId, config: {}, mode: "pseudocode", model: "m", llmBaseUrl: "http://127.0.0.1:1", seed: 1 },
  });
  await prisma.searchTree.create({ data: { experimentId: experiment.id, problemId } });
}

describe("importDataset", () => {
  it("writes the dataset, problems with content hashes, and tests with origins and per-origin ordinals", async () => {
    const name = uniqueName("generic");
    const report = await importText(name, jsonl(genericLines));
    expect(report).toMatchObject({
      name,
      format: "jsonl",
      problems: { inFile: 2, added: 2, updated: 0, unchanged: 0, missingFromFile: 0 },
      tests: { visible: 3, hidden: 2 },
      problemsWithoutVisibleTests: 0,
    });
    expect(report.durationMs).toBeGreaterThanOrEqual(0);
    const dataset = await datasetState(name);
    expect(dataset).toMatchObject({ id: report.datasetId, format: "jsonl", sourceFile: "problems.jsonl" });
    expect(dataset!.sourceSha256).toMatch(/^[0-9a-f]{64}$/);
    const [fn, io] = dataset!.problems;
    expect(fn).toMatchObject({ externalId: "sum-two", ordinal: 1, kind: "FUNCTION", entryPoint: "add", testSetupCode: "import math" });
    expect(fn!.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(fn!.testCases.map((t) => [t.origin, t.ordinal, t.kind, t.input, t.validation])).toEqual([
      ["DATASET_VISIBLE", 0, "ASSERT", "assert add(1, 2) == 3", "UNVALIDATED"],
      ["DATASET_VISIBLE", 1, "ASSERT", "assert add(0, 0) == 0", "UNVALIDATED"],
      ["DATASET_HIDDEN", 0, "ASSERT", "assert add(2, 2) == 4", "UNVALIDATED"],
    ]);
    expect(io).toMatchObject({ externalId: "7", ordinal: 2, kind: "STDIO", entryPoint: null });
    expect(io!.testCases.map((t) => [t.origin, t.kind, t.input, t.expected])).toEqual([
      ["DATASET_VISIBLE", "STDIO", "ab\n", "abab\n"],
      ["DATASET_HIDDEN", "STDIO", "x\n", "xx\n"],
    ]);
  });

  it("is idempotent: the same file again adds and changes nothing", async () => {
    const name = uniqueName("again");
    await importText(name, jsonl(genericLines));
    const before = await datasetState(name);
    const report = await importText(name, jsonl(genericLines));
    expect(report.problems).toEqual({ inFile: 2, added: 0, updated: 0, unchanged: 2, missingFromFile: 0 });
    const after = await datasetState(name);
    expect(after!.problems).toEqual(before!.problems);
  });

  it("updates a changed problem, replacing its dataset tests and invalidating generated tests when the reference changed", async () => {
    const name = uniqueName("update");
    const first = await importText(name, jsonl([problem("a"), problem("b")]));
    const a = await prisma.problem.findFirstOrThrow({ where: { datasetId: first.datasetId, externalId: "a" } });
    await prisma.testCase.create({ data: { problemId: a.id, ordinal: 0, origin: "GENERATED", kind: "ASSERT", input: "assert f() > 0", validation: "VALID" } });

    const changedA = problem("a", { reference_solution: "def f():\n    return 2 - 1\n", tests: ["assert f() == 1", "assert f() != 0"] });
    const report = await importText(name, jsonl([changedA, problem("b")]));
    expect(report.problems).toEqual({ inFile: 2, added: 0, updated: 1, unchanged: 1, missingFromFile: 0 });

    const updated = await getProblem(prisma, a.id);
    expect(updated.referenceSolution).toBe("def f():\n    return 2 - 1\n");
    expect(updated.contentHash).not.toBe(a.contentHash);
    expect(updated.testCases.map((t) => [t.origin, t.input, t.validation])).toEqual([
      ["DATASET_VISIBLE", "assert f() == 1", "UNVALIDATED"],
      ["DATASET_VISIBLE", "assert f() != 0", "UNVALIDATED"],
      ["GENERATED", "assert f() > 0", "UNVALIDATED"],
    ]);
    expect(updated.testCases[2]!.validationNote).toMatch(/reference solution changed/);
  });

  it("keeps problems missing from a new file, counts them, and numbers them after the file's problems", async () => {
    const name = uniqueName("missing");
    await importText(name, jsonl([problem("a"), problem("b"), problem("c")]));
    const report = await importText(name, jsonl([problem("c"), problem("d")]));
    expect(report.problems).toEqual({ inFile: 2, added: 1, updated: 0, unchanged: 1, missingFromFile: 2 });
    const dataset = await datasetState(name);
    expect(dataset!.problems.map((p) => [p.externalId, p.ordinal])).toEqual([["c", 1], ["d", 2], ["a", 3], ["b", 4]]);
  });

  it("refuses to change a problem a search tree used, with a ConflictError, and leaves everything as it was", async () => {
    const name = uniqueName("used");
    const first = await importText(name, jsonl([problem("a"), problem("b")]));
    const a = await prisma.problem.findFirstOrThrow({ where: { datasetId: first.datasetId, externalId: "a" } });
    await createSearchTree(first.datasetId, a.id);
    const before = await datasetState(name);

    const error = await importText(name, jsonl([problem("a", { statement: "Reworded" }), problem("b"), problem("new")]), "jsonl", "v2.jsonl").catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toMatch(/1 changed problem\(s\) \(a\) were already used by experiments.*new --name/);
    expect(await datasetState(name)).toEqual(before); // not even the dataset's sourceFile changed

    // Unchanged problems may still be re-imported alongside new ones.
    const ok = await importText(name, jsonl([problem("a"), problem("b"), problem("new")]));
    expect(ok.problems).toMatchObject({ added: 1, unchanged: 2 });
  });

  it("refuses to mix formats under one dataset name", async () => {
    const name = uniqueName("mixed");
    await importText(name, jsonl(genericLines));
    const error = await importText(name, jsonl(mbppRecords), "mbpp", "mbpp.jsonl").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toMatch(/holds jsonl problems; importing mbpp data/);
  });

  it("writes nothing when any record is bad", async () => {
    const name = uniqueName("bad");
    const error = await importText(name, jsonl([problem("a"), { ...problem("b"), tests: [{ assert: "assert 1", hiden: true }] }])).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).where).toBe("problems.jsonl:2 field tests[0].hiden");
    expect(await prisma.dataset.findUnique({ where: { name } })).toBeNull();
    expect(await prisma.problem.count({ where: { dataset: { name } } })).toBe(0);
  });

  it("serialises concurrent imports of the same new dataset: one adds, the other finds everything unchanged", async () => {
    const name = uniqueName("race");
    const reports = await Promise.all([importText(name, jsonl(mbppRecords), "mbpp"), importText(name, jsonl(mbppRecords), "mbpp")]);
    expect(reports.map((r) => r.problems.added).sort()).toEqual([0, 2]);
    expect(reports.map((r) => r.problems.unchanged).sort()).toEqual([0, 2]);
    expect(await prisma.problem.count({ where: { dataset: { name } } })).toBe(2);
  });

  it("validates the format and the name", async () => {
    const bad = await importDataset(prisma, { source: upload("x.jsonl", "{}"), format: "csv" as DatasetFormat }).catch((e: unknown) => e);
    expect((bad as ValidationError).message).toMatch(/^format: unknown format "csv"; expected one of mbpp, /);
    const badName = await importText("no spaces please", jsonl(genericLines)).catch((e: unknown) => e);
    expect((badName as ValidationError).where).toBe("name");
    const empty = await importText(uniqueName("empty"), "\n\n").catch((e: unknown) => e);
    expect((empty as ValidationError).message).toBe("problems.jsonl: contains no records");
  });

  it("derives names from file names", () => {
    expect(datasetNameFromFile("mbpp.jsonl")).toBe("mbpp");
    expect(datasetNameFromFile("/data/HumanEval.jsonl.gz")).toBe("HumanEval");
    expect(datasetNameFromFile("sanitized-mbpp.json")).toBe("sanitized-mbpp");
    expect(datasetNameFromFile("my data (v2).jsonl")).toBe("my-data-v2-");
    expect(datasetNameFromFile("...jsonl")).toBe("dataset");
  });
});

describe("dataset services", () => {
  it("listDatasets reports problem and test counts per dataset", async () => {
    const name = uniqueName("listed");
    const report = await importText(name, jsonl(genericLines));
    const listed = (await listDatasets(prisma)).find((d) => d.name === name);
    expect(listed).toMatchObject({ id: report.datasetId, format: "jsonl", problemCount: 2, visibleTestCount: 3, hiddenTestCount: 2, generatedTestCount: 0 });
  });

  it("listProblems pages in ordinal order, searches, and counts tests", async () => {
    const name = uniqueName("paged");
    const records = Array.from({ length: 7 }, (_, i) => problem(`p${i + 1}`, { statement: i === 4 ? "Find the NEEDLE" : `Problem ${i + 1}` }));
    const { datasetId } = await importText(name, jsonl(records));
    const page2 = await listProblems(prisma, { datasetId, page: 2, pageSize: 3 });
    expect(page2.total).toBe(7);
    expect(page2.problems.map((p) => [p.externalId, p.ordinal])).toEqual([["p4", 4], ["p5", 5], ["p6", 6]]);
    expect(page2.problems[0]).toMatchObject({ visibleTestCount: 1, hiddenTestCount: 1, generatedTestCount: 0, entryPoint: "f" });
    const found = await listProblems(prisma, { datasetId, page: 1, pageSize: 10, search: "needle" });
    expect(found.problems.map((p) => p.externalId)).toEqual(["p5"]);
    expect(found.total).toBe(1);
    expect((await listProblems(prisma, { datasetId, page: 1, pageSize: 10, search: "#3" })).problems.map((p) => p.externalId)).toEqual(["p3"]);
  });

  it("listProblems rejects bad paging and unknown datasets", async () => {
    await expect(listProblems(prisma, { datasetId: "x", page: 0, pageSize: 10 })).rejects.toBeInstanceOf(ValidationError);
    await expect(listProblems(prisma, { datasetId: "x", page: 1, pageSize: 1000 })).rejects.toBeInstanceOf(ValidationError);
    await expect(listProblems(prisma, { datasetId: "no-such-dataset", page: 1, pageSize: 10 })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("getProblem returns tests visible first, then hidden, then generated; NotFoundError when missing", async () => {
    const name = uniqueName("detail");
    const { datasetId } = await importText(name, jsonl([problem("a", { tests: [{ assert: "assert 2", hidden: true }, "assert 1"] })]));
    const row = await prisma.problem.findFirstOrThrow({ where: { datasetId } });
    await prisma.testCase.create({ data: { problemId: row.id, ordinal: 0, origin: "GENERATED", kind: "STDIO", input: "1\n", expected: "1\n" } });
    const detail = await getProblem(prisma, row.id);
    expect(detail.dataset).toMatchObject({ id: datasetId, name, format: "jsonl" });
    expect(detail.testCases.map((t) => [t.origin, t.input])).toEqual([
      ["DATASET_VISIBLE", "assert 1"],
      ["DATASET_HIDDEN", "assert 2"],
      ["GENERATED", "1\n"],
    ]);
    await expect(getProblem(prisma, "no-such-problem")).rejects.toBeInstanceOf(NotFoundError);
  });
});
