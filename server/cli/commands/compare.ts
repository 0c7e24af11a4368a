import { prepareDatabase } from "../../bootstrap.ts";
import { closeDatabase } from "../../db/index.ts";
import { parseExperimentConfig, TABLE1_MODES, METRIC_DEFINITIONS, PAPER_TABLE1 } from "../../contracts/index.ts";
import type { ExperimentMetrics } from "../../evaluation/index.ts";
import { CliUsageError, parseCommandArgs, problemsFlag, type Command } from "../command.ts";
import { createAndRun } from "./run.ts";

export const compareCommand: Command = {
  name: "compare",
  usage: "compare --dataset D --llm URL --model NAME [--problems …] [--json]",
  summary: "run vanilla and pseudocode on the same problems; print the paper's Table 1 layout",
  help: [
    "Usage: o1c compare --dataset NAME --llm URL --model NAME [--problems 1-50] [--rollouts R] [--children n] [--seed S] [--json]",
    "",
    "Runs the same search twice on the same problems, once per reasoning mode (vanilla, pseudocode), and prints",
    "Pass@1 (final answer and first terminal), ASPR and tokens (policy and PRM) side by side with the difference, as in",
    "Table 1 of the O1-CODER paper, at the same rollouts; then the paper's own figures, labelled as the paper's.",
    "--json also gives each mode's Pass@1-vs-tokens curve (metrics.tokenCurve) and the paper's figures (paperTable1).",
  ].join("\n"),
  async run(argv) {
    const { values } = parseCommandArgs(
      argv,
      {
        dataset: { type: "string" },
        problems: { type: "string" },
        llm: { type: "string" },
        model: { type: "string" },
        rollouts: { type: "string" },
        children: { type: "string" },
        seed: { type: "string" },
        json: { type: "boolean", default: false },
      },
      false,
    );
    for (const required of ["dataset", "llm", "model"] as const) {
      if (!values[required]) throw new CliUsageError(`--${required} is required`);
    }
    const problems = problemsFlag(values.problems); // before the database starts: a typo costs nothing
    const search = Object.fromEntries(
      (["rollouts", "children"] as const).filter((k) => values[k] !== undefined).map((k) => [k, Number(values[k])]),
    );
    try {
      const { prisma } = await prepareDatabase();
      const results: Partial<Record<(typeof TABLE1_MODES)[number], ExperimentMetrics>> = {};
      for (const mode of TABLE1_MODES) {
        const config = parseExperimentConfig(
          {
            dataset: values.dataset,
            problems,
            mode,
            llm: { baseUrl: values.llm, model: values.model },
            search,
            seed: values.seed === undefined ? undefined : Number(values.seed),
          },
          "command line",
        );
        const metrics = await createAndRun(prisma, config, values.json ? null : process.stderr);
        if (!metrics) return 1;
        if ("failed" in metrics) {
          console.error(`Experiment ${metrics.experimentId} (${mode}) failed: ${metrics.failed}`);
          return 1;
        }
        results[mode] = metrics;
      }
      console.log(values.json ? JSON.stringify({ ...results, paperTable1: PAPER_TABLE1 }, null, 2) : formatTable1(results.vanilla!, results.pseudocode!));
      return 0;
    } finally {
      await closeDatabase();
    }
  },
};

function pct(value: number | null) {
  return value === null ? "n/a" : (value * 100).toFixed(1);
}

function delta(a: number | null, b: number | null, scale = 100, digits = 1) {
  if (a === null || b === null) return "n/a";
  const d = (b - a) * scale;
  return `${d >= 0 ? "+" : ""}${d.toFixed(digits)}`;
}

export function formatTable1(vanilla: ExperimentMetrics, pseudo: ExperimentMetrics): string {
  const tokens = (m: ExperimentMetrics) => m.tokensPerProblem;
  const rows = [
    ["metric", "vanilla", "pseudocode", "Δ"],
    ["Pass@1 final answer (%)", pct(vanilla.pass1), pct(pseudo.pass1), delta(vanilla.pass1, pseudo.pass1)],
    ["Pass@1 first terminal (%)", pct(vanilla.pass1FirstTerminal), pct(pseudo.pass1FirstTerminal), delta(vanilla.pass1FirstTerminal, pseudo.pass1FirstTerminal)],
    ["ASPR (%)", pct(vanilla.aspr), pct(pseudo.aspr), delta(vanilla.aspr, pseudo.aspr)],
    ["tokens / problem", tokens(vanilla)?.toFixed(0) ?? "n/a", tokens(pseudo)?.toFixed(0) ?? "n/a", delta(tokens(vanilla), tokens(pseudo), 1, 0)],
    ["PRM tokens / problem", vanilla.prmTokensPerProblem?.toFixed(0) ?? "n/a", pseudo.prmTokensPerProblem?.toFixed(0) ?? "n/a", ""],
    ["problems", String(vanilla.problems), String(pseudo.problems), ""],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("   "));
  const paper = PAPER_TABLE1.rows.map(
    (r) => `  ${r.model.padEnd(17)} Pass@1 ${pct(r.vanilla.pass1)} → ${pct(r.pseudocode.pass1)}   ASPR ${pct(r.vanilla.aspr)} → ${pct(r.pseudocode.aspr)}`,
  );
  return [
    ...lines,
    "",
    `The paper's own figures (${PAPER_TABLE1.source}; vanilla → pseudocode, %; not ours):`,
    ...paper,
    "",
    METRIC_DEFINITIONS.pass1,
    METRIC_DEFINITIONS.pass1FirstTerminal,
    METRIC_DEFINITIONS.aspr,
    METRIC_DEFINITIONS.tokens,
    METRIC_DEFINITIONS.selection,
  ].join("\n");
}
