// The parser for each importable format.
import type { DatasetFormat } from "../types.ts";
import { evalPlusHumanEvalParser } from "./evalplus-humaneval.ts";
import { evalPlusMbppParser } from "./evalplus-mbpp.ts";
import type { FormatParser } from "./format-parser.ts";
import { genericJsonlParser } from "./generic-jsonl.ts";
import { humanEvalParser } from "./humaneval.ts";
import { mbppParser } from "./mbpp.ts";
import { mbppSanitizedParser } from "./mbpp-sanitized.ts";

export const FORMAT_PARSERS: Record<DatasetFormat, FormatParser> = {
  mbpp: mbppParser,
  "mbpp-sanitized": mbppSanitizedParser,
  humaneval: humanEvalParser,
  "evalplus-humaneval": evalPlusHumanEvalParser,
  "evalplus-mbpp": evalPlusMbppParser,
  jsonl: genericJsonlParser,
};

export type { FormatParser, ParsedProblem } from "./format-parser.ts";
