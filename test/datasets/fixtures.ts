// Small inline records in each supported format, shaped like the real files (see ../shared/datasets/SOURCES.md).

export const mbppRecords = [
  {
    text: "Write a function to add two numbers.",
    code: "def add(a, b):\r\n  return a + b",
    task_id: 11,
    test_setup_code: "",
    test_list: ["assert add(1, 2) == 3", "assert add(0, 0) == 0", "assert add(-1, 1) == 0"],
    challenge_test_list: ["assert add(10**20, 1) == 10**20 + 1"],
  },
  {
    text: "Write a function to find the lobb number.",
    code: "def binomial(n, k):\r\n  return 1\r\ndef lobb_num(n, m):\r\n  return 35",
    task_id: 912,
    test_setup_code: "X = 1",
    test_list: ["assert int(lobb_num(5, 3)) == 35", "assert int(lobb_num(3, 2)) == 35", "assert int(lobb_num(4, 2)) == 35"],
    challenge_test_list: [],
  },
];

export const sanitizedRecords = [
  {
    source_file: "Benchmark Questions Verification V2.ipynb",
    task_id: 2,
    prompt: "Write a function to find the shared elements from the given two lists.",
    code: "def similar_elements(a, b):\n  return tuple(set(a) & set(b))",
    test_imports: ["import math", "import re"],
    test_list: ["assert set(similar_elements((3, 4), (4, 5))) == set((4,))", "assert similar_elements((1,), (2,)) == ()"],
  },
];

const HE_PROMPT = [
  "from typing import List",
  "",
  "",
  "def below_zero(operations: List[int],",
  "               strict: bool = True) -> bool:",
  '    """ Detect if the balance falls below zero.',
  "    >>> below_zero([1, 2, 3])",
  "    False",
  "    >>> below_zero([1, 2, -4, 5])",
  "    True",
  '    """',
  "",
].join("\n");

export const humanEvalRecords = [
  {
    task_id: "HumanEval/3",
    prompt: HE_PROMPT,
    entry_point: "below_zero",
    canonical_solution: "    balance = 0\n    for op in operations:\n        balance += op\n        if balance < 0:\n            return True\n    return False\n",
    test: "\n\ndef check(candidate):\n    assert candidate([]) == False\n    assert candidate([1, -2]) == True\n",
  },
  {
    task_id: "HumanEval/99",
    prompt: 'def closest(value):\n    """Round it.\n    Examples\n    closest("10") ==> 10\n    """\n',
    entry_point: "closest",
    canonical_solution: "    return round(float(value))\n",
    test: "def check(candidate):\n    assert candidate('10') == 10\n",
  },
];

/** HumanEval+ adds contract/base_input/atol/plus_input; plus_input holds values JS numbers cannot carry exactly. */
export const humanEvalPlusLines = [
  `{"task_id": "HumanEval/3", "prompt": ${JSON.stringify(HE_PROMPT)}, "entry_point": "below_zero", ` +
    `"canonical_solution": "    return any(sum(operations[:i + 1]) < 0 for i in range(len(operations)))\\n", ` +
    `"test": "def check(candidate):\\n    assert candidate([]) == False\\n", "contract": "", "base_input": [[[1, 2]]], ` +
    `"atol": 1e-06, "plus_input": [[[12345678901234567891, -1.0]], [[NaN]], [[]]]}`,
];

export const mbppPlusLines = [
  // The prompt's example is the first assertion line; `math.` is used without an import.
  JSON.stringify({
    task_id: "Mbpp/293",
    prompt: '"""\nWrite a function to find the third side of a right angled triangle.\nassert otherside(3,4)==5.0\n"""\n',
    entry_point: "otherside",
    canonical_solution: "\nimport math\ndef otherside(w, h):\n  return math.sqrt(w * w + h * h)\n",
    base_input: [[3, 4]],
    atol: 0.0001,
    plus_input: [[5, 12], [1, 1]],
    contract: "",
    assertion: "\nassert otherside(3,4)==5.0\nassert math.isclose(otherside(5, 12), 13, rel_tol=0.001)\n",
  }).replace('"plus_input":[[5,12],[1,1]]', '"plus_input": [[5, 12], [1.0, 1]]'), // Python's spacing, and a float 1.0
  // The prompt's example is a variant found in no assertion line; `{}` means no plus inputs (Mbpp/793).
  JSON.stringify({
    task_id: "Mbpp/2",
    prompt: '"""\nWrite a function to find the shared elements from the given two lists.\nassert set(similar((3, 4),(4, 5))) == set((4,))\n"""\n',
    entry_point: "similar",
    canonical_solution: "\ndef similar(a, b):\n  return tuple(set(a) & set(b))\n",
    base_input: [],
    atol: 0,
    plus_input: {},
    contract: "",
    assertion: "import math\n\nassert similar((3, 4),(4, 5)) == (4,)\nassert similar((1,),(2,)) == ()\n",
  }),
  // The prompt's example is the second assertion line.
  JSON.stringify({
    task_id: "Mbpp/3",
    prompt: '"""\nWrite a python function to identify non-prime numbers.\nassert is_not_prime(2) == False\n"""\n',
    entry_point: "is_not_prime",
    canonical_solution: "def is_not_prime(n):\n  return n < 2 or any(n % d == 0 for d in range(2, n))\n",
    base_input: [[1], [2]],
    atol: 0,
    plus_input: [[4]],
    contract: "",
    assertion: "\nassert is_not_prime(1) == True\nassert is_not_prime(2) == False\nassert is_not_prime(10) == True\n",
  }),
];

export const genericLines = [
  JSON.stringify({
    id: "sum-two",
    title: "Sum",
    statement: "Return a + b.",
    entry_point: "add",
    signature: "def add(a: int, b: int) -> int:",
    reference_solution: "def add(a, b):\r\n    return a + b\n",
    setup_code: "import math",
    tests: ["assert add(1, 2) == 3", { assert: "assert add(2, 2) == 4", hidden: true }, { assert: "assert add(0, 0) == 0", hidden: false }],
  }),
  JSON.stringify({
    id: 7,
    statement: "Echo the input twice.",
    reference_solution: "s = input()\nprint(s + s)\n",
    tests: [{ input: "ab\n", output: "abab\n" }, { input: "x\n", output: "xx\n", hidden: true }],
  }),
];

export function jsonl(lines: unknown[]): string {
  return lines.map((line) => (typeof line === "string" ? line : JSON.stringify(line))).join("\n") + "\n";
}
