// `mbpp-sanitized`: the hand-verified MBPP subset (sanitized-mbpp.json, a JSON array of 427 tasks). Fields:
// source_file, task_id, prompt, code, test_imports, test_list.
//   statement   = prompt
//   entryPoint  = first function called in test_list[0] that `code` defines; signature = its `def` line
//   reference   = code
//   setup       = test_imports joined with newlines
//   split       = by task_id, same ranges as mbpp
//   tests       = test_list[0] search-visible, the rest hidden
import { z } from "zod";
import { parseRecordWith } from "../record-errors.ts";
import { normalizeNewlines } from "../python-source.ts";
import type { SourceRecord } from "../types.ts";
import type { FormatParser, ParsedProblem } from "./format-parser.ts";
import { mbppProblem } from "./mbpp-common.ts";

const sanitizedRecord = z.object({
  task_id: z.int().positive(),
  prompt: z.string().min(1),
  code: z.string().min(1),
  test_imports: z.array(z.string()),
  test_list: z.array(z.string().min(1)).min(1),
  source_file: z.string().optional(),
});

export const mbppSanitizedParser: FormatParser = {
  idField: "task_id",
  parse(record: SourceRecord): ParsedProblem {
    const r = parseRecordWith(sanitizedRecord, record.value);
    return mbppProblem({
      taskId: r.task_id,
      statement: r.prompt,
      code: r.code,
      testList: r.test_list,
      testSetupCode: r.test_imports.map(normalizeNewlines).join("\n"),
    });
  },
};
