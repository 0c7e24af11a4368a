import { describe, expect, it } from "vitest";
import { groupExecutions } from "../../components/tree/test-groups.ts";
import type { TestExecutionView } from "../../components/tree/types.ts";

function execution(testCaseId: string, origin: TestExecutionView["origin"], status: TestExecutionView["status"]): TestExecutionView {
  return { testCaseId, origin, kind: "assert", input: "assert f(1) == 2", expected: null, status, errorType: null, errorMessage: null, stdout: null, stderr: null, durationMs: 3 };
}

describe("groupExecutions", () => {
  it("puts dataset-visible and generated tests under search-visible, dataset-hidden under hidden", () => {
    const groups = groupExecutions([
      execution("v1", "dataset-visible", "pass"),
      execution("h1", "dataset-hidden", "fail"),
      execution("g1", "generated", "timeout"),
      execution("h2", "dataset-hidden", "pass"),
    ]);
    expect(groups.map((g) => [g.key, g.executions.map((e) => e.testCaseId), g.tally])).toEqual([
      ["visible", ["v1", "g1"], { passed: 1, total: 2 }],
      ["hidden", ["h1", "h2"], { passed: 1, total: 2 }],
    ]);
  });

  it("omits empty groups", () => {
    expect(groupExecutions([])).toEqual([]);
    expect(groupExecutions([execution("h", "dataset-hidden", "pass")]).map((g) => g.key)).toEqual(["hidden"]);
  });
});
