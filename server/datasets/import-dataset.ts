// Dataset import: parse and validate the whole file first (parse-dataset.ts), then write it in one transaction.
// A bad record therefore fails the import before anything is written, and a failure while writing rolls back.
//
// Re-importing is idempotent, keyed by (dataset name, problem externalId) and each problem's contentHash:
//   - same hash            → unchanged (only its ordinal follows the file, if the record moved)
//   - different hash       → updated: fields rewritten, dataset tests replaced; generated tests are kept but reset to
//                            `unvalidated` when the reference solution changed (they were validated against the old one)
//                            — refused with a ConflictError if any search tree used the problem, because its
//                            recorded results would silently stop matching the problem; import under a new --name.
//   - new id               → added
//   - in the DB, not in file → kept (counted as missingFromFile) and numbered after the file's problems.
import { ConflictError, ValidationError } from "../errors.ts";
import type { Db } from "../db/index.ts";
import { problemContentHash } from "./content-hash.ts";
import { parseDatasetFile, parseFormat } from "./parse-dataset.ts";
import { insertTestRows, testRowsFor, type TestRow } from "./insert-tests.ts";
import type { DatasetSource } from "./read-records.ts";
import type { DatasetFormat, NormalizedProblem } from "./types.ts";

export { DATASET_FORMATS } from "./types.ts";
export type { DatasetFormat } from "./types.ts";
export type { DatasetSource } from "./read-records.ts";

export interface ImportDatasetInput {
  source: DatasetSource;
  format: DatasetFormat;
  /** Dataset name; defaults to the file name without extensions (`mbpp.jsonl` → `mbpp`). */
  name?: string;
}

export interface ImportReport {
  datasetId: string;
  name: string;
  format: string;
  problems: { inFile: number; added: number; updated: number; unchanged: number; missingFromFile: number };
  /** Dataset tests in the file, by visibility. */
  tests: { visible: number; hidden: number };
  /** Problems in the file with no search-visible test (the search then has no test-based reward for them). */
  problemsWithoutVisibleTests: number;
  durationMs: number;
}

/** What writeDataset stores; the starter set builds one of these directly instead of reading a file. */
export interface DatasetContent {
  name: string;
  format: string;
  sourceFile: string | null;
  sourceSha256: string | null;
  description?: string | null;
  problems: NormalizedProblem[];
}

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Problem rows per INSERT: ~12 bind parameters each, well under PostgreSQL's 65,535. */
const PROBLEM_BATCH = 500;
/** Imports of HumanEval+ write ~123k test rows; on embedded PGlite that takes a while. */
const TRANSACTION_TIMEOUT_MS = 10 * 60_000;

export async function importDataset(prisma: Db, input: ImportDatasetInput): Promise<ImportReport> {
  const startedAt = performance.now();
  const format = parseFormat(input.format);
  const name = input.name === undefined ? datasetNameFromFile(fileNameOf(input.source)) : checkDatasetName(input.name);
  const parsed = await parseDatasetFile(input.source, format);
  return writeDataset(prisma, { name, format, sourceFile: parsed.fileName, sourceSha256: parsed.sha256, problems: parsed.problems }, startedAt);
}

/** `HumanEval.jsonl.gz` → `HumanEval`; characters a name cannot hold become `-`. */
export function datasetNameFromFile(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const stem = base.replace(/\.gz$/i, "").replace(/\.(jsonl|ndjson|json)$/i, "");
  const cleaned = stem.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[^A-Za-z0-9]+/, "").slice(0, 64);
  return cleaned || "dataset";
}

export function checkDatasetName(name: string): string {
  const trimmed = name.trim();
  if (!NAME_PATTERN.test(trimmed)) {
    throw new ValidationError("must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit", "name");
  }
  return trimmed;
}

function fileNameOf(source: DatasetSource): string {
  return "path" in source ? source.path : source.fileName;
}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

interface ExistingProblem {
  id: string;
  externalId: string;
  contentHash: string;
  ordinal: number;
  referenceSolution: string | null;
}

interface ImportPlan {
  added: NormalizedProblem[];
  changed: { problem: NormalizedProblem; existing: ExistingProblem }[];
  /** Unchanged content, new position in the file. */
  moved: { id: string; ordinal: number }[];
  unchanged: number;
  missing: ExistingProblem[];
}

/** Writes (or updates) a dataset and its problems in one transaction. */
export async function writeDataset(prisma: Db, content: DatasetContent, startedAt = performance.now()): Promise<ImportReport> {
  const hashes = new Map(content.problems.map((problem) => [problem.externalId, problemContentHash(problem)]));
  const { datasetId, plan } = await prisma.$transaction(
    async (tx) => {
      // Two imports into the same dataset name run one after the other; the second then finds the first's rows.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ADVISORY_NAMESPACE}::int4, hashtext(${content.name}))`;
      const datasetId = await upsertDatasetRow(tx, content);
      const existing = await tx.problem.findMany({
        where: { datasetId },
        select: { id: true, externalId: true, contentHash: true, ordinal: true, referenceSolution: true },
      });
      const plan = planImport(content.problems, hashes, existing);
      await refuseChangesToSearchedProblems(tx, plan);
      await applyPlan(tx, datasetId, plan, hashes, content.problems.length);
      return { datasetId, plan };
    },
    { timeout: TRANSACTION_TIMEOUT_MS, maxWait: 60_000 },
  );
  return buildReport(content, datasetId, plan, startedAt);
}

/** First key of the two-key advisory lock taken per dataset name (an arbitrary constant shared by all processes). */
const ADVISORY_NAMESPACE = 0x01c0da7a;

async function upsertDatasetRow(tx: Tx, content: DatasetContent): Promise<string> {
  const found = await tx.dataset.findUnique({ where: { name: content.name }, select: { id: true, format: true } });
  const data = {
    format: content.format,
    sourceFile: content.sourceFile,
    sourceSha256: content.sourceSha256,
    ...(content.description !== undefined ? { description: content.description } : {}),
  };
  if (!found) return (await tx.dataset.create({ data: { name: content.name, ...data }, select: { id: true } })).id;
  if (found.format !== content.format) {
    throw new ConflictError(
      `dataset '${content.name}' holds ${found.format} problems; importing ${content.format} data into it would mix formats. ` +
        "Import under a new --name.",
    );
  }
  await tx.dataset.update({ where: { id: found.id }, data });
  return found.id;
}

function planImport(problems: NormalizedProblem[], hashes: Map<string, string>, existing: ExistingProblem[]): ImportPlan {
  const byExternalId = new Map(existing.map((row) => [row.externalId, row]));
  const plan: ImportPlan = { added: [], changed: [], moved: [], unchanged: 0, missing: [] };
  for (const problem of problems) {
    const row = byExternalId.get(problem.externalId);
    byExternalId.delete(problem.externalId);
    if (!row) plan.added.push(problem);
    else if (row.contentHash !== hashes.get(problem.externalId)) plan.changed.push({ problem, existing: row });
    else {
      plan.unchanged++;
      if (row.ordinal !== problem.ordinal) plan.moved.push({ id: row.id, ordinal: problem.ordinal });
    }
  }
  plan.missing = [...byExternalId.values()].sort((a, b) => a.ordinal - b.ordinal);
  return plan;
}

async function refuseChangesToSearchedProblems(tx: Tx, plan: ImportPlan): Promise<void> {
  if (plan.changed.length === 0) return;
  const used = await tx.searchTree.findMany({
    where: { problemId: { in: plan.changed.map((c) => c.existing.id) } },
    select: { problemId: true },
    distinct: ["problemId"],
  });
  if (used.length === 0) return;
  const usedIds = new Set(used.map((tree) => tree.problemId));
  const names = plan.changed.filter((c) => usedIds.has(c.existing.id)).map((c) => c.problem.externalId);
  const listed = names.slice(0, 5).join(", ") + (names.length > 5 ? ` and ${names.length - 5} more` : "");
  throw new ConflictError(
    `${names.length} changed problem(s) (${listed}) were already used by experiments; changing them would make those ` +
      "results refer to a problem that no longer exists in that form. Nothing was imported. Import the file under a new --name instead.",
  );
}

async function applyPlan(tx: Tx, datasetId: string, plan: ImportPlan, hashes: Map<string, string>, inFile: number): Promise<void> {
  const testRows: TestRow[] = [];
  if (plan.changed.length > 0) {
    const changedIds = plan.changed.map((c) => c.existing.id);
    await tx.testCase.deleteMany({ where: { problemId: { in: changedIds }, origin: { in: ["DATASET_VISIBLE", "DATASET_HIDDEN"] } } });
    for (const { problem, existing } of plan.changed) {
      await tx.problem.update({ where: { id: existing.id }, data: problemColumns(problem, hashes) });
      testRows.push(...testRowsFor(existing.id, problem.tests));
    }
    const newReference = plan.changed.filter((c) => (c.problem.referenceSolution ?? null) !== c.existing.referenceSolution);
    if (newReference.length > 0) {
      await tx.testCase.updateMany({
        where: { problemId: { in: newReference.map((c) => c.existing.id) }, origin: "GENERATED" },
        data: { validation: "UNVALIDATED", validationNote: "reference solution changed on re-import; validate again" },
      });
    }
  }
  for (let start = 0; start < plan.added.length; start += PROBLEM_BATCH) {
    const batch = plan.added.slice(start, start + PROBLEM_BATCH);
    const created = await tx.problem.createManyAndReturn({
      data: batch.map((problem) => ({ datasetId, ...problemColumns(problem, hashes) })),
      select: { id: true, externalId: true },
    });
    const idByExternalId = new Map(created.map((row) => [row.externalId, row.id]));
    for (const problem of batch) testRows.push(...testRowsFor(idByExternalId.get(problem.externalId)!, problem.tests));
  }
  await insertTestRows(tx, testRows);
  // Problems no longer in the file go after the file's problems, so ordinals stay unique and follow the file.
  const missingRenumbered = plan.missing
    .map((row, index) => ({ id: row.id, ordinal: inFile + index + 1, current: row.ordinal }))
    .filter((row) => row.ordinal !== row.current);
  for (const { id, ordinal } of [...plan.moved, ...missingRenumbered]) {
    await tx.problem.update({ where: { id }, data: { ordinal } });
  }
}

function problemColumns(problem: NormalizedProblem, hashes: Map<string, string>) {
  return {
    externalId: problem.externalId,
    ordinal: problem.ordinal,
    kind: problem.kind,
    title: problem.title ?? null,
    statement: problem.statement,
    entryPoint: problem.entryPoint ?? null,
    signature: problem.signature ?? null,
    referenceSolution: problem.referenceSolution ?? null,
    testSetupCode: problem.testSetupCode,
    split: problem.split ?? null,
    contentHash: hashes.get(problem.externalId)!,
  };
}

function buildReport(content: DatasetContent, datasetId: string, plan: ImportPlan, startedAt: number): ImportReport {
  let visible = 0;
  let hidden = 0;
  let problemsWithoutVisibleTests = 0;
  for (const problem of content.problems) {
    const visibleHere = problem.tests.filter((test) => test.origin === "DATASET_VISIBLE").length;
    visible += visibleHere;
    hidden += problem.tests.length - visibleHere;
    if (visibleHere === 0) problemsWithoutVisibleTests++;
  }
  return {
    datasetId,
    name: content.name,
    format: content.format,
    problems: {
      inFile: content.problems.length,
      added: plan.added.length,
      updated: plan.changed.length,
      unchanged: plan.unchanged,
      missingFromFile: plan.missing.length,
    },
    tests: { visible, hidden },
    problemsWithoutVisibleTests,
    durationMs: Math.round(performance.now() - startedAt),
  };
}
