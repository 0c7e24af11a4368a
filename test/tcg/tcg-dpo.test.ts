// TCG-DPO records: chosen = the valid cases as the template asks for them, rejected = the same inputs with outputs
// deranged so that no case keeps an equal output. The sandbox confirms the reference passes every chosen case and
// fails every rejected one.
import { describe, expect, it } from "vitest";
import { createRandom } from "../../server/lib/rng.ts";
import { parseCases } from "../../server/tcg/parse-cases.ts";
import { buildTcgDpoRecord, planDerangement, type TcgDpoCase } from "../../server/tcg/tcg-preference-pairs.ts";
import { buildTcgPrompt } from "../../server/tcg/tcg-prompt.ts";
import { toSandboxCase } from "../../server/tcg/validate-cases.ts";
import { useSandbox } from "../sandbox/use-sandbox.ts";

const PARITY = { kind: "FUNCTION" as const, statement: "Write is_even(n) returning whether n is even.", entryPoint: "is_even", signature: "def is_even(n):", referenceSolution: "def is_even(n):\n    return n % 2 == 0\n" };
const SQUARE = { kind: "STDIO" as const, statement: "Read n and print n squared.", entryPoint: null, signature: null, referenceSolution: "n = int(input())\nprint(n * n)\n" };

function asserts(lines: string[]): TcgDpoCase[] {
  return lines.map((input) => ({ kind: "ASSERT", input, expected: null }));
}

describe("planDerangement", () => {
  it("never gives a case an output equal to its own, drops only the surplus of the commonest output, and is seeded", () => {
    const random = createRandom(42);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(random() * 9);
      const keys = Array.from({ length: n }, () => String(Math.floor(random() * 3)));
      const plan = planDerangement(keys, createRandom(trial));
      const counts = [...new Set(keys)].map((k) => keys.filter((x) => x === k).length);
      const expectedKept = n - Math.max(0, 2 * Math.max(...counts) - n);
      if (expectedKept < 2) {
        expect(plan).toBeNull();
        continue;
      }
      expect(plan!.kept).toHaveLength(expectedKept);
      expect([...plan!.permutation].sort((a, b) => a - b)).toEqual(plan!.kept.map((_, i) => i));
      plan!.kept.forEach((index, i) => expect(keys[plan!.kept[plan!.permutation[i]!]!]).not.toBe(keys[index]));
      expect(planDerangement(keys, createRandom(trial))).toEqual(plan);
    }
  });
});

describe("buildTcgDpoRecord", () => {
  const prompt = buildTcgPrompt(PARITY, 4);
  const valid = asserts(["assert is_even(2) == True", "assert is_even(3) == False", "assert is_even(10) == True", "assert is_even(7) == False"]);

  it("chosen is the valid cases in the template's format; rejected pairs the same calls with other outputs", () => {
    const { record } = buildTcgDpoRecord({ runId: "r", problemId: "p", prompt, validCases: valid }, 7);
    expect(record!.prompt).toBe(prompt);
    expect(record!.chosen).toBe(valid.map((c) => "```case\n" + c.input + "\n```").join("\n"));
    const chosen = parseCases(record!.chosen, { format: "assert", entryPoint: "is_even" }).cases;
    const rejected = parseCases(record!.rejected, { format: "assert", entryPoint: "is_even" }).cases;
    expect(rejected.map((c) => (c.format === "assert" ? c.call : ""))).toEqual(chosen.map((c) => (c.format === "assert" ? c.call : "")));
    rejected.forEach((c, i) => expect(c.format === "assert" && c.expected).not.toBe(chosen[i]!.format === "assert" && chosen[i]!.expected));
    expect(record!.metadata).toMatchObject({ source: "tcg", runId: "r", problemId: "p", cases: 4, droppedForDerangement: 0, seed: 7 });
  });

  it("leaves out the surplus of an output held by more than half the cases, and skips what cannot be shuffled", () => {
    const mostlyTrue = asserts(["assert is_even(2) == True", "assert is_even(4) == True", "assert is_even(6) == True", "assert is_even(1) == False"]);
    expect(buildTcgDpoRecord({ runId: "r", problemId: "p", prompt, validCases: mostlyTrue }, 1).record!.metadata).toMatchObject({ cases: 2, droppedForDerangement: 2 });
    expect(buildTcgDpoRecord({ runId: "r", problemId: "p", prompt, validCases: mostlyTrue.slice(0, 3) }, 1)).toEqual({ record: null, skipped: "every valid case has the same output: nothing to shuffle" });
    expect(buildTcgDpoRecord({ runId: "r", problemId: "p", prompt, validCases: valid.slice(0, 1) }, 1)).toEqual({ record: null, skipped: "fewer than two valid cases" });
  });

  describe("with the reference in the sandbox", () => {
    const sandbox = useSandbox();

    async function outcomes(reference: string, entryPoint: string | null, text: string, format: "assert" | "stdio") {
      const cases = parseCases(text, { format, entryPoint }).cases;
      const result = await sandbox().run({ code: reference, entryPoint: entryPoint ?? undefined, tests: cases.map(toSandboxCase) });
      return result.tests.map((t) => t.status);
    }

    it("the reference passes every chosen case and fails every rejected case (asserts, repeated outputs)", async () => {
      const cases = asserts(["assert is_even(2) == True", "assert is_even(3) == False", "assert is_even(10) == True", "assert is_even(7) == False", "assert is_even(0) == True"]);
      for (const seed of [1, 2, 3]) {
        const { record } = buildTcgDpoRecord({ runId: "r", problemId: "p", prompt, validCases: cases }, seed);
        expect(await outcomes(PARITY.referenceSolution, "is_even", record!.chosen, "assert")).toEqual(Array(4).fill("pass"));
        expect(await outcomes(PARITY.referenceSolution, "is_even", record!.rejected, "assert")).toEqual(Array(4).fill("fail"));
      }
    }, 60_000);

    it("the same for stdin/stdout cases", async () => {
      const cases: TcgDpoCase[] = [2, 3, -3, 5].map((n) => ({ kind: "STDIO", input: `${n}\n`, expected: `${n * n}\n` }));
      const { record } = buildTcgDpoRecord({ runId: "r", problemId: "p", prompt: buildTcgPrompt(SQUARE, 4), validCases: cases }, 5);
      // 3 and -3 share the output 9: they must not swap outputs with each other.
      expect(record!.metadata).toMatchObject({ cases: 4, droppedForDerangement: 0 });
      expect(await outcomes(SQUARE.referenceSolution, null, record!.chosen, "stdio")).toEqual(Array(4).fill("pass"));
      expect(await outcomes(SQUARE.referenceSolution, null, record!.rejected, "stdio")).toEqual(Array(4).fill("fail"));
    }, 60_000);
  });
});
