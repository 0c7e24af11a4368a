"use client";
// Download buttons for the experiment's training data: the same exports as `o1c export`, streamed by
// app/api/experiments/[id]/export as JSONL files in TRL's formats.
import { useState } from "react";
import { DownloadRefusal, useCheckedDownload } from "../ui/checked-download";
import { InfoMark } from "../ui/info-mark";
import { LABEL_DEFINITIONS } from "@/server/contracts";

type Format = "sft" | "dpo" | "dpo-paths" | "prm" | "prm-pairwise" | "tcg-dpo" | "tcg-sft";

const FORMATS: { value: Format; label: string; explanation: string }[] = [
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
  const [format, setFormat] = useState<Format>("sft");
  const [style, setStyle] = useState<"standard" | "conversational">("standard");
  const [source, setSource] = useState<"both" | "human" | "search">("both");
  const [margin, setMargin] = useState("0.2");
  const [labels, setLabels] = useState<"hard" | "visit-weighted" | "sampled">("hard");
  const current = FORMATS.find((f) => f.value === format)!;
  const stepwise = format === "prm";

  const params = new URLSearchParams({ format: format === "prm-pairwise" ? "prm" : format === "dpo-paths" ? "dpo" : format });
  if (format === "dpo-paths") params.set("pairs", "path");
  if (!stepwise) params.set("style", style);
  if (format === "prm-pairwise") params.set("pairwise", "true");
  if (format === "dpo") {
    params.set("source", source);
    if (source !== "human") params.set("margin", margin);
  }
  if (format === "prm" || format === "prm-pairwise") params.set("labels", labels);
  const href = `/api/experiments/${encodeURIComponent(experimentId)}/export?${params.toString()}`;
  const download = useCheckedDownload(href);

  return (
    <div className="flex flex-col gap-3 text-sm" data-testid="export-panel">
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1">
          <span className="text-xs text-slate-500">Format</span>
          <select value={format} onChange={(e) => setFormat(e.target.value as Format)} className="rounded border border-slate-300 px-2 py-1" data-testid="export-format">
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
          <select value={stepwise ? "standard" : style} disabled={stepwise} onChange={(e) => setStyle(e.target.value as "standard" | "conversational")} className="rounded border border-slate-300 px-2 py-1 disabled:opacity-50" data-testid="export-style">
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
              <select value={source} onChange={(e) => setSource(e.target.value as "both" | "human" | "search")} className="rounded border border-slate-300 px-2 py-1" data-testid="export-source">
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
            <select value={labels} onChange={(e) => setLabels(e.target.value as "hard" | "visit-weighted" | "sampled")} className="rounded border border-slate-300 px-2 py-1" data-testid="export-labels">
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
        <code>o1c export --format {params.get("format")}</code>.
      </p>
    </div>
  );
}
