import { prepareDatabase } from "../../bootstrap.ts";
import { closeDatabase } from "../../db/index.ts";
import { listExperiments } from "../../experiments/index.ts";
import { parseCommandArgs, type Command, printTable } from "../command.ts";
import { experimentUrl } from "../dashboard-url.ts";

export const experimentsCommand: Command = {
  name: "experiments",
  usage: "experiments [--json]",
  summary: "list experiments with status, dataset, mode, model and metrics",
  help: [
    "Usage: o1c experiments [--json]",
    "",
    "Lists every experiment, newest first: id, status, dataset, mode, model, problems finished, Pass@1, ASPR and tokens per",
    "problem (once completed), its name, and (--json) its page in the dashboard ($O1C_DASHBOARD_URL, else",
    "http://127.0.0.1:$PORT or 3000).",
  ].join("\n"),
  async run(argv) {
    const { values } = parseCommandArgs(argv, { json: { type: "boolean", default: false } }, false);
    try {
      const { prisma } = await prepareDatabase();
      const experiments = (await listExperiments(prisma, {})).map((e) => ({ ...e, url: experimentUrl(e.id) }));
      if (values.json) {
        console.log(JSON.stringify(experiments, null, 2));
        return 0;
      }
      if (experiments.length === 0) {
        console.log("No experiments. Start one with: o1c run --dataset NAME --mode pseudocode --llm URL --model M");
        return 0;
      }
      const percent = (v: number | null | undefined) => (v === null || v === undefined ? "–" : `${(v * 100).toFixed(1)}%`);
      const rows = experiments.map((e) => [
        e.id,
        e.status.toLowerCase(),
        e.dataset,
        e.mode,
        e.model,
        `${e.problemsDone}/${e.problemsTotal}`,
        percent(e.metrics?.pass1),
        percent(e.metrics?.aspr),
        e.metrics?.tokensPerProblem?.toFixed(0) ?? "–",
        e.name, // last: names are long, and tell apart runs of one dataset, mode and model (a loop's eval and search)
      ]);
      printTable(["id", "status", "dataset", "mode", "model", "done", "pass@1", "aspr", "tokens/problem", "name"], rows);
      return 0;
    } finally {
      await closeDatabase();
    }
  },
};
