"use client";
// Download buttons for the experiment's training data: the same exports as `o1c export`, streamed by
// app/api/experiments/[id]/export as JSONL files in TRL's formats.
import { useState } from "react";
import { DownloadRefusal, useCheckedDownload } from "../ui/checked-download";
import { InfoMark } from "../ui/info-mark";
import { LABEL_DEFINITIONS, shellQuote } from "@/server/contracts";

/** The panel's formats: the CLI's, with DPO path pairs and PRM pairs as formats of their own. */
export type PanelFormat = "sft" | "dpo" | "dpo-paths" | "prm" | "prm-pairwise" | "tcg-dpo" | "tcg-sft";
type Style = "standard" | "conversational";
type Source = "both" | "human" | "search";
type Labels = "hard" | "visit-weighted" | "sampled";

/** What the panel's controls are set to (margin as typed). */
export interface ExportChoices {
  format: PanelFormat;
  style: Style;
  source: Source;
  margin: string;
  labels: Labels;
}

/** One option of `o1c export`, named as the flag is without its dashes; `true` is a flag that takes no value. */
export type ExportOption = readonly [name: string, value: string | true];

/**
 * The export the panel's choices ask for, as `o1c export` options. The download route reads the same names from its
 * query (server/exports/export-options.ts), so the link and the CLI hint are both built from this one list and say
 * the same export. Only the options the format takes: the route refuses one that does not apply.
 */
export function exportOptionsOf(choices: ExportChoices): ExportOption[] {
  const { format } = choices;
  const options: ExportOption[] = [["format", format === "prm-pairwise" ? "prm" : format === "dpo-paths" ? "dpo" : format]];
  if (format === "dpo-paths") options.push(["pairs", "path"]);
  if (format === "prm-pairwise") options.push(["pairwise", true]);
  // PRM stepwise records have the standard style only.
  if (format !== "prm") options.push(["style", choices.style]);
  if (format === "dpo") {
    options.push(["source", choices.source]);
    if (choices.source !== "human") options.push(["margin", choices.margin]);
  }
  if (format === "prm" || format === "prm-pairwise") options.push(["labels", choices.labels]);
  return options;
}

/** The download route's URL for these options. */
export function exportHref(experimentId: string, options: readonly ExportOption[]): string {
  const query = new URLSearchParams(options.map(([name, value]) => [name, value === true ? "true" : value]));
  return `/api/experiments/${encodeURIComponent(experimentId)}/export?${query.toString()}`;
}

/** The arguments of the same export by `o1c export`, written to `out`. */
export function exportCliArgs(experimentId: string, options: readonly ExportOption[], out: string): string[] {
  return ["export", "--experiment", experimentId, ...options.flatMap(cliFlag), "--out", out];
}

// A value that starts with a dash goes after "=": node's parseArgs refuses `--margin -1` as ambiguous.
function cliFlag([name, value]: ExportOption): string[] {
  if (value === true) return [`--${name}`];
  return value.startsWith("-") ? [`--${name}=${value}`] : [`--${name}`, value];
}

/** The command line a user can paste into a POSIX shell: words that need it in single quotes. */
export function shellCommand(program: string, args: readonly string[]): string {
  return [program, ...args].map(shellWord).join(" ");
}

function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : shellQuote(word);
}

const FORMATS: { value: PanelFormat; label: string; explanation: string }[] = [
  { value: "sft", label: "SFT", explanation: "Prompt/completion: every path whose final code passes all search-visible tests, all steps included." },
  {
    value: "dpo",
    label: "DPO",
    explanation:
      "Prompt/chosen/rejected sibling steps: human judgements (ties and both-bad left out) and/or pairs whose values Q/N differ by at least the margin; siblings with the same text are never a pair. TRL's DPOTrainer appends EOS to chosen and rejected, so step pairs teach 'this step, then stop'.",
  },
  {
    value: "dpo-paths",
    label: "DPO paths",
    explanation: "Prompt/chosen/rejected whole paths: each distinct complete path that passes all search-visible tests against each distinct one that fails, from the problem's prompt (the reference's process_dpo_data).",
  },
  { value: "prm", label: "PRM", explanation: "Stepwise supervision (prompt, completions, labels): each distinct step labelled once, from the rollouts below it; a prefix an earlier record labelled is in the prompt." },
  { value: "prm-pairwise", label: "PRM pairs", explanation: "Sibling steps as preference pairs, the one with the better rollout label chosen." },
  { value: "tcg-dpo", label: "TCG-DPO", explanation: "Test-generator pairs from the latest completed TCG run on this dataset: valid cases vs the same inputs with outputs shuffled." },
  {
    value: "tcg-sft",
    label: "TCG-SFT",
    explanation: "Test-generator prompt/completion: each problem's TCG prompt (the paper's Fig. 3 template) and its search-visible dataset tests as the cases to write (o1c export --tests all adds hidden tests, for training problems only).",
  },
];

export function ExportPanel({ experimentId }: { experimentId: string }) {
  const [format, setFormat] = useState<PanelFormat>("sft");
  const [style, setStyle] = useState<Style>("standard");
  const [source, setSource] = useState<Source>("both");
  const [margin, setMargin] = useState("0.2");
  const [labels, setLabels] = useState<Labels>("hard");
  const current = FORMATS.find((f) => f.value === format)!;
  const stepwise = format === "prm";

  const options = exportOptionsOf({ format, style, source, margin, labels });
  const href = exportHref(experimentId, options);
  // `o1c` is the package's bin: from the app's folder it runs as `npx o1c`, as in the README.
  const command = `npx ${shellCommand("o1c", exportCliArgs(experimentId, options, `${format}.jsonl`))}`;
  const download = useCheckedDownload(href);

  return (
    <div className="flex flex-col gap-3 text-sm" data-testid="export-panel">
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1">
          <span className="text-xs text-slate-500">Format</span>
          <select value={format} onChange={(e) => setFormat(e.target.value as PanelFormat)} className="rounded border border-slate-300 px-2 py-1" data-testid="export-format">
            {FORMATS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1" title="Standard: plain strings. Conversational: lists of {role, content} messages (TRL applies the chat template). PRM stepwise records are standard only.">
          <span className="text-xs text-slate-500">
            Style<InfoMark />
          </span>
          <select value={stepwise ? "standard" : style} disabled={stepwise} onChange={(e) => setStyle(e.target.value as Style)} className="rounded border border-slate-300 px-2 py-1 disabled:opacity-50" data-testid="export-style">
            <option value="standard">standard</option>
            <option value="conversational">conversational</option>
          </select>
        </label>
        {format === "dpo" ? (
          <>
            <label className="flex flex-col gap-1" title="Human: your judgements, one record per 'prefer' judgement. Search: sibling pairs by value Q/N. Both: human records plus the search pairs nobody judged.">
              <span className="text-xs text-slate-500">
                Source<InfoMark />
              </span>
              <select value={source} onChange={(e) => setSource(e.target.value as Source)} className="rounded border border-slate-300 px-2 py-1" data-testid="export-source">
                <option value="both">human + search</option>
                <option value="human">human judgements</option>
                <option value="search">search values</option>
              </select>
            </label>
            {source !== "human" ? (
              <label className="flex flex-col gap-1" title="Search pairs: the minimum difference of the two steps' values Q/N (0 to 1).">
                <span className="text-xs text-slate-500">
                  Value margin<InfoMark />
                </span>
                <input type="number" min={0} max={1} step={0.05} value={margin} onChange={(e) => setMargin(e.target.value)} className="w-20 rounded border border-slate-300 px-2 py-1" data-testid="export-margin" />
              </label>
            ) : null}
          </>
        ) : null}
        {format === "prm" || format === "prm-pairwise" ? (
          <label className="flex flex-col gap-1" title={`${LABEL_DEFINITIONS.hard} ${LABEL_DEFINITIONS.visitWeighted} ${LABEL_DEFINITIONS.sampled}`}>
            <span className="text-xs text-slate-500">
              Labels<InfoMark />
            </span>
            <select value={labels} onChange={(e) => setLabels(e.target.value as Labels)} className="rounded border border-slate-300 px-2 py-1" data-testid="export-labels">
              <option value="hard">hard</option>
              <option value="visit-weighted">visit-weighted (floats; not for TRL's PRMTrainer)</option>
              <option value="sampled">sampled, Math-Shepherd (floats; runs with prm.labels sampled)</option>
            </select>
          </label>
        ) : null}
        <a href={href} download onClick={download.onClick} aria-busy={download.checking} className="rounded border border-indigo-300 bg-white px-3 py-1 text-indigo-700 hover:bg-indigo-50" data-testid="export-download">
          Download {current.label} JSONL{download.checking ? "…" : null}
        </a>
      </div>
      <DownloadRefusal refusal={download.refusal} testId="export-download-error" />
      <p className="text-xs text-slate-500">
        {current.explanation} Every record carries its provenance (experiment, problem, node ids, model, iteration). Same as{" "}
        <code className="break-all" data-testid="export-cli">
          {command}
        </code>
        .
      </p>
    </div>
  );
}
