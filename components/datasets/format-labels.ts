import type { DatasetFormat } from "@/server/datasets";

// `Record<DatasetFormat, …>` makes the compiler flag a format added on the server but missing here.
export const DATASET_FORMAT_LABELS: Record<DatasetFormat, string> = {
  mbpp: "MBPP (mbpp.jsonl)",
  "mbpp-sanitized": "MBPP sanitized (sanitized-mbpp.json)",
  humaneval: "HumanEval (HumanEval.jsonl.gz)",
  "evalplus-humaneval": "HumanEval+ (EvalPlus)",
  "evalplus-mbpp": "MBPP+ (EvalPlus)",
  jsonl: "Generic JSONL (our format, below)",
};

/** The generic format in brief, shown under the import form when it is chosen (whole: server/datasets/README.md). */
export const GENERIC_JSONL_EXAMPLE =
  '{"id": "sum-two", "statement": "Write add(a, b) returning the sum.", "entry_point": "add", "reference_solution": "def add(a, b):\\n    return a + b\\n", "tests": ["assert add(1, 2) == 3", {"assert": "assert add(-1, 1) == 0", "hidden": true}]}';
