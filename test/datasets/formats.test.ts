// Each format's parser on a small inline fixture: the mapping rules, the visibility rule, and the error messages.
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../server/errors.ts";
import { mbppSplit } from "../../server/datasets/formats/mbpp-common.ts";
import { parseDatasetFile } from "../../server/datasets/parse-dataset.ts";
import type { DatasetFormat, NormalizedProblem } from "../../server/datasets/types.ts";
import { GENERIC_JSONL_EXAMPLE } from "../../components/datasets/format-labels.ts";
import { genericLines, humanEvalPlusLines, humanEvalRecords, jsonl, mbppPlusLines, mbppRecords, sanitizedRecords } from "./fixtures.ts";

async function parse(fileName: string, text: string, format: DatasetFormat): Promise<NormalizedProblem[]> {
  return (await parseDatasetFile({ fileName, bytes: new TextEncoder().encode(text) }, format)).problems;
}

async function parseError(fileName: string, text: string, format: DatasetFormat): Promise<ValidationError> {
  const error = await parse(fileName, text, format).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

const visible = (p: NormalizedProblem) => p.tests.filter((t) => t.origin === "DATASET_VISIBLE").map((t) => t.input);
const hidden = (p: NormalizedProblem) => p.tests.filter((t) => t.origin === "DATASET_HIDDEN").map((t) => t.input);

describe("mbpp", () => {
  it("maps text, code, entry point, split, setup, and makes only the first assert visible", async () => {
    const [add, lobb] = await parse("mbpp.jsonl", jsonl(mbppRecords), "mbpp");
    expect(add).toEqual({
      externalId: "11",
      ordinal: 1,
      kind: "FUNCTION",
      statement: "Write a function to add two numbers.",
      entryPoint: "add",
      signature: "def add(a, b):",
      referenceSolution: "def add(a, b):\n  return a + b",
      testSetupCode: "",
      split: "test",
      tests: [
        { origin: "DATASET_VISIBLE", kind: "ASSERT", input: "assert add(1, 2) == 3", expected: null },
        { origin: "DATASET_HIDDEN", kind: "ASSERT", input: "assert add(0, 0) == 0", expected: null },
        { origin: "DATASET_HIDDEN", kind: "ASSERT", input: "assert add(-1, 1) == 0", expected: null },
        // challenge_test_list: hidden, and its own verdict
        { origin: "DATASET_HIDDEN", kind: "ASSERT", input: "assert add(10**20, 1) == 10**20 + 1", expected: null, suite: "CHALLENGE" },
      ],
    });
    expect(lobb!.entryPoint).toBe("lobb_num"); // `int(...)` is skipped: not defined by the code
    expect(lobb!.split).toBe("train");
    expect(lobb!.testSetupCode).toBe("X = 1");
    expect(lobb!.referenceSolution).not.toContain("\r");
  });

  it("derives the split from task_id ranges", () => {
    expect([1, 10, 11, 510, 511, 600, 601, 974, 975, 0].map(mbppSplit)).toEqual([
      "prompt", "prompt", "test", "test", "validation", "validation", "train", "train", undefined, undefined,
    ]);
  });

  it("names file, line and field for a wrong type, a missing field, and an unknown entry point", async () => {
    const wrongType = { ...mbppRecords[0], test_list: ["assert add(1, 2) == 3", 7] };
    let error = await parseError("mbpp.jsonl", jsonl([mbppRecords[1], wrongType]), "mbpp");
    expect(error.message).toBe("mbpp.jsonl:2 field test_list[1]: expected a string, got 7");
    expect(error.where).toBe("mbpp.jsonl:2 field test_list[1]");

    const { text: _text, ...missingText } = mbppRecords[0]!;
    error = await parseError("mbpp.jsonl", jsonl([missingText]), "mbpp");
    expect(error.message).toBe("mbpp.jsonl:1 field text: is required");

    const noEntry = { ...mbppRecords[0], test_list: ["assert sub(1, 2) == -1"] };
    error = await parseError("mbpp.jsonl", jsonl([noEntry]), "mbpp");
    expect(error.where).toBe("mbpp.jsonl:1 field test_list[0]");
  });

  it("rejects duplicate ids, naming both lines, and counts further bad records", async () => {
    const error = await parseError("mbpp.jsonl", jsonl([mbppRecords[0], mbppRecords[1], mbppRecords[0], { task_id: "x" }]), "mbpp");
    expect(error.where).toBe("mbpp.jsonl:3 field task_id");
    expect(error.message).toMatch(/^mbpp\.jsonl:3 field task_id: duplicate id "11", first used at mbpp\.jsonl:1 \(and 1 more bad record\(s\): mbpp\.jsonl:4 field task_id: expected a number, got "x"\)$/);
  });
});

describe("mbpp-sanitized", () => {
  it("reads a .json array; prompt is the statement and test_imports the setup", async () => {
    const [problem] = await parse("sanitized-mbpp.json", JSON.stringify(sanitizedRecords), "mbpp-sanitized");
    expect(problem).toMatchObject({
      externalId: "2",
      statement: "Write a function to find the shared elements from the given two lists.",
      entryPoint: "similar_elements",
      testSetupCode: "import math\nimport re",
      split: "prompt",
    });
    expect(visible(problem!)).toEqual([sanitizedRecords[0]!.test_list[0]]);
    expect(hidden(problem!)).toEqual([sanitizedRecords[0]!.test_list[1]]);
  });

  it("reports errors in a .json array as `record N`", async () => {
    const bad = [...sanitizedRecords, { ...sanitizedRecords[0], task_id: 3, test_imports: "import math" }];
    const error = await parseError("sanitized-mbpp.json", JSON.stringify(bad), "mbpp-sanitized");
    expect(error.message).toBe('sanitized-mbpp.json record 2 field test_imports: expected an array, got "import math"');
  });
});

describe("humaneval", () => {
  it("keeps the prompt as statement, turns doctests into visible asserts and hides the check harness", async () => {
    const [p3, p99] = await parse("HumanEval.jsonl", jsonl(humanEvalRecords), "humaneval");
    expect(p3).toMatchObject({
      externalId: "HumanEval/3",
      statement: humanEvalRecords[0]!.prompt,
      entryPoint: "below_zero",
      signature: "def below_zero(operations: List[int], strict: bool = True) -> bool:",
      referenceSolution: humanEvalRecords[0]!.prompt + humanEvalRecords[0]!.canonical_solution,
      testSetupCode: "",
    });
    expect(visible(p3!)).toEqual(["assert below_zero([1, 2, 3]) == False", "assert below_zero([1, 2, -4, 5]) == True"]);
    expect(hidden(p3!)).toEqual([`${humanEvalRecords[0]!.test}\ncheck(below_zero)\n`]);
    // Prose examples ("closest("10") ==> 10") are not doctests: no visible test.
    expect(visible(p99!)).toEqual([]);
  });

  it("leaves out a known-wrong doctest (HumanEval/47)", async () => {
    const record = {
      task_id: "HumanEval/47",
      prompt: 'def median(l: list):\n    """\n    >>> median([3, 1, 2, 4, 5])\n    3\n    >>> median([-10, 4, 6, 1000, 10, 20])\n    15.0\n    """\n',
      entry_point: "median",
      canonical_solution: "    return sorted(l)[len(l) // 2]\n",
      test: "def check(candidate):\n    pass\n",
    };
    const [problem] = await parse("HumanEval.jsonl", jsonl([record]), "humaneval");
    expect(visible(problem!)).toEqual(["assert median([3, 1, 2, 4, 5]) == 3"]);
  });

  it("requires the entry point to be defined by the prompt", async () => {
    const error = await parseError("he.jsonl", jsonl([{ ...humanEvalRecords[0], entry_point: "nope" }]), "humaneval");
    expect(error.message).toBe("he.jsonl:1 field entry_point: the prompt defines no top-level function nope");
  });
});

describe("evalplus-humaneval", () => {
  it("adds each plus_input as a hidden CALL test with the exact JSON text and the record's atol", async () => {
    const [problem] = await parse("HumanEvalPlus.jsonl", jsonl(humanEvalPlusLines), "evalplus-humaneval");
    expect(visible(problem!)).toHaveLength(2);
    const calls = problem!.tests.filter((t) => t.kind === "CALL");
    expect(calls).toEqual([
      { origin: "DATASET_HIDDEN", kind: "CALL", input: "[[12345678901234567891, -1.0]]", expected: null, atol: 1e-6, suite: "PLUS" },
      { origin: "DATASET_HIDDEN", kind: "CALL", input: "[[NaN]]", expected: null, atol: 1e-6, suite: "PLUS" },
      { origin: "DATASET_HIDDEN", kind: "CALL", input: "[[]]", expected: null, atol: 1e-6, suite: "PLUS" },
    ]);
    expect(problem!.tests.filter((t) => t.kind === "ASSERT" && t.origin === "DATASET_HIDDEN")).toHaveLength(1);
  });

  it("requires every plus_input entry to be an argument list", async () => {
    const line = humanEvalPlusLines[0]!.replace('"plus_input": [[[12345678901234567891, -1.0]], [[NaN]], [[]]]', '"plus_input": [[1], 2]');
    const error = await parseError("hep.jsonl", `${line}\n`, "evalplus-humaneval");
    expect(error.message).toBe("hep.jsonl:1 field plus_input[1]: expected an array, got 2");
  });
});

describe("evalplus-mbpp", () => {
  it("shows the prompt's assert as the visible test and hides the other assertions and plus inputs", async () => {
    const [p293, p2, p3] = await parse("MbppPlus.jsonl", jsonl(mbppPlusLines), "evalplus-mbpp");
    expect(p293).toMatchObject({
      externalId: "Mbpp/293",
      statement: "Write a function to find the third side of a right angled triangle.",
      entryPoint: "otherside",
      signature: "def otherside(w, h):",
      split: "test",
      testSetupCode: "import math", // math.isclose is used but the assertion never imports math
    });
    expect(visible(p293!)).toEqual(["assert otherside(3,4)==5.0"]);
    expect(hidden(p293!)).toEqual(["assert math.isclose(otherside(5, 12), 13, rel_tol=0.001)", "[5, 12]", "[1.0, 1]"]);
    expect(p293!.tests.filter((t) => t.kind === "CALL").every((t) => t.atol === 0.0001 && t.expected === null)).toBe(true);

    // The prompt shows a variant that is in no assertion line: it is the visible test; all assertions stay hidden.
    expect(visible(p2!)).toEqual(["assert set(similar((3, 4),(4, 5))) == set((4,))"]);
    expect(hidden(p2!)).toEqual(["assert similar((3, 4),(4, 5)) == (4,)", "assert similar((1,),(2,)) == ()"]);
    expect(p2!.testSetupCode).toBe("import math");
    expect(p2!.split).toBe("prompt");

    // The prompt shows the second assertion: it is visible and not repeated as hidden.
    expect(visible(p3!)).toEqual(["assert is_not_prime(2) == False"]);
    expect(hidden(p3!)).toEqual(["assert is_not_prime(1) == True", "assert is_not_prime(10) == True", "[4]"]);
  });

  it("validates task ids", async () => {
    const line = mbppPlusLines[0]!.replace('"Mbpp/293"', '"MBPP-293"');
    const error = await parseError("mp.jsonl", `${line}\n`, "evalplus-mbpp");
    expect(error.message).toBe('mp.jsonl:1 field task_id: must look like "Mbpp/<number>"');
  });
});

describe("jsonl (generic)", () => {
  it("takes the example the import form shows under the format, with its first test visible and the second hidden", async () => {
    const [problem] = await parse("example.jsonl", `${GENERIC_JSONL_EXAMPLE}\n`, "jsonl");
    expect(problem!.entryPoint).toBe("add");
    expect(visible(problem!)).toEqual(["assert add(1, 2) == 3"]);
    expect(hidden(problem!)).toEqual(["assert add(-1, 1) == 0"]);
  });

  it("maps fields, defaults tests to visible, and makes stdin/stdout problems STDIO", async () => {
    const [fn, io] = await parse("mine.jsonl", jsonl(genericLines), "jsonl");
    expect(fn).toEqual({
      externalId: "sum-two",
      ordinal: 1,
      kind: "FUNCTION",
      title: "Sum",
      statement: "Return a + b.",
      entryPoint: "add",
      signature: "def add(a: int, b: int) -> int:",
      referenceSolution: "def add(a, b):\n    return a + b\n",
      testSetupCode: "import math",
      tests: [
        { origin: "DATASET_VISIBLE", kind: "ASSERT", input: "assert add(1, 2) == 3", expected: null },
        { origin: "DATASET_HIDDEN", kind: "ASSERT", input: "assert add(2, 2) == 4", expected: null },
        { origin: "DATASET_VISIBLE", kind: "ASSERT", input: "assert add(0, 0) == 0", expected: null },
      ],
    });
    expect(io).toMatchObject({ externalId: "7", ordinal: 2, kind: "STDIO", entryPoint: undefined, testSetupCode: "" });
    expect(io!.tests).toEqual([
      { origin: "DATASET_VISIBLE", kind: "STDIO", input: "ab\n", expected: "abab\n" },
      { origin: "DATASET_HIDDEN", kind: "STDIO", input: "x\n", expected: "xx\n" },
    ]);
  });

  const base = { id: "p", statement: "s", tests: ["assert True"] };

  it.each([
    [{ ...base, entrypoint: "f" }, "x.jsonl:1 field entrypoint: unknown field — check its spelling"],
    [{ ...base, tests: [{ assert: "assert 1", hiden: true }] }, "x.jsonl:1 field tests[0].hiden: unknown field — check its spelling"],
    [{ ...base, tests: [{ input: "1" }] }, "x.jsonl:1 field tests[0].output: is required"],
    [{ ...base, tests: [] }, "x.jsonl:1 field tests: must have at least one item"],
    [{ ...base, tests: [42] }, 'x.jsonl:1 field tests[0]: expected an assert string, {"assert": …} or {"input": …, "output": …}, got 42'],
    [{ ...base, tests: ["assert f()", { input: "", output: "" }] }, "x.jsonl:1 field tests: mixes stdin/stdout tests with assert tests; a problem is one or the other"],
    [{ ...base, entry_point: "f", tests: [{ input: "", output: "" }] }, "x.jsonl:1 field entry_point: a problem with stdin/stdout tests is a whole program and has no entry point"],
    [{ ...base, id: 1.5 }, "x.jsonl:1 field id: expected a non-empty string or an integer"],
    [{ ...base, entry_point: "not valid" }, "x.jsonl:1 field entry_point: must be a Python identifier"],
    [[base], "x.jsonl:1: expected an object, got an array"],
  ])("rejects %j", async (record, message) => {
    expect((await parseError("x.jsonl", jsonl([record]), "jsonl")).message).toBe(message);
  });

  it("rejects duplicate ids, naming both lines (string and number ids compare as text)", async () => {
    const error = await parseError("x.jsonl", jsonl([{ ...base, id: 5 }, "", { ...base, id: "5" }]), "jsonl");
    expect(error.message).toBe('x.jsonl:3 field id: duplicate id "5", first used at x.jsonl:1');
  });
});
