// Assert tests decided in Node from the recorded call (decidedAsRecorded) against the judge's replay of the same
// runs: one sandbox decides what it can itself, the other sends every assert test to the judge. Each test's whole
// result must be the same both ways (all but durationMs, the harness's own timing of the run), and the tests Node
// cannot be sure about must still reach the judge.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { RunRequest, TestResult } from "../../server/sandbox/types.ts";
import { WorkerPool } from "../../server/sandbox/worker-pool.ts";
import { useSandbox } from "./use-sandbox.ts";

const shortcut = useSandbox({ workers: 1 });
const judgeOnly = useSandbox({ workers: 1, judgeEveryAssert: true });

/** [what f(k) returns (Python), the test (with K for k)], and whether Node decides it without the judge. */
const CASES: { returns: string; test: string; inNode: boolean }[] = [
  { returns: "1", test: "assert f(K) == 3", inNode: true },
  { returns: "-5", test: "assert f(K) == 5", inNode: true },
  { returns: "3", test: "assert f(K) == 3", inNode: true }, // the exact value: a pass
  { returns: "10**50", test: "assert f(K) == 1", inNode: true },
  { returns: "2**70 + 1", test: "assert f(K) == 1180591620717411303424", inNode: true },
  { returns: "2**70", test: "assert f(K) == 1180591620717411303424", inNode: true },
  { returns: "True", test: "assert f(K) == 2", inNode: true },
  { returns: "True", test: "assert f(K) == 1", inNode: false }, // equal in Python: the judge passes it
  { returns: "False", test: "assert f(K) == 0", inNode: false },
  { returns: "1", test: "assert f(K) == True", inNode: false },
  { returns: "None", test: "assert f(K) == 0", inNode: true },
  { returns: "'3'", test: "assert f(K) == 3", inNode: true },
  { returns: `"it's \\"q\\"\\n\\t\\x01\\x7f\\\\"`, test: "assert f(K) == 'x'", inNode: true },
  { returns: "'a' * 500", test: "assert f(K) == 'a'", inNode: true },
  { returns: "'\\x01' * 50", test: "assert f(K) == ''", inNode: true },
  { returns: "'é'", test: "assert f(K) == 'e'", inNode: false }, // its repr is Python's to make
  { returns: "'e'", test: "assert f(K) == 'é'", inNode: true },
  { returns: "[1, 2]", test: "assert f(K) == (1, 2)", inNode: true },
  { returns: "(1, 2)", test: "assert f(K) == [1, 2]", inNode: true },
  { returns: "(1,)", test: "assert f(K) == (2,)", inNode: true },
  { returns: "[(1, [2])]", test: "assert f(K) == [(1, (2,))]", inNode: true },
  { returns: "list(range(20))", test: "assert f(K) == []", inNode: true },
  { returns: "[[[[[[[[1]]]]]]]]", test: "assert f(K) == [1]", inNode: true },
  { returns: "[['x' * 160] * 12] * 12", test: "assert f(K) == []", inNode: false }, // a message past 4000 characters
  { returns: "1.0", test: "assert f(K) == 2", inNode: false },
  { returns: "{'a': 1}", test: "assert f(K) == 1", inNode: false },
  { returns: "{1}", test: "assert f(K) == [1]", inNode: false },
  { returns: "1", test: "assert f(K) == 2, 'with a message'", inNode: false },
  { returns: "1", test: "assert f(\n    K) == 2", inNode: true },
  { returns: "1", test: "\n# why\nassert f(K) == 2  # a comment", inNode: true },
  { returns: "1", test: `assert f(K) == [${Array.from({ length: 150 }, (_, i) => i).join(", ")}]`, inNode: true }, // a line past 300 characters
];

function program(cases: { returns: string }[], prelude = ""): string {
  return `${prelude}RETURNS = [${cases.map((c) => c.returns).join(", ")}]\ndef f(k):\n    return RETURNS[k]\n`;
}

function request(code: string, tests: string[]): RunRequest {
  return { code, tests: tests.map((test) => ({ kind: "assert", input: test })) };
}

/** Each test's result without its duration, and the test indexes each run asked the judge about. */
async function bothWays(run: RunRequest) {
  const exec = vi.spyOn(WorkerPool.prototype, "exec");
  const judged = () => exec.mock.calls.flatMap(([req]) => ("op" in req && req.op === "judge" ? req.tests.map((t) => t.index) : []));
  const inNode = await shortcut().run(run);
  const inNodeJudged = judged();
  exec.mockClear();
  const byJudge = await judgeOnly().run(run);
  const byJudgeJudged = judged();
  const withoutDuration = (tests: TestResult[]) => tests.map(({ durationMs: _duration, ...rest }) => rest);
  return { inNode: withoutDuration(inNode.tests), byJudge: withoutDuration(byJudge.tests), inNodeJudged, byJudgeJudged };
}

afterEach(() => vi.restoreAllMocks());

describe("assert tests decided from the recorded call, against the judge's replay", () => {
  it("gives every test the judge's result, message included, and asks the judge only what Node cannot be sure of", async () => {
    const { inNode, byJudge, inNodeJudged, byJudgeJudged } = await bothWays(request(program(CASES), CASES.map((c, k) => c.test.replace("K", String(k)))));
    expect(inNode).toEqual(byJudge);
    expect(byJudgeJudged).toEqual(CASES.map((_, k) => k));
    expect(inNodeJudged).toEqual(CASES.flatMap((c, k) => (c.inNode ? [] : [k])));
    // Not a vacuous agreement: the statuses are the ones Python gives, and a message reads as the judge words it.
    expect(inNode.flatMap((t, k) => (t.status === "pass" ? [k] : []))).toEqual([2, 5, 7, 8, 9]);
    expect(inNode.filter((t) => t.status === "fail").every((t) => t.errorType === "AssertionError")).toBe(true);
    expect(inNode[0]).toEqual({ status: "fail", errorType: "AssertionError", errorMessage: "assert f(0) == 3\n  left:  1\n  right: 3  (==)", stdout: "", stderr: "" });
  });

  it("forged first calls: Node fails them as the judge replaying the same record does; only exact text passes", async () => {
    // f writes a call record of its own before returning 0, so the forged one is the test's first recorded call.
    const forged = ['"7919"', "true", '{"$tuple":[7919]}', "[7919,[1]]", '{"$opaque":{"type":"int","repr":"7919","ref":1,"honest":true}}', '"x\\n  right: 7919  (==)"', "[7919]"];
    const code = `import json, os
FORGED = ${JSON.stringify(forged)}
def f(k):
    os.write(3, ('{"e":"call","t":%d,"name":"f","args":"[%d]","v":%s}\\n' % (k, k, json.dumps(FORGED[k]))).encode())
    return 0
`;
    const { inNode, byJudge, inNodeJudged } = await bothWays(request(code, forged.map((_, k) => `assert f(${k}) == ${k === 3 ? "[7919, (1,)]" : "[7919]"}`)));
    expect(inNode).toEqual(byJudge);
    expect(inNode.map((t) => t.status)).toEqual(["fail", "fail", "fail", "fail", "fail", "fail", "pass"]);
    expect(inNodeJudged).toEqual([4]); // the $opaque claim: the judge's Opaque equals nothing
    expect(inNode[5]!.errorMessage).toBe("assert f(5) == [7919]\n  left:  'x\\n  right: 7919  (==)'\n  right: [7919]  (==)");
  });
});
