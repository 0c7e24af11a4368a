// `mbpp`: the full MBPP file (mbpp.jsonl, 974 tasks). Fields: task_id, text, code, test_setup_code, test_list,
// challenge_test_list. Unknown extra fields are ignored (upstream copies vary); missing or mistyped ones are errors.
//   statement   = text
//   entryPoint  = the first function called in test_list[0] that `code` defines; signature = its `def` line
//   reference   = code, with its `\r\n` line endings normalised to `\n` (as are all code fields)
//   setup       = test_setup_code
//   split       = by task_id (1-10 prompt, 11-510 test, 511-600 validation, 601-974 train)
//   tests       = test_list[0] search-visible; test_list[1:] and challenge_test_list hidden
import { z } from "zod";
import { parseRecordWith } from "../record-errors.ts";
import { normalizeNewlines } from "../python-source.ts";
import type { SourceRecord } from "../types.ts";
import type { FormatParser, ParsedProblem } from "./format-parser.ts";
import { mbppProblem } from "./mbpp-common.ts";

const mbppRecord = z.object({
  task_id: z.int().positive(),
  text: z.string().min(1),
  code: z.string().min(1),
  test_setup_code: z.string(),
  test_list: z.array(z.string().min(1)).min(1),
  challenge_test_list: z.array(z.string().min(1)).optional(),
});

export const mbppParser: FormatParser = {
  idField: "task_id",
  parse(record: SourceRecord): ParsedProblem {
    const r = parseRecordWith(mbppRecord, record.value);
    return mbppProblem({
      taskId: r.task_id,
      statement: r.text,
      code: r.code,
      testList: r.test_list,
      testSetupCode: normalizeNewlines(r.test_setup_code),
      challengeTests: r.challenge_test_list,
    });
  },
};
