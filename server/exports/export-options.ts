// The options of an export: one zod schema for `o1c export` flags and the download route's query parameters, so both
// accept the same names (kebab-case: `--phi-t` on the command line, `phi-t=` in the URL) and reject the same mistakes,
// naming the parameter. An option that does not apply to the chosen format is an error rather than silently ignored:
// `--labels soft` on an SFT export would otherwise look like it did something.
import { z } from "zod";
import { ValidationError } from "../errors.ts";
import type { AlphaSchedule } from "../prm/index.ts";

export const EXPORT_FORMATS = ["sft", "dpo", "prm", "tcg-dpo", "tcg-sft"] as const;
/** TCG-SFT: which ground-truth tests become the cases (all adds the hidden ones: only for training problems). */
export const TCG_SFT_TESTS = ["visible", "all"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** TRL's two dataset formats: plain strings, or lists of {role, content} messages. */
export const EXPORT_STYLES = ["standard", "conversational"] as const;
export type ExportStyle = (typeof EXPORT_STYLES)[number];

export const DPO_SOURCES = ["human", "search", "both"] as const;
export const HUMAN_COMBINES = ["each", "majority"] as const;
/** DPO: sibling steps (the search's own choices) or whole complete paths, passing vs failing (the reference's process_dpo_data). */
export const DPO_PAIR_KINDS = ["step", "path"] as const;
/**
 * hard: booleans (what TRL's PRMTrainer reads). visit-weighted and sampled (Math-Shepherd, from an experiment run with
 * prm.labels: sampled): floats, see LABEL_DEFINITIONS in the contracts.
 */
export const LABEL_KINDS = ["hard", "visit-weighted", "sampled"] as const;
export type LabelKind = (typeof LABEL_KINDS)[number];
export const SUCCESS_KINDS = ["visible", "hidden"] as const;
export const PHI_SCHEDULES = ["constant", "linear", "logarithmic"] as const;

const booleanParam = z.union([z.boolean(), z.enum(["true", "false", "1", "0", ""]).transform((v) => v === "true" || v === "1" || v === "")]);
const numberParam = z.union([z.number(), z.string().trim().min(1, "expected a number").transform(Number)]).pipe(z.number({ error: "expected a number" }));

export const exportOptionsSchema = z
  .object({
    experiment: z.string().trim().min(1).optional(),
    /** Every iteration of a self-play lineage, merged (D ∪ D′); instead of one experiment. */
    lineage: z.string().trim().min(1).optional(),
    format: z.enum(EXPORT_FORMATS, { error: `must be one of ${EXPORT_FORMATS.join(", ")}` }),
    style: z.enum(EXPORT_STYLES, { error: `must be one of ${EXPORT_STYLES.join(", ")}` }).optional(),
    /** DPO: human judgements, sibling pairs by search value, or both (a human judgement of a pair overrides its search pair). */
    source: z.enum(DPO_SOURCES, { error: `must be one of ${DPO_SOURCES.join(", ")}` }).optional(),
    pairs: z.enum(DPO_PAIR_KINDS, { error: `must be one of ${DPO_PAIR_KINDS.join(", ")}` }).optional(),
    /** DPO from humans: one record per PREFER judgement, or one per pair whose PREFER direction has a strict majority. */
    combine: z.enum(HUMAN_COMBINES, { error: `must be one of ${HUMAN_COMBINES.join(", ")}` }).optional(),
    /** DPO search pairs: minimum value gap |Q/N − Q'/N'|; PRM pairs with soft labels: minimum label gap. */
    margin: numberParam.pipe(z.number().min(0, "must be ≥ 0").max(1, "must be ≤ 1")).optional(),
    labels: z
      .enum(LABEL_KINDS, {
        error: (issue) =>
          issue.input === "soft"
            ? "'soft' is now 'visit-weighted': the tree's labels weight each completion by its visits, they are not Math-Shepherd's independent completions"
            : `must be one of ${LABEL_KINDS.join(", ")}`,
      })
      .optional(),
    pairwise: booleanParam.optional(),
    success: z.enum(SUCCESS_KINDS, { error: `must be one of ${SUCCESS_KINDS.join(", ")}` }).optional(),
    "phi-t": numberParam.pipe(z.number().min(0, "must be ≥ 0")).optional(),
    "phi-schedule": z.enum(PHI_SCHEDULES, { error: `must be one of ${PHI_SCHEDULES.join(", ")}` }).optional(),
    "phi-alpha": numberParam.pipe(z.number().min(0, "must be in [0, 1]").max(1, "must be in [0, 1]")).optional(),
    "phi-alpha-min": numberParam.pipe(z.number().min(0, "must be in [0, 1]").max(1, "must be in [0, 1]")).optional(),
    "phi-k": numberParam.pipe(z.number().min(0, "must be ≥ 0")).optional(),
    "phi-gamma": numberParam.pipe(z.number().min(0, "must be in [0, 1]").max(1, "must be in [0, 1]")).optional(),
    "tcg-run": z.string().trim().min(1).optional(),
    tests: z.enum(TCG_SFT_TESTS, { error: `must be one of ${TCG_SFT_TESTS.join(", ")}` }).optional(),
  })
  .strict();

export type ExportParams = z.input<typeof exportOptionsSchema>;

/** Which formats each option means something for (`experiment` and `format` apply to all). */
const APPLIES_TO: Partial<Record<keyof ExportParams, readonly ExportFormat[]>> = {
  style: ["sft", "dpo", "prm", "tcg-dpo", "tcg-sft"],
  tests: ["tcg-sft"],
  source: ["dpo"],
  combine: ["dpo"],
  pairs: ["dpo"],
  margin: ["dpo", "prm"],
  labels: ["prm"],
  pairwise: ["prm"],
  success: ["sft", "prm"],
  "phi-t": ["sft", "prm"],
  "phi-schedule": ["sft", "prm"],
  "phi-alpha": ["sft", "prm"],
  "phi-alpha-min": ["sft", "prm"],
  "phi-k": ["sft", "prm"],
  "phi-gamma": ["sft", "prm"],
  "tcg-run": ["tcg-dpo"],
};

/** ϕ settings given as options; null parts come from the experiment (path-phi.ts). */
export interface PhiOptions {
  /** t of α(t); null: the experiment's self-play iteration, else its configured t. */
  t: number | null;
  schedule: AlphaSchedule | null;
  gamma: number | null;
}

export interface ExportOptions {
  /** Absent for a TCG-DPO export of one TCG run, and for a lineage export. */
  experimentId: string | null;
  /** A lineage's name: every iteration's experiment, merged. */
  lineage: string | null;
  format: ExportFormat;
  style: ExportStyle;
  source: (typeof DPO_SOURCES)[number];
  pairs: (typeof DPO_PAIR_KINDS)[number];
  combine: (typeof HUMAN_COMBINES)[number];
  margin: number;
  labels: LabelKind;
  pairwise: boolean;
  success: (typeof SUCCESS_KINDS)[number];
  phi: PhiOptions;
  tcgRunId: string | null;
  tests: (typeof TCG_SFT_TESTS)[number];
}

export const DEFAULT_MARGIN = 0.2;

/** How a parameter is named to the person who gave it: `--phi-t` on the command line, `phi-t` in a URL. */
export type ParameterNaming = (key: string) => string;
export const CLI_NAMING: ParameterNaming = (key) => `--${key}`;
export const QUERY_NAMING: ParameterNaming = (key) => `query parameter ${key}`;

export function parseExportOptions(input: Record<string, unknown>, name: ParameterNaming = CLI_NAMING): ExportOptions {
  const given = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  const result = exportOptionsSchema.safeParse(given);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    if (issue.code === "unrecognized_keys") throw new ValidationError(`unknown option${issue.keys.length > 1 ? "s" : ""}`, issue.keys.map(name).join(", "));
    const key = String(issue.path[0] ?? "format");
    throw new ValidationError(issue.message, name(key), { cause: result.error });
  }
  const p = result.data;
  for (const [key, formats] of Object.entries(APPLIES_TO)) {
    if (p[key as keyof typeof p] !== undefined && !formats.includes(p.format)) {
      throw new ValidationError(`applies to ${formats.join(", ")} exports, not ${p.format}`, name(key));
    }
  }
  if (p.lineage !== undefined) {
    if (p.experiment !== undefined) throw new ValidationError("give an experiment or a lineage, not both", name("lineage"));
    if (p.format === "tcg-dpo") throw new ValidationError("a TCG-DPO export is of a TCG run (--tcg-run), not of a lineage", name("lineage"));
  } else if (!p.experiment && !(p.format === "tcg-dpo" && p["tcg-run"])) {
    throw new ValidationError(p.format === "tcg-dpo" ? "give an experiment or a TCG run (tcg-run)" : "is required", name("experiment"));
  }
  const pairwise = p.pairwise ?? false;
  const style = p.style ?? "standard";
  if (p.format === "prm" && !pairwise && style === "conversational") {
    throw new ValidationError("TRL's stepwise-supervision type has only the standard format; use --pairwise for conversational preference pairs", name("style"));
  }
  if (p.format === "prm" && !pairwise && p.margin !== undefined) throw new ValidationError("applies to PRM exports only with pairwise", name("margin"));
  const pairs = p.pairs ?? "step";
  if (pairs === "path") {
    // Whole paths are judged by their tests; humans judge sibling steps, and a margin compares step values.
    if (p.source === "human") throw new ValidationError("path pairs come from the search's test outcomes only; use --source search (or leave it out)", name("source"));
    if (p.combine !== undefined) throw new ValidationError("applies to human step pairs, not path pairs", name("combine"));
    if (p.margin !== undefined) throw new ValidationError("applies to step pairs, not path pairs (a path pair is passing vs failing)", name("margin"));
  }
  return {
    experimentId: p.experiment ?? null,
    lineage: p.lineage ?? null,
    format: p.format,
    style,
    source: p.source ?? (pairs === "path" ? "search" : "both"),
    pairs,
    combine: p.combine ?? "each",
    margin: p.margin ?? (p.format === "prm" ? 0 : DEFAULT_MARGIN),
    labels: p.labels ?? "hard",
    pairwise,
    success: p.success ?? "visible",
    phi: { t: p["phi-t"] ?? null, schedule: phiSchedule(p, name), gamma: p["phi-gamma"] ?? null },
    tcgRunId: p["tcg-run"] ?? null,
    tests: p.tests ?? "visible",
  };
}

/** A schedule from the flags, the reference's values filling what is not given; null when no schedule flag is given. */
function phiSchedule(p: z.output<typeof exportOptionsSchema>, name: ParameterNaming): AlphaSchedule | null {
  if ([p["phi-schedule"], p["phi-alpha"], p["phi-alpha-min"], p["phi-k"]].every((v) => v === undefined)) return null;
  const kind = p["phi-schedule"] ?? (p["phi-alpha"] !== undefined ? "constant" : "linear");
  if (kind === "constant") {
    if (p["phi-alpha-min"] !== undefined || p["phi-k"] !== undefined) throw new ValidationError("a constant schedule takes only phi-alpha", name(p["phi-k"] !== undefined ? "phi-k" : "phi-alpha-min"));
    if (p["phi-alpha"] === undefined) throw new ValidationError("a constant schedule needs phi-alpha", name("phi-alpha"));
    return { kind, alpha: p["phi-alpha"] };
  }
  if (p["phi-alpha"] !== undefined) throw new ValidationError(`a ${kind} schedule takes phi-alpha-min and phi-k, not phi-alpha`, name("phi-alpha"));
  return { kind, alphaMin: p["phi-alpha-min"] ?? 0.1, k: p["phi-k"] ?? 0.01 };
}

/**
 * What a format's file is called: "<experiment name>-<format>.jsonl", safe for any file system. DPO from human
 * judgements only or search values only says so ("-dpo-human", "-dpo-search"), so the two downloads never overwrite
 * each other; whole-path DPO pairs are "-dpo-paths".
 */
export function exportFileName(
  experimentName: string,
  options: Pick<ExportOptions, "format" | "pairwise"> & Partial<Pick<ExportOptions, "pairs">> & { source?: ExportOptions["source"] },
): string {
  const base = experimentName.normalize("NFKD").replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "experiment";
  const variant =
    options.format === "prm" && options.pairwise
      ? "-pairwise"
      : options.format === "dpo"
        ? `${options.pairs === "path" ? "-paths" : ""}${options.source && options.source !== "both" ? `-${options.source}` : ""}`
        : "";
  return `${base}-${options.format}${variant}.jsonl`;
}
