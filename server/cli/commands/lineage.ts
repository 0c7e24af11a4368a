import { prepareDatabase } from "../../bootstrap.ts";
import { closeDatabase } from "../../db/index.ts";
import { LINEAGE_DEFINITIONS, METRIC_DEFINITIONS, describeDeltaBasis } from "../../contracts/index.ts";
import { findLineageByName, getLineage, listLineages, type IterationRow, type LineageComparison } from "../../lineage/index.ts";
import { CliUsageError, parseCommandArgs, printTable, tableLines, type Command } from "../command.ts";

export const lineageCommand: Command = {
  name: "lineage",
  usage: "lineage list | lineage show NAME [--json]",
  summary: "self-play lineages: list them, or compare a lineage's iterations",
  help: [
    "Usage: o1c lineage list [--json]",
    "       o1c lineage show NAME [--json]",
    "",
    "A lineage is a chain of self-play iterations: iteration 0 is the base policy; the policy of iteration k+1 was",
    "trained outside this app on data exported from iteration k. Record a run as an iteration with",
    "`o1c run … --lineage NAME --iteration K [--trained-on TEXT]` (the lineage is created on first use).",
    "",
    "show prints one row per experiment, grouped by iteration: Pass@1, ASPR, tokens per problem, TCG validity,",
    "human judgements and annotators, and the change from the previous iteration (same dataset and mode).",
  ].join("\n"),
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { json: { type: "boolean", default: false } });
    const [action, name, ...extra] = positionals;
    if (action !== "list" && action !== "show") throw new CliUsageError("give a subcommand: list or show NAME");
    if (action === "show" && !name) throw new CliUsageError("show needs the lineage's NAME (o1c lineage list shows them)");
    if ((action === "list" && name !== undefined) || extra.length > 0) throw new CliUsageError(`unexpected argument '${action === "list" ? name : extra[0]}'`);
    try {
      const { prisma } = await prepareDatabase();
      if (action === "list") {
        const lineages = await listLineages(prisma);
        if (values.json) console.log(JSON.stringify(lineages, null, 2));
        else if (lineages.length === 0) console.log("No lineages. Start one with: o1c run … --lineage NAME --iteration 0");
        else printTable(["name", "iterations", "experiments", "latest iteration", "created"], lineages.map((l) => [l.name, String(l.iterations), String(l.experiments), l.latestIteration === null ? "–" : String(l.latestIteration), l.createdAt.toISOString()]));
        return 0;
      }
      const lineage = await getLineage(prisma, (await findLineageByName(prisma, name!)).id);
      console.log(values.json ? JSON.stringify(lineage, null, 2) : formatLineage(lineage));
      return 0;
    } finally {
      await closeDatabase();
    }
  },
};

function pct(value: number | null): string {
  return value === null ? "–" : `${(value * 100).toFixed(1)}%`;
}

function signed(value: number | null, scale: number, digits: number, unit = ""): string {
  if (value === null) return "";
  const d = value * scale;
  return ` (${d >= 0 ? "+" : ""}${d.toFixed(digits)}${unit})`;
}

function rowCells(r: IterationRow): string[] {
  return [
    String(r.iteration),
    r.name,
    `${r.dataset} · ${r.mode}`,
    `${r.model} @ ${r.endpoint}`,
    r.status.toLowerCase(),
    pct(r.pass1) + signed(r.delta.pass1, 100, 1, " pts"),
    pct(r.aspr) + signed(r.delta.aspr, 100, 1, " pts"),
    (r.tokensPerProblem?.toFixed(0) ?? "–") + signed(r.delta.tokensPerProblem, 1, 0),
    (r.tcg ? pct(r.tcg.validityRate) : "–") + signed(r.delta.tcgValidity, 100, 1, " pts"),
    `${r.judgements} / ${r.annotators}`,
    r.trainedOn ?? "–",
    describeDeltaBasis(r.delta)?.text ?? "",
  ];
}

export function formatLineage(lineage: LineageComparison): string {
  const header = ["iter", "experiment", "dataset · mode", "policy", "status", "Pass@1 (Δ)", "ASPR (Δ)", "tokens/problem (Δ)", "TCG validity (Δ)", "judgements / annotators", "trained on", "Δ compared on"];
  const rows = lineage.iterations.flatMap((group) => group.rows.map(rowCells));
  const lines = [`Lineage ${lineage.name}${lineage.description ? ` — ${lineage.description}` : ""}`, ""];
  if (rows.length === 0) lines.push("No iterations yet.");
  else lines.push(...tableLines(header, rows));
  lines.push("", METRIC_DEFINITIONS.pass1, METRIC_DEFINITIONS.aspr, METRIC_DEFINITIONS.tokens, LINEAGE_DEFINITIONS.tcgValidity, LINEAGE_DEFINITIONS.judgements, LINEAGE_DEFINITIONS.annotators, LINEAGE_DEFINITIONS.delta);
  return lines.join("\n");
}
