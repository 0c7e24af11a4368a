// The built-in starter set: its shape (house rules), idempotent loading, and that every reference solution passes
// every one of its tests when run with python3.
import { describe, expect, it } from "vitest";
import { ensureStarterDataset, STARTER_DATASET_NAME, starterProblems } from "../../server/datasets/starter/index.ts";
import { useTestPrisma } from "../helpers/db.ts";
import { runPython } from "./python-runner.ts";

const problems = starterProblems();

describe("starter problems", () => {
  it("has at least 12 problems, some stdin/stdout, most function-style, each with a reference and 4+ tests", () => {
    expect(problems.length).toBeGreaterThanOrEqual(12);
    const stdio = problems.filter((p) => p.kind === "STDIO");
    expect(stdio.length).toBeGreaterThanOrEqual(3);
    expect(problems.length - stdio.length).toBeGreaterThan(stdio.length);
    expect(new Set(problems.map((p) => p.externalId)).size).toBe(problems.length);
    for (const p of problems) {
      expect(p.referenceSolution, p.externalId).toBeTruthy();
      expect(p.tests.length, p.externalId).toBeGreaterThanOrEqual(4);
      // House rule: the first test is search-visible, every other one hidden.
      expect(p.tests.map((t) => t.origin), p.externalId).toEqual(["DATASET_VISIBLE", ...p.tests.slice(1).map(() => "DATASET_HIDDEN")]);
      if (p.kind === "FUNCTION") {
        expect(p.entryPoint && p.referenceSolution!.includes(`def ${p.entryPoint}(`), p.externalId).toBe(true);
        expect(p.signature, p.externalId).toMatch(/^def \w+\(/);
      }
    }
  });

  // One python3 process per problem for its asserts; one per stdin case (each needs its own stdin).
  it.each(problems.map((p) => [p.externalId, p] as const))("%s: the reference solution passes every test", async (_id, problem) => {
    if (problem.kind === "FUNCTION") {
      const program = [problem.referenceSolution, problem.testSetupCode, ...problem.tests.map((t) => t.input)].join("\n");
      const run = await runPython(program);
      expect(run.stderr).toBe("");
      expect(run.exitCode).toBe(0);
      return;
    }
    for (const test of problem.tests) {
      const run = await runPython(problem.referenceSolution!, { stdin: test.input });
      expect(run.stderr).toBe("");
      expect(run.stdout).toBe(test.expected);
    }
  }, 60_000);

  it("a wrong solution fails the tests (the check above can fail)", async () => {
    const digitalRoot = problems.find((p) => p.externalId === "digital-root")!;
    const wrong = "def digital_root(n):\n    return n % 9\n"; // wrong for multiples of 9
    const run = await runPython([wrong, ...digitalRoot.tests.map((t) => t.input)].join("\n"));
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toMatch(/AssertionError/);
  });
});

describe("ensureStarterDataset", () => {
  const prisma = useTestPrisma();

  it("loads the starter set as dataset `starter` (format builtin) once; later calls are cheap no-ops", async () => {
    const first = await ensureStarterDataset(prisma);
    // Other test files may have loaded it first (it is shared): then this call already finds it unchanged.
    expect(["written", "unchanged"]).toContain(first.status);
    const dataset = await prisma.dataset.findUniqueOrThrow({ where: { name: STARTER_DATASET_NAME }, include: { _count: { select: { problems: true } } } });
    expect(dataset).toMatchObject({ format: "builtin", sourceFile: null });
    expect(dataset._count.problems).toBe(problems.length);
    const tests = await prisma.testCase.count({ where: { problem: { datasetId: dataset.id }, origin: { in: ["DATASET_VISIBLE", "DATASET_HIDDEN"] } } });
    expect(tests).toBe(problems.reduce((sum, p) => sum + p.tests.length, 0));

    const started = performance.now();
    expect(await ensureStarterDataset(prisma)).toEqual({ status: "unchanged" });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await prisma.problem.count({ where: { datasetId: dataset.id } })).toBe(problems.length);
  });
});
