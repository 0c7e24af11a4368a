// Every reference solution of MBPP (974) and HumanEval (164) passes its own tests through the sandbox: the
// sandbox (limits, assert rewriting, result reporting) must not turn a correct program into a failure.
import { expect, it } from "vitest";
import type { RunRequest, RunResult, Sandbox } from "../../server/sandbox/types.ts";
import { describeWithDatasets, readJsonLines } from "../helpers/datasets.ts";
import { useSandbox } from "./use-sandbox.ts";

interface MbppRecord {
  task_id: number;
  code: string;
  test_setup_code: string;
  test_list: string[];
  challenge_test_list: string[];
}

interface HumanEvalRecord {
  task_id: string;
  prompt: string;
  canonical_solution: string;
  test: string;
  entry_point: string;
}

async function runAll<T>(sandbox: () => Sandbox, records: T[], toRequest: (record: T) => RunRequest, idOf: (record: T) => string) {
  const results = await Promise.all(records.map(async (record) => ({ id: idOf(record), result: await sandbox().run(toRequest(record)) })));
  return results.filter(({ result }) => result.passed !== result.tests.length).map(({ id, result }) => `${id}: ${describeFailure(result)}`);
}

function describeFailure(result: RunResult): string {
  const failed = result.tests.find((test) => test.status !== "pass");
  return failed ? `${failed.status} ${failed.errorType ?? ""} ${failed.errorMessage ?? ""}`.slice(0, 300) : "no tests";
}

describeWithDatasets("reference solutions through the sandbox", ["mbpp.jsonl", "HumanEval.jsonl.gz"], (files) => {
  // Generous: these files run beside the other suites on 2 cores, and MBPP task 123 alone takes ~3-5 s.
  const sandbox = useSandbox({ limits: { testTimeoutMs: 30_000, programTimeoutMs: 60_000 } });

  it("passes all 974 MBPP reference solutions (test_list and challenge_test_list)", { timeout: 180_000 }, async () => {
    const records = readJsonLines(files["mbpp.jsonl"]!) as MbppRecord[];
    expect(records).toHaveLength(974);
    const failures = await runAll(
      sandbox,
      records,
      (r) => ({
        code: r.code,
        setupCode: r.test_setup_code,
        tests: [...r.test_list, ...r.challenge_test_list].map((input) => ({ kind: "assert" as const, input })),
      }),
      (r) => `MBPP ${r.task_id}`,
    );
    expect(failures).toEqual([]);
  });

  it("passes all 164 HumanEval canonical solutions", { timeout: 120_000 }, async () => {
    const records = readJsonLines(files["HumanEval.jsonl.gz"]!) as HumanEvalRecord[];
    expect(records).toHaveLength(164);
    const failures = await runAll(
      sandbox,
      records,
      (r) => ({
        code: r.prompt + r.canonical_solution,
        tests: [{ kind: "assert", input: `${r.test}\ncheck(${r.entry_point})\n` }],
      }),
      (r) => r.task_id,
    );
    expect(failures).toEqual([]);
  });
});
