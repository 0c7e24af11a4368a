// Checks on the real benchmark files that the importer's derived data is right, by running Python:
// - every ASSERT test we store (including derived ones: HumanEval doctest asserts, MBPP+ prompt asserts and the
//   added `import math`) passes the reference solution when run as solution + setup + test — the execution order
//   the README documents;
// - every EvalPlus CALL input we store is, to Python's json, exactly the plus_input in the file (big integers,
//   1.0 vs 1, NaN kept).
import { afterAll, expect, it } from "vitest";
import { parseDatasetFile } from "../../server/datasets/parse-dataset.ts";
import type { DatasetFormat } from "../../server/datasets/types.ts";
import { runPython, runPythonBatch } from "./python-runner.ts";
import { describeWithDatasets } from "../helpers/datasets.ts";

const FILES = ["mbpp.jsonl", "sanitized-mbpp.json", "HumanEval.jsonl.gz", "MbppPlus.jsonl.gz", "HumanEvalPlus.jsonl.gz"];
const timings: string[] = [];
afterAll(() => {
  if (timings.length > 0) console.log(`[datasets] reference checks:\n  ${timings.join("\n  ")}`);
});

describeWithDatasets("stored tests against the reference solutions", FILES, (paths) => {
  const pathOf = (file: string) => paths[file]!;

  it.each([
    ["HumanEval.jsonl.gz", "humaneval"],
    ["MbppPlus.jsonl.gz", "evalplus-mbpp"],
    ["sanitized-mbpp.json", "mbpp-sanitized"],
    ["mbpp.jsonl", "mbpp"],
  ] as const)("%s: every ASSERT test passes the reference solution", async (file, format: DatasetFormat) => {
    const { problems } = await parseDatasetFile({ path: pathOf(file) }, format);
    const programs = problems.map((p) => ({
      id: p.externalId,
      code: [p.referenceSolution, p.testSetupCode, ...p.tests.filter((t) => t.kind === "ASSERT").map((t) => t.input)].join("\n"),
    }));
    const started = performance.now();
    const failures = await runPythonBatch(programs, { timeoutPerProgramS: 20 });
    timings.push(`${file}: ${programs.length} programs in ${Math.round(performance.now() - started)} ms`);
    expect(failures).toEqual([]);
  }, 120_000);

  it.each([
    ["HumanEvalPlus.jsonl.gz", "evalplus-humaneval"],
    ["MbppPlus.jsonl.gz", "evalplus-mbpp"],
  ] as const)("%s: CALL inputs are exactly the file's plus_input, as Python reads them", async (file, format: DatasetFormat) => {
    const { problems } = await parseDatasetFile({ path: pathOf(file) }, format);
    const stored = Object.fromEntries(problems.map((p) => [p.externalId, p.tests.filter((t) => t.kind === "CALL").map((t) => [t.input, t.atol])]));
    const script = `
import gzip, json, sys
stored = json.load(sys.stdin)
bad = []
for line in gzip.open(${JSON.stringify(pathOf(file))}, "rt"):
    record = json.loads(line)
    inputs = record["plus_input"] if isinstance(record["plus_input"], list) else []
    mine = stored.pop(record["task_id"])
    same = json.dumps([json.loads(text) for text, _ in mine]) == json.dumps(inputs)
    if not same or any(atol != record["atol"] for _, atol in mine):
        bad.append(record["task_id"])
print(json.dumps({"bad": bad, "extra": sorted(stored)}))
`;
    const run = await runPython(script, { stdin: JSON.stringify(stored), timeoutMs: 60_000 });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({ bad: [], extra: [] });
  }, 120_000);
});
