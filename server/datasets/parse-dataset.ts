// Reading + parsing + whole-file checks, with no database: everything an import validates before it writes.
import { ValidationError } from "../errors.ts";
import { FORMAT_PARSERS, type FormatParser } from "./formats/index.ts";
import { readDatasetFile, type DatasetSource } from "./read-records.ts";
import { RecordError, toValidationError } from "./record-errors.ts";
import { DATASET_FORMATS, formatLocation, type DatasetFormat, type NormalizedProblem, type SourceRecord } from "./types.ts";

export interface ParsedDataset {
  fileName: string;
  /** sha256 of the decoded (decompressed) file bytes. */
  sha256: string;
  format: DatasetFormat;
  problems: NormalizedProblem[];
}

/** How many further bad records an error message lists after the first. */
const MORE_ERRORS_SHOWN = 4;

export function parseFormat(format: string): DatasetFormat {
  if ((DATASET_FORMATS as readonly string[]).includes(format)) return format as DatasetFormat;
  throw new ValidationError(`unknown format ${JSON.stringify(format)}; expected one of ${DATASET_FORMATS.join(", ")}`, "format");
}

export async function parseDatasetFile(source: DatasetSource, format: DatasetFormat): Promise<ParsedDataset> {
  const parser = FORMAT_PARSERS[format];
  const file = await readDatasetFile(source, { rawArrayFields: parser.rawArrayFields });
  if (file.records.length === 0) throw new ValidationError("contains no records", file.fileName);
  return { fileName: file.fileName, sha256: file.sha256, format, problems: parseRecords(file.records, parser) };
}

/**
 * Parses every record, then checks ids are unique. All bad records are collected so the message can say how many
 * there are, but the first one (in file order) is the error's `where`.
 */
export function parseRecords(records: readonly SourceRecord[], parser: FormatParser): NormalizedProblem[] {
  const problems: NormalizedProblem[] = [];
  const errors: { error: RecordError; record: SourceRecord }[] = [];
  const firstSeen = new Map<string, SourceRecord>();
  records.forEach((record, index) => {
    try {
      const problem = { ...parser.parse(record), ordinal: index + 1 };
      const previous = firstSeen.get(problem.externalId);
      if (previous) {
        const message = `duplicate id ${JSON.stringify(problem.externalId)}, first used at ${formatLocation(previous.location)}`;
        throw new RecordError(parser.idField, message);
      }
      firstSeen.set(problem.externalId, record);
      problems.push(problem);
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      errors.push({ error, record });
    }
  });
  if (errors.length > 0) throw combineErrors(errors);
  return problems;
}

function combineErrors(errors: { error: RecordError; record: SourceRecord }[]): ValidationError {
  const [first, ...rest] = errors.map(({ error, record }) => toValidationError(error, record.location));
  if (rest.length === 0) return first!;
  const shown = rest.slice(0, MORE_ERRORS_SHOWN).map((error) => error.message);
  const unshown = rest.length - shown.length;
  const more = `${rest.length} more bad record(s): ${shown.join("; ")}${unshown > 0 ? `; … and ${unshown} more` : ""}`;
  return new ValidationError(`${errors[0]!.error.message} (and ${more})`, first!.where);
}
