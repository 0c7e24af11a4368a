import path from "node:path";
import { stat } from "node:fs/promises";
import { prepareDatabase } from "../../bootstrap.ts";
import { closeDatabase } from "../../db/index.ts";
import { ValidationError } from "../../errors.ts";
import { DEFAULT_MARGIN, parseExportOptions, prepareExport, prepareNonEmptyExport, writeJsonlFile } from "../../exports/index.ts";
import { CliUsageError, parseCommandArgs, type Command } from "../command.ts";

const EXPORT_OPTIONS = {
  experiment: { type: "string" },
  lineage: { type: "string" },
  format: { type: "string" },
  out: { type: "string" },
  style: { type: "string" },
  source: { type: "string" },
  combine: { type: "string" },
  pairs: { type: "string" },
  margin: { type: "string" },
  labels: { type: "string" },
  pairwise: { type: "boolean" },
  success: { type: "string" },
  "phi-t": { type: "string" },
  "phi-schedule": { type: "string" },
  "phi-alpha": { type: "string" },
  "phi-alpha-min": { type: "string" },
  "phi-k": { type: "string" },
  "phi-gamma": { type: "string" },
  "tcg-run": { type: "string" },
  tests: { type: "string" },
  json: { type: "boolean", default: false },
  "allow-empty": { type: "boolean", default: false },
} as const;

export const exportCommand: Command = {
  name: "export",
  usage: "export --experiment ID|--lineage NAME --format sft|dpo|prm|tcg-dpo|tcg-sft --out FILE.jsonl [options]",
  summary: "write TRL-format training data (JSONL) from an experiment's trees and judgements",
  help: [
    "Usage: o1c export --experiment ID --format sft|dpo|prm|tcg-dpo|tcg-sft --out FILE.jsonl [options] [--json]",
    "",
    "One JSON record per line in TRL's dataset formats; every record carries a `provenance` object (experiment,",
    "problem, tree and node ids, model, mode, lineage iteration) that TRL's trainers ignore.",
    "",
    "  --style standard|conversational   plain strings, or {role, content} messages (default standard)",
    "",
    "  sft   prompt/completion: every path whose final code passes, all steps included (finished trees only)",
    "        --success visible|hidden   'passes' = all search-visible tests (reward 1, default) or all hidden tests.",
    "                  The default is visible because hidden tests are for evaluation: training on what they",
    "                  select leaks them into the model and inflates later Pass@1.",
    "  dpo   prompt/chosen/rejected: sibling steps, with the request prompt that produced them",
    "        --source human|search|both     human judgements, value pairs from the search, or both (default; a pair",
    "                                       a human judged is taken from the human, whatever the verdict)",
    "        --combine each|majority        several annotators: one record per PREFER judgement (default), or one per",
    "                                       pair whose PREFER direction has more than half of that pair's judgements",
    `        --margin G                     search pairs: minimum value gap |Q/N − Q'/N'| (default ${DEFAULT_MARGIN})`,
    "        Ties and both-bad verdicts give no record; two siblings with the same text are never a pair.",
    "        --pairs step|path              step (default): sibling steps; path: each passing complete path against",
    "                                       each failing one, from the root prompt (the reference's process_dpo_data;",
    "                                       search only). TRL's DPOTrainer appends EOS to chosen and rejected, so step",
    "                                       pairs teach 'this step, then stop'; path pairs end where replies end.",
    "  prm   prompt/completions/labels (TRL stepwise supervision), finished trees only: each distinct step is",
    "        labelled once from the rollouts below it; the part of a path an earlier record labelled is in the prompt",
    "        --labels hard|visit-weighted|sampled   hard (default): some completion below passes, as booleans, what TRL's",
    "                             PRMTrainer reads. visit-weighted: the visit-weighted share that passes (≈ normalised",
    "                             Q/N, not Math-Shepherd's independent samples), as floats, for trainers that take",
    "                             float labels (a BCE-on-probabilities script); TRL's PRMTrainer casts each label with",
    "                             int(), so every float below 1 becomes 0. sampled: Math-Shepherd's share of k",
    "                             independent completions per step (floats, same caveat), from an experiment run with",
    "                             prm: { mode: rollout, labels: sampled, samplesPerStep: k }",
    "        --success visible|hidden   what counts as passing (default visible)",
    "        --pairwise           sibling steps as preference pairs (prompt/chosen/rejected) by their labels instead;",
    "                             --margin G then is the minimum visit-weighted label gap (default 0: any difference)",
    "  tcg-dpo  test-generator preference pairs from a TCG run: --tcg-run ID",
    "  tcg-sft  prompt/completion for the test generator: each problem's TCG prompt (the paper's Fig. 3 template)",
    "           and its dataset ground-truth tests written as the ```case blocks it asks for",
    "        --tests visible|all   visible (default): search-visible dataset tests; all adds the hidden ones, which",
    "                              are then no longer held out: only for training problems",
    "",
    "  sft and prm records also carry ϕ, the paper's combined path reward α(t)·R + (1−α(t))·(1/m)·Σ γ^j·r^j:",
    "  --phi-t T (default: the config's prm.combinedReward.t, else the lineage iteration, else 0; provenance phiTSource",
    "  says which), --phi-schedule constant|linear|logarithmic",
    "  (default linear: max(--phi-alpha-min 0.1, 1 − --phi-k 0.01 · t)), --phi-alpha A (constant), --phi-gamma 0.9.",
    "",
    "  --lineage NAME   instead of --experiment: every iteration of the self-play lineage merged (D ∪ D′), in",
    "                   iteration order; each record's provenance names its iteration and experiment, and a record",
    "                   an earlier iteration already gave (same content) is written once. Not for tcg-dpo.",
    "",
    "  --json          print {format, records, path} as JSON",
    "  --allow-empty   write an export with no record as an empty file (exit 0) instead of refusing it; for",
    "                  scheduled exports that may run before there is anything to export (tcg-dpo still refuses)",
    "",
    "An export that would hold no record (e.g. SFT when no path passes yet) is refused with the reason, as the",
    "download is. The file is written under a temporary name and renamed at the end: an unknown experiment, a bad",
    "option, no records (without --allow-empty) or a failure part-way leaves no file behind.",
  ].join("\n"),
  async run(argv) {
    const { values } = parseCommandArgs(argv, EXPORT_OPTIONS, false);
    const { out, json, "allow-empty": allowEmpty, ...params } = values;
    if (!out) throw new CliUsageError("--out FILE.jsonl is required");
    if (!params.format) throw new CliUsageError("--format is required (sft, dpo, prm, tcg-dpo or tcg-sft)");
    const options = parseExportOptions(params);
    await assertWritableDirectory(out);
    try {
      const { prisma } = await prepareDatabase();
      // As the download route: an export that would hold no record is refused with the reason (exit 1) before the
      // file is opened, so a training script never starts on an empty file that looks like a finished export.
      const prepared = await (allowEmpty ? prepareExport : prepareNonEmptyExport)(prisma, options);
      const records = await writeJsonlFile(prepared.records(), out);
      const label = `${options.format.toUpperCase()}${options.format === "prm" && options.pairwise ? " pairwise" : ""}`;
      console.log(json ? JSON.stringify({ format: options.format, records, path: path.resolve(out), experimentId: options.experimentId, lineage: options.lineage }) : `Wrote ${records} ${label} records to ${out}`);
      return 0;
    } finally {
      await closeDatabase();
    }
  },
};

async function assertWritableDirectory(file: string) {
  const dir = path.dirname(path.resolve(file));
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new ValidationError(`the directory ${dir} does not exist`, "--out");
}
