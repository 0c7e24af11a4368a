import path from "node:path";
import { prepareDatabase } from "../../bootstrap.ts";
import { closeDatabase } from "../../db/index.ts";
import { DATASET_FORMATS, importDataset, type DatasetFormat, type ImportReport } from "../../datasets/index.ts";
import { CliUsageError, parseCommandArgs, type Command } from "../command.ts";

export const importCommand: Command = {
  name: "import",
  usage: "import <file> --format F [--name N] [--json]",
  summary: "import a dataset (.jsonl, .json, .jsonl.gz); re-importing is idempotent",
  help: [
    "Usage: o1c import <file> --format FORMAT [--name NAME] [--json]",
    "",
    `  --format   one of: ${DATASET_FORMATS.join(", ")}`,
    "  --name     dataset name (default: derived from the file name, e.g. mbpp.jsonl -> mbpp)",
    "  --json     print the import report as JSON",
    "",
    "Every record is validated before anything is written: one bad record fails the import with its file, line",
    "and field, and the database is left unchanged. The generic `jsonl` format is described in server/datasets/README.md.",
  ].join("\n"),
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      format: { type: "string" },
      name: { type: "string" },
      json: { type: "boolean", default: false },
    });
    if (positionals.length !== 1) throw new CliUsageError("expected exactly one file to import");
    const format = values.format;
    if (!format) throw new CliUsageError("--format is required");
    if (!isFormat(format)) throw new CliUsageError(`--format must be one of ${DATASET_FORMATS.join(", ")}; got '${format}'`);
    const file = path.resolve(positionals[0]!);
    try {
      const { prisma } = await prepareDatabase();
      const report = await importDataset(prisma, { source: { path: file }, format, name: values.name });
      console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
      return 0;
    } finally {
      await closeDatabase();
    }
  },
};

function isFormat(value: string): value is DatasetFormat {
  return (DATASET_FORMATS as readonly string[]).includes(value);
}

function formatReport(report: ImportReport): string {
  const p = report.problems;
  return [
    `Imported dataset '${report.name}' (${report.format}): ${p.inFile} problems in file — ${p.added} added, ${p.updated} updated, ${p.unchanged} unchanged` +
      (p.missingFromFile ? `, ${p.missingFromFile} kept from earlier imports but not in this file` : "") +
      ".",
    `Tests: ${report.tests.visible} search-visible, ${report.tests.hidden} hidden.` +
      (report.problemsWithoutVisibleTests ? ` ${report.problemsWithoutVisibleTests} problems have no search-visible test.` : ""),
    `(${report.durationMs} ms)`,
  ].join("\n");
}
