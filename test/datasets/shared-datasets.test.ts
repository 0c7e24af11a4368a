// Imports of the real benchmark files in ../shared/datasets (skipped with a where-to-get-them message when absent,
// failed under O1C_REQUIRE_DATASETS=1): counts, idempotent re-import, corrupted copies, and import times.
import { gzipSync } from "node:zlib";
import { readFile } from "node:fs/promises";
import { afterAll, expect, it } from "vitest";
import { ValidationError } from "../../server/errors.ts";
import { importDataset, type DatasetFormat, type ImportReport } from "../../server/datasets/import-dataset.ts";
import { uniqueName, useTestPrisma } from "../helpers/db.ts";
import { describeWithDatasets } from "../helpers/datasets.ts";

const FILES = ["mbpp.jsonl", "sanitized-mbpp.json", "HumanEval.jsonl.gz", "HumanEvalPlus.jsonl.gz", "MbppPlus.jsonl.gz"];

interface Expected {
  file: string;
  format: DatasetFormat;
  problems: number;
  visible: number;
  hidden: number;
  withoutVisible: number;
  callTests: number;
}

// Counts from SOURCES.md (records, plus inputs) and from the visibility rules in server/datasets/README.md.
const EXPECTED: Expected[] = [
  { file: "mbpp.jsonl", format: "mbpp", problems: 974, visible: 974, hidden: 974 * 2 + 16, withoutVisible: 0, callTests: 0 },
  { file: "sanitized-mbpp.json", format: "mbpp-sanitized", problems: 427, visible: 427, hidden: 1324 - 427, withoutVisible: 0, callTests: 0 },
  { file: "HumanEval.jsonl.gz", format: "humaneval", problems: 164, visible: 164, hidden: 164, withoutVisible: 94, callTests: 0 },
  { file: "HumanEvalPlus.jsonl.gz", format: "evalplus-humaneval", problems: 164, visible: 164, hidden: 164 + 122_683, withoutVisible: 94, callTests: 122_683 },
  { file: "MbppPlus.jsonl.gz", format: "evalplus-mbpp", problems: 378, visible: 378, hidden: 802 + 39_841, withoutVisible: 0, callTests: 39_841 },
];

const timings: string[] = [];
afterAll(() => {
  if (timings.length > 0) console.log(`[datasets] import times:\n  ${timings.join("\n  ")}`);
});

describeWithDatasets("importing the shared benchmark files", FILES, (paths) => {
  const prisma = useTestPrisma();
  const pathOf = (file: string) => paths[file]!;

  // Sequential on purpose (see dataset-service.ts: concurrent queries can trip the embedded pglite-socket server).
  async function countRows(datasetId: string) {
    const problems = await prisma.problem.count({ where: { datasetId } });
    const visible = await prisma.testCase.count({ where: { problem: { datasetId }, origin: "DATASET_VISIBLE" } });
    const hidden = await prisma.testCase.count({ where: { problem: { datasetId }, origin: "DATASET_HIDDEN" } });
    const call = await prisma.testCase.count({ where: { problem: { datasetId }, kind: "CALL" } });
    return { problems, visible, hidden, call };
  }

  it.each(EXPECTED)("$file: imports $problems problems, and a second import adds none", async (expected) => {
    const name = uniqueName(expected.format);
    const first = await importDataset(prisma, { source: { path: pathOf(expected.file) }, format: expected.format, name });
    expect(first).toMatchObject({
      name,
      format: expected.format,
      problems: { inFile: expected.problems, added: expected.problems, updated: 0, unchanged: 0, missingFromFile: 0 },
      tests: { visible: expected.visible, hidden: expected.hidden },
      problemsWithoutVisibleTests: expected.withoutVisible,
    } satisfies Partial<ImportReport>);
    expect(await countRows(first.datasetId)).toEqual({
      problems: expected.problems,
      visible: expected.visible,
      hidden: expected.hidden,
      call: expected.callTests,
    });

    const second = await importDataset(prisma, { source: { path: pathOf(expected.file) }, format: expected.format, name });
    expect(second.datasetId).toBe(first.datasetId);
    expect(second.problems).toEqual({ inFile: expected.problems, added: 0, updated: 0, unchanged: expected.problems, missingFromFile: 0 });
    expect((await countRows(first.datasetId)).hidden).toBe(expected.hidden);
    timings.push(`${expected.file}: first import ${first.durationMs} ms, re-import ${second.durationMs} ms`);
  }, 300_000);

  it("names the dataset after the file and stores its format, basename and sha256", async () => {
    const bytes = await readFile(pathOf("mbpp.jsonl"));
    const fileName = `${uniqueName("mbpp")}.jsonl`;
    const report = await importDataset(prisma, { source: { fileName, bytes }, format: "mbpp" });
    expect(report.name).toBe(fileName.replace(/\.jsonl$/, ""));
    const dataset = await prisma.dataset.findUniqueOrThrow({ where: { id: report.datasetId } });
    expect(dataset).toMatchObject({
      format: "mbpp",
      sourceFile: fileName,
      sourceSha256: "ccf64ceae9c5403bf50a044cb6d505bfd2a2963ee58338ba268fd65beab92a9f", // SOURCES.md
    });
    const task2 = await prisma.problem.findFirstOrThrow({ where: { datasetId: report.datasetId, externalId: "2" }, include: { testCases: { orderBy: [{ origin: "asc" }, { ordinal: "asc" }] } } });
    expect(task2).toMatchObject({ ordinal: 2, entryPoint: "similar_elements", split: "prompt", kind: "FUNCTION" });
    expect(task2.testCases.map((t) => [t.origin, t.ordinal])).toEqual([["DATASET_VISIBLE", 0], ["DATASET_HIDDEN", 0], ["DATASET_HIDDEN", 1]]);
  }, 60_000);

  it("a gzipped upload of the same bytes counts as the same file", async () => {
    const bytes = await readFile(pathOf("mbpp.jsonl"));
    const name = uniqueName("mbpp-gz");
    await importDataset(prisma, { source: { fileName: "mbpp.jsonl", bytes }, format: "mbpp", name });
    const again = await importDataset(prisma, { source: { fileName: "mbpp.jsonl.gz", bytes: gzipSync(bytes) }, format: "mbpp", name });
    expect(again.problems).toMatchObject({ added: 0, unchanged: 974 });
  }, 60_000);

  async function corruptedImport(lines: (all: string[]) => void, name: string) {
    const all = (await readFile(pathOf("mbpp.jsonl"), "utf8")).split("\n");
    lines(all);
    const bytes = new TextEncoder().encode(all.join("\n"));
    return importDataset(prisma, { source: { fileName: "mbpp-corrupt.jsonl", bytes }, format: "mbpp", name }).catch((e: unknown) => e);
  }

  async function snapshot(name: string) {
    const dataset = await prisma.dataset.findUnique({ where: { name } });
    if (!dataset) return null;
    return { dataset, ...(await countRows(dataset.id)) };
  }

  it("a copy with line 500 missing a field fails naming file, line and field, and writes nothing", async () => {
    const name = uniqueName("mbpp-corrupt");
    const error = await corruptedImport((all) => {
      const record = JSON.parse(all[499]!);
      delete record.test_list;
      all[499] = JSON.stringify(record);
    }, name);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toBe("mbpp-corrupt.jsonl:500 field test_list: is required");
    expect(await snapshot(name)).toBeNull();
  }, 60_000);

  it("a copy with invalid JSON on one line fails naming that line, and leaves an existing dataset untouched", async () => {
    const name = uniqueName("mbpp-existing");
    await importDataset(prisma, { source: { path: pathOf("mbpp.jsonl") }, format: "mbpp", name });
    const before = await snapshot(name);
    const error = await corruptedImport((all) => {
      all[320] = all[320]!.slice(0, 40); // truncated line 321
      all[10] = all[10]!.replace('"text": "', '"text": "changed '); // a valid change elsewhere must not be written either
    }, name);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).where).toBe("mbpp-corrupt.jsonl:321");
    expect((error as ValidationError).message).toBe("mbpp-corrupt.jsonl:321: invalid JSON at column 41: unterminated string");
    expect(await snapshot(name)).toEqual(before);
  }, 60_000);
});
