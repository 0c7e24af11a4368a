import { prepareDatabase } from "../../bootstrap.ts";
import { closeDatabase } from "../../db/index.ts";
import { listDatasets } from "../../datasets/index.ts";
import { parseCommandArgs, type Command, printTable } from "../command.ts";

export const datasetsCommand: Command = {
  name: "datasets",
  usage: "datasets [--json]",
  summary: "list datasets with their problem and test counts",
  help: "Usage: o1c datasets [--json]\n\nLists every dataset: problems, search-visible and hidden tests, format, source file.",
  async run(argv) {
    const { values } = parseCommandArgs(argv, { json: { type: "boolean", default: false } }, false);
    try {
      const { prisma } = await prepareDatabase();
      const datasets = await listDatasets(prisma);
      if (values.json) {
        console.log(JSON.stringify(datasets, null, 2));
        return 0;
      }
      if (datasets.length === 0) {
        console.log("No datasets. Import one with: o1c import <file> --format mbpp");
        return 0;
      }
      const rows = datasets.map((d) => [d.name, d.format, String(d.problemCount), String(d.visibleTestCount), String(d.hiddenTestCount), d.sourceFile ?? ""]);
      printTable(["name", "format", "problems", "visible tests", "hidden tests", "source"], rows);
      return 0;
    } finally {
      await closeDatabase();
    }
  },
};
