import type { DatasetFormat } from "@/server/datasets";

// `Record<DatasetFormat, …>` makes the compiler flag a format added on the server but missing here.
export const DATASET_FORMAT_LABELS: Record<DatasetFormat, string> = {
  mbpp: "MBPP (mbpp.jsonl)",
  "mbpp-sanitized": "MBPP sanitized (sanitized-mbpp.json)",
  humaneval: "HumanEval (HumanEval.jsonl.gz)",
  "evalplus-humaneval": "HumanEval+ (EvalPlus)",
  "evalplus-mbpp": "MBPP+ (EvalPlus)",
  jsonl: "Generic JSONL (see docs)",
};
