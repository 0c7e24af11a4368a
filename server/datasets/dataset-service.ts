// Read-side services for datasets, used by the tRPC router and the CLI. Inputs are validated here (routers are
// thin), and a missing dataset or problem is a NotFoundError.
import { z } from "zod";
import { NotFoundError, ValidationError } from "../errors.ts";
import type { Db } from "../db/index.ts";

export interface DatasetSummary {
  id: string;
  name: string;
  format: string;
  description: string | null;
  sourceFile: string | null;
  sourceSha256: string | null;
  createdAt: Date;
  updatedAt: Date;
  problemCount: number;
  /** Dataset tests the search may see (prompts, rewards). */
  visibleTestCount: number;
  /** Dataset tests kept out of every prompt and search reward; used only for final judging. */
  hiddenTestCount: number;
  /** Tests written by the test-case generator. */
  generatedTestCount: number;
}

interface TestCounts {
  visible: number;
  hidden: number;
  generated: number;
}

// Queries here run one after another, not in Promise.all: in embedded mode every connection shares one PGlite
// session, so parallelism gains nothing, and pglite-socket 0.2.17 can interleave concurrent connections' protocol
// messages ("bind message supplies 2 parameters, but prepared statement requires 3").

export async function listDatasets(prisma: Db): Promise<DatasetSummary[]> {
  const datasets = await prisma.dataset.findMany({ orderBy: { name: "asc" } });
  const problemCounts = await prisma.problem.groupBy({ by: ["datasetId"], _count: { _all: true } });
  const testCounts = await prisma.$queryRaw<{ datasetId: string; origin: string; count: bigint }[]>`
    SELECT p."datasetId", t."origin"::text AS origin, count(*) AS count
    FROM "TestCase" t JOIN "Problem" p ON p."id" = t."problemId"
    GROUP BY p."datasetId", t."origin"`;
  const problemsByDataset = new Map(problemCounts.map((row) => [row.datasetId, row._count._all]));
  const testsByDataset = new Map<string, TestCounts>();
  for (const row of testCounts) {
    const counts = testsByDataset.get(row.datasetId) ?? { visible: 0, hidden: 0, generated: 0 };
    addCount(counts, row.origin, Number(row.count));
    testsByDataset.set(row.datasetId, counts);
  }
  return datasets.map((dataset) => {
    const tests = testsByDataset.get(dataset.id) ?? { visible: 0, hidden: 0, generated: 0 };
    return {
      id: dataset.id,
      name: dataset.name,
      format: dataset.format,
      description: dataset.description,
      sourceFile: dataset.sourceFile,
      sourceSha256: dataset.sourceSha256,
      createdAt: dataset.createdAt,
      updatedAt: dataset.updatedAt,
      problemCount: problemsByDataset.get(dataset.id) ?? 0,
      visibleTestCount: tests.visible,
      hiddenTestCount: tests.hidden,
      generatedTestCount: tests.generated,
    };
  });
}

/** Accepts both the Prisma enum names and their stored values, so raw SQL and Prisma groupBy rows both work. */
function addCount(counts: TestCounts, origin: string, count: number): void {
  if (origin === "dataset-visible" || origin === "DATASET_VISIBLE") counts.visible += count;
  else if (origin === "dataset-hidden" || origin === "DATASET_HIDDEN") counts.hidden += count;
  else counts.generated += count;
}

const listProblemsInput = z.object({
  datasetId: z.string().min(1),
  page: z.int().min(1).default(1),
  pageSize: z.int().min(1).max(200).default(25),
  search: z.string().max(200).optional(),
});

export type ListProblemsInput = z.input<typeof listProblemsInput>;

export interface ProblemSummary {
  id: string;
  externalId: string;
  ordinal: number;
  kind: "FUNCTION" | "STDIO";
  title: string | null;
  statement: string;
  entryPoint: string | null;
  split: string | null;
  visibleTestCount: number;
  hiddenTestCount: number;
  generatedTestCount: number;
}

export interface ProblemPage {
  problems: ProblemSummary[];
  /** Problems matching the search, over all pages. */
  total: number;
  page: number;
  pageSize: number;
}

/** Problems of a dataset in file order (ordinal). `search` matches id, title or statement, or an exact ordinal. */
export async function listProblems(prisma: Db, input: ListProblemsInput): Promise<ProblemPage> {
  const { datasetId, page, pageSize, search } = parseInput(listProblemsInput, input);
  const dataset = await prisma.dataset.findUnique({ where: { id: datasetId }, select: { id: true } });
  if (!dataset) throw new NotFoundError(`dataset ${datasetId} not found`);
  const where = { datasetId, ...searchFilter(search) };
  const total = await prisma.problem.count({ where });
  const rows = await prisma.problem.findMany({
    where,
    orderBy: [{ ordinal: "asc" }, { externalId: "asc" }],
    skip: (page - 1) * pageSize,
    take: pageSize,
    select: { id: true, externalId: true, ordinal: true, kind: true, title: true, statement: true, entryPoint: true, split: true },
  });
  const counts = await testCountsByProblem(prisma, rows.map((row) => row.id));
  const problems = rows.map((row) => {
    const tests = counts.get(row.id) ?? { visible: 0, hidden: 0, generated: 0 };
    return { ...row, visibleTestCount: tests.visible, hiddenTestCount: tests.hidden, generatedTestCount: tests.generated };
  });
  return { problems, total, page, pageSize };
}

function searchFilter(search: string | undefined) {
  const text = search?.trim();
  if (!text) return {};
  const contains = { contains: text, mode: "insensitive" as const };
  const ordinal = /^#?\d{1,9}$/.test(text) ? [{ ordinal: Number(text.replace("#", "")) }] : [];
  return { OR: [{ externalId: contains }, { title: contains }, { statement: contains }, ...ordinal] };
}

async function testCountsByProblem(prisma: Db, problemIds: string[]): Promise<Map<string, TestCounts>> {
  const counts = new Map<string, TestCounts>();
  if (problemIds.length === 0) return counts;
  const rows = await prisma.testCase.groupBy({ by: ["problemId", "origin"], where: { problemId: { in: problemIds } }, _count: { _all: true } });
  for (const row of rows) {
    const entry = counts.get(row.problemId) ?? { visible: 0, hidden: 0, generated: 0 };
    addCount(entry, row.origin, row._count._all);
    counts.set(row.problemId, entry);
  }
  return counts;
}

/** A problem with its dataset and every test, visible first, then hidden, then generated, each by ordinal. */
export async function getProblem(prisma: Db, id: string) {
  const problemId = parseInput(z.string().min(1), id, "id");
  const problem = await prisma.problem.findUnique({
    where: { id: problemId },
    include: {
      dataset: { select: { id: true, name: true, format: true } },
      testCases: { orderBy: [{ origin: "asc" }, { ordinal: "asc" }] },
    },
  });
  if (!problem) throw new NotFoundError(`problem ${problemId} not found`);
  return problem;
}

export type ProblemDetail = Awaited<ReturnType<typeof getProblem>>;

function parseInput<T>(schema: z.ZodType<T>, value: unknown, where?: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String).join(".");
  throw new ValidationError(issue.message, where ?? (path || undefined));
}
