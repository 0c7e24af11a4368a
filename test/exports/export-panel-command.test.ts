// The export panel's CLI hint is the command that makes the file its link downloads: both are built from one list of
// options (exportOptionsOf), and here the hint's arguments go through the real `o1c export` (its parseArgs flag table,
// then the shared option schema) and must give the options the route reads from the link's query. No database: the
// command stops at its --out check, which follows the option checks.
import { describe, expect, it, vi } from "vitest";
import { exportCliArgs, exportHref, exportOptionsOf, shellCommand, type ExportChoices, type PanelFormat } from "../../components/experiments/export-panel.tsx";
import { ValidationError } from "../../server/errors.ts";
import { parseExportOptions, QUERY_NAMING, type ExportOptions } from "../../server/exports/export-options.ts";

// The options `o1c export` parsed, seen by wrapping the exports room's parseExportOptions (the command's only parser
// of option values).
const cliParsed = vi.hoisted(() => ({ options: [] as unknown[] }));
vi.mock("../../server/exports/index.ts", async (importOriginal) => {
  const room = await importOriginal<typeof import("../../server/exports/index.ts")>();
  return {
    ...room,
    parseExportOptions: (...args: Parameters<typeof room.parseExportOptions>) => {
      const options = room.parseExportOptions(...args);
      cliParsed.options.push(options);
      return options;
    },
  };
});
const { exportCommand } = await import("../../server/cli/commands/export.ts");

const EXPERIMENT = "cm1abcxyz0001";
const DEFAULTS: ExportChoices = { format: "sft", style: "standard", source: "both", margin: "0.2", labels: "hard" };
const hint = (choices: Partial<ExportChoices>) => shellCommand("o1c", exportCliArgs(EXPERIMENT, exportOptionsOf({ ...DEFAULTS, ...choices }), "out.jsonl"));

/** Every combination of the panel's controls. */
function everyChoice(): ExportChoices[] {
  const formats: PanelFormat[] = ["sft", "dpo", "dpo-paths", "prm", "prm-pairwise", "tcg-dpo", "tcg-sft"];
  return formats.flatMap((format) =>
    (["standard", "conversational"] as const).flatMap((style) =>
      (["both", "human", "search"] as const).flatMap((source) =>
        (["hard", "visit-weighted", "sampled"] as const).flatMap((labels) => ["0.2", "0"].map((margin) => ({ format, style, source, labels, margin }))),
      ),
    ),
  );
}

/** What the route makes of the link: its query, through the route's parser. */
function routeOptions(href: string): ExportOptions {
  const query = new URL(href, "http://localhost").searchParams;
  return parseExportOptions({ ...Object.fromEntries(query), experiment: EXPERIMENT }, QUERY_NAMING);
}

/** What `o1c export` makes of the hint's arguments; it must get as far as checking --out (a missing directory). */
async function cliOptions(args: string[]): Promise<ExportOptions> {
  cliParsed.options = [];
  const argv = args.slice(1).map((a, i, all) => (all[i - 1] === "--out" ? "/nonexistent-o1c-dir/out.jsonl" : a));
  const run = exportCommand.run(argv);
  await expect(run).rejects.toThrow(ValidationError);
  await expect(run).rejects.toThrow("the directory /nonexistent-o1c-dir does not exist");
  expect(cliParsed.options).toHaveLength(1);
  return cliParsed.options[0] as ExportOptions;
}

describe("the export panel's CLI hint", () => {
  it("names the flags each panel format needs", () => {
    expect(hint({ format: "dpo-paths" })).toBe(`o1c export --experiment ${EXPERIMENT} --format dpo --pairs path --style standard --out out.jsonl`);
    expect(hint({ format: "prm-pairwise", labels: "visit-weighted", style: "conversational" })).toBe(
      `o1c export --experiment ${EXPERIMENT} --format prm --pairwise --style conversational --labels visit-weighted --out out.jsonl`,
    );
    expect(hint({ format: "dpo", source: "search", margin: "0.35" })).toBe(`o1c export --experiment ${EXPERIMENT} --format dpo --style standard --source search --margin 0.35 --out out.jsonl`);
    expect(hint({ format: "dpo", source: "human" })).toBe(`o1c export --experiment ${EXPERIMENT} --format dpo --style standard --source human --out out.jsonl`);
    expect(hint({ format: "prm", labels: "sampled", style: "conversational" })).toBe(`o1c export --experiment ${EXPERIMENT} --format prm --labels sampled --out out.jsonl`);
    expect(hint({ format: "tcg-sft" })).toBe(`o1c export --experiment ${EXPERIMENT} --format tcg-sft --style standard --out out.jsonl`);
  });

  it("is built from the same options as the download link", () => {
    const options = exportOptionsOf({ ...DEFAULTS, format: "prm-pairwise", labels: "visit-weighted" });
    expect(exportHref(EXPERIMENT, options)).toBe(`/api/experiments/${EXPERIMENT}/export?format=prm&pairwise=true&style=standard&labels=visit-weighted`);
    expect(exportCliArgs(EXPERIMENT, options, "x.jsonl")).toEqual(["export", "--experiment", EXPERIMENT, "--format", "prm", "--pairwise", "--style", "standard", "--labels", "visit-weighted", "--out", "x.jsonl"]);
  });

  it("for every choice of the panel, `o1c export` accepts the hint and reads the export the link downloads", async () => {
    const choices = everyChoice();
    expect(choices.length).toBe(7 * 2 * 3 * 3 * 2);
    for (const choice of choices) {
      const options = exportOptionsOf(choice);
      const fromCli = await cliOptions(exportCliArgs(EXPERIMENT, options, "out.jsonl"));
      expect(fromCli, JSON.stringify(choice)).toEqual(routeOptions(exportHref(EXPERIMENT, options)));
    }
  });

  it("a margin typed with a minus sign reaches the CLI's margin check, not its argument parser", async () => {
    const args = exportCliArgs(EXPERIMENT, exportOptionsOf({ ...DEFAULTS, format: "dpo", margin: "-1" }), "out.jsonl");
    expect(args).toContain("--margin=-1");
    await expect(exportCommand.run(args.slice(1))).rejects.toThrow("must be ≥ 0");
  });

  it("quotes what a shell would split or expand", () => {
    expect(shellCommand("o1c", ["export", "--experiment", "it's mine", "--margin", "", "--out", "a b.jsonl"])).toBe(`o1c export --experiment 'it'\\''s mine' --margin '' --out 'a b.jsonl'`);
    expect(shellCommand("o1c", ["export", "--out", "$HOME/x.jsonl"])).toBe("o1c export --out '$HOME/x.jsonl'");
  });
});
