// Which tests reward a search and appear in its prompts (server/engine/search-tests.ts), by value: the dataset's
// visible tests, the pinned TCG run's valid cases, never a hidden test, at most search.maxTests.
import { describe, expect, it } from "vitest";
import { parseExperimentConfig } from "../../server/contracts/index.ts";
import { searchVisibleTests, showInPrompt } from "../../server/engine/search-tests.ts";

type Origin = "DATASET_VISIBLE" | "DATASET_HIDDEN" | "GENERATED";
const test = (id: string, origin: Origin, extra: { validation?: string; tcgRunId?: string; kind?: "ASSERT" | "CALL" | "STDIO"; expected?: string | null } = {}) => ({
  id,
  kind: extra.kind ?? ("ASSERT" as const),
  input: `assert f(${id})`,
  expected: extra.expected ?? null,
  atol: null,
  origin,
  validation: extra.validation ?? "UNVALIDATED",
  tcgRunId: extra.tcgRunId ?? null,
});

const TESTS = [
  test("visible", "DATASET_VISIBLE"),
  test("hidden", "DATASET_HIDDEN"),
  test("a-valid", "GENERATED", { validation: "VALID", tcgRunId: "run-a" }),
  test("a-invalid", "GENERATED", { validation: "INVALID", tcgRunId: "run-a" }),
  test("b-valid", "GENERATED", { validation: "VALID", tcgRunId: "run-b" }),
  test("call-unknown", "DATASET_VISIBLE", { kind: "CALL", expected: null }),
  // A hidden test the reference solution validated: still hidden, whatever its validation or the testSource.
  test("hidden-valid", "DATASET_HIDDEN", { validation: "VALID" }),
];

const config = (extra: Record<string, unknown>) => parseExperimentConfig({ dataset: "d", mode: "pseudocode", llm: { baseUrl: "http://x", model: "m" }, ...extra });
const ids = (extra: Record<string, unknown>) => searchVisibleTests(TESTS, config(extra)).map((t) => t.id);

describe("searchVisibleTests", () => {
  it("takes the dataset's visible tests, the pinned run's valid cases, or both; never a hidden test or an unjudgeable call", () => {
    expect(ids({})).toEqual(["visible"]);
    expect(ids({ testSource: "generated", tcgRun: "run-a" })).toEqual(["a-valid"]);
    expect(ids({ testSource: "generated", tcgRun: "run-b" })).toEqual(["b-valid"]);
    expect(ids({ testSource: "both", tcgRun: "run-a" })).toEqual(["visible", "a-valid"]);
  });

  it("a config stored before runs were pinned takes every valid generated case", () => {
    expect(ids({ testSource: "generated" })).toEqual(["a-valid", "b-valid"]);
  });

  it("keeps at most search.maxTests, in the stored order", () => {
    expect(ids({ testSource: "both", search: { maxTests: 1 } })).toEqual(["visible"]);
    expect(ids({ testSource: "both", search: { maxTests: 2 } })).toEqual(["visible", "a-valid"]);
  });
});

describe("showInPrompt", () => {
  it("shows an assert as written, a stdin/stdout case as a commented transcript, a call with its expected value", () => {
    expect(showInPrompt({ id: "1", kind: "ASSERT", input: "assert f(1) == 2", expected: null, atol: null })).toBe("assert f(1) == 2");
    expect(showInPrompt({ id: "2", kind: "STDIO", input: "1 2\n3\n", expected: "6\n", atol: null })).toBe(
      "# input:\n#   1 2\n#   3\n# expected output:\n#   6",
    );
    expect(showInPrompt({ id: "3", kind: "CALL", input: "[1, 2]", expected: "3", atol: null })).toBe("# call with arguments [1, 2] -> 3");
  });
});
