// The search-visible evaluator's compile term, on the real sandbox: code that does not compile is not "compiling"
// whatever kind of test the problem has (assert tests load the module first; stdin/stdout tests run it as a script).
import { describe, expect, it } from "vitest";
import { createVisibleTestEvaluator, type StoredTest } from "../../server/judging/index.ts";
import { useSandbox } from "../sandbox/use-sandbox.ts";

const sandbox = useSandbox();
const program = { setupCode: "", entryPoint: null };
const stdio = (input: string, expected: string, id = "t1"): StoredTest => ({ id, kind: "STDIO", input, expected, atol: null });
const assertTest = (input: string): StoredTest => ({ id: "a1", kind: "ASSERT", input, expected: null, atol: null });

describe("createVisibleTestEvaluator's compile term", () => {
  it("is false for a syntax error under stdin/stdout tests", async () => {
    const evaluate = createVisibleTestEvaluator(sandbox(), program, [stdio("2\n", "4\n")]);
    const evaluation = await evaluate("print(int(input()) * 2\n", {});
    expect(evaluation).toMatchObject({ compiles: false, passRate: 0 });
  });

  it("is true for a script that compiles under stdin/stdout tests, even when it fails them", async () => {
    const evaluate = createVisibleTestEvaluator(sandbox(), program, [stdio("2\n", "4\n"), stdio("3\n", "6\n", "t2")]);
    expect(await evaluate("print(int(input()) * 2)\n", {})).toMatchObject({ compiles: true, passRate: 1 });
    expect(await evaluate("print(int(input()) + 1)\n", {})).toMatchObject({ compiles: true, passRate: 0 });
  });

  it("is false for a syntax error under assert tests", async () => {
    const evaluate = createVisibleTestEvaluator(sandbox(), program, [assertTest("assert f() == 1")]);
    expect(await evaluate("def f(:\n    return 1\n", {})).toMatchObject({ compiles: false, passRate: 0 });
  });
});
