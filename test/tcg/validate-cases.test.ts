// Validation against the reference solution in the real sandbox: one run per problem, every case judged, reasons
// for every invalid case, and nothing judged without a (loadable) reference.
import { describe, expect, it } from "vitest";
import { dedupeCases } from "../../server/tcg/dedupe-cases.ts";
import { parseCases } from "../../server/tcg/parse-cases.ts";
import { NO_REFERENCE_NOTE, validateCases } from "../../server/tcg/validate-cases.ts";
import { FAST_LIMITS, useSandbox } from "../sandbox/use-sandbox.ts";

const fence = (body: string) => "```case\n" + body + "\n```";

describe("validateCases (real sandbox)", () => {
  const sandbox = useSandbox();

  it("function problem: valid, wrong output, exception and timeout, each invalid one with its reason", async () => {
    const completion = [
      fence("assert div(6, 3) == 2"),
      fence("assert div(7, 2) == 4"),
      fence("assert div(1, 0) == 0"),
      fence("assert div(1, 1) == 1 if spin() else 1"),
      fence("assert div(9, 3) == THREE"),
    ].join("\n");
    const { cases } = parseCases(completion, { format: "assert", entryPoint: "div" });
    const runs: number[] = [];
    const counting = { ...sandbox(), run: (request: Parameters<ReturnType<typeof sandbox>["run"]>[0]) => (runs.push(request.tests.length), sandbox().run(request)) };
    const validated = await validateCases(counting, { referenceSolution: "def div(a, b):\n    return a // b\n", testSetupCode: "def spin():\n    while True:\n        pass\n", entryPoint: "div" }, cases, FAST_LIMITS);
    expect(runs).toEqual([5]);
    expect(validated.map((v) => v.validation)).toEqual(["VALID", "INVALID", "INVALID", "INVALID", "INVALID"]);
    expect(validated[0]!.note).toBeNull();
    expect(validated[1]!.note).toMatch(/^the reference fails the assert: assert div\(7, 2\) == 4\n\s*left:\s+3\n\s*right:\s+4/);
    expect(validated[2]!.note).toMatch(/^raises ZeroDivisionError with the reference/);
    expect(validated[3]!.note).toMatch(/^the reference timed out on it/);
    expect(validated[4]!.note).toMatch(/^raises NameError with the reference.*THREE/);
  }, 60_000);

  it("stdin/stdout problem: compares output like the judge, and says what differed", async () => {
    const completion = [fence("# input:\n3 4\n# output:\n7"), fence("# input:\n1 1\n# output:\n3"), fence("# input:\nx\n# output:\n1")].join("\n");
    const { cases } = parseCases(completion, { format: "stdio", entryPoint: null });
    const validated = await validateCases(sandbox(), { referenceSolution: "a, b = map(int, input().split())\nprint(a + b)\n", testSetupCode: "", entryPoint: null }, dedupeCases(cases).unique);
    expect(validated.map((v) => v.validation)).toEqual(["VALID", "INVALID", "INVALID"]);
    expect(validated[1]!.note).toBe('the reference\'s output differs: line 1: expected "3", got "2"');
    expect(validated[2]!.note).toMatch(/^raises ValueError with the reference/);
  }, 60_000);

  it("no reference, or a reference that does not load: cases stay unvalidated with a note", async () => {
    const { cases } = parseCases(fence("assert f(1) == 1"), { format: "assert", entryPoint: "f" });
    expect(await validateCases(sandbox(), { referenceSolution: null, testSetupCode: "", entryPoint: "f" }, cases)).toEqual([
      { case: cases[0], validation: "UNVALIDATED", note: NO_REFERENCE_NOTE },
    ]);
    const broken = await validateCases(sandbox(), { referenceSolution: "def f(x)\n    return x\n", testSetupCode: "", entryPoint: "f" }, cases);
    expect(broken[0]).toMatchObject({ validation: "UNVALIDATED" });
    expect(broken[0]!.note).toMatch(/^not validated: the reference solution did not load \(SyntaxError/);
  }, 60_000);
});
