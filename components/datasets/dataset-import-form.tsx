"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { DATASET_FORMAT_LABELS, GENERIC_JSONL_EXAMPLE } from "./format-labels";
import { useTRPC } from "../trpc";

interface ImportResult {
  name: string;
  problems: { inFile: number; added: number; updated: number; unchanged: number };
  tests: { visible: number; hidden: number };
}

async function uploadDataset(form: FormData): Promise<ImportResult> {
  const response = await fetch("/api/datasets/import", { method: "POST", body: form });
  const body = (await response.json().catch(() => ({ error: `HTTP ${response.status}` }))) as ImportResult & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
  return body;
}

export function DatasetImportForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [format, setFormat] = useState("mbpp");
  const upload = useMutation({
    mutationFn: uploadDataset,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.datasets.list.queryKey() }),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    upload.mutate(new FormData(event.currentTarget));
  }

  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-3" data-testid="import-form">
      <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
        File (.jsonl, .json, .jsonl.gz)
        <input name="file" type="file" required accept=".jsonl,.json,.gz" className="text-sm" data-testid="import-file" />
      </label>
      <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
        Format
        <select name="format" value={format} onChange={(e) => setFormat(e.target.value)} className="rounded border border-slate-300 bg-white px-2 py-1 text-sm" data-testid="import-format">
          {Object.entries(DATASET_FORMAT_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
        Name (optional)
        <input name="name" placeholder="from file name" className="rounded border border-slate-300 px-2 py-1 text-sm" data-testid="import-name" />
      </label>
      <button type="submit" disabled={upload.isPending} className="rounded bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-50" data-testid="import-submit">
        {upload.isPending ? "Importing…" : "Import"}
      </button>
      {format === "jsonl" ? <GenericJsonlHelp /> : null}
      <div className="basis-full text-sm" aria-live="polite">
        {upload.isError ? (
          <p className="rounded border border-rose-200 bg-rose-50 px-3 py-2 text-rose-800" data-testid="import-error">
            Import failed, nothing was written: {upload.error.message}
          </p>
        ) : null}
        {upload.isSuccess ? (
          <p className="rounded border border-emerald-200 bg-emerald-50 px-3 py-2 text-emerald-800" data-testid="import-result">
            {upload.data.name}: {upload.data.problems.inFile} problems in file — {upload.data.problems.added} added, {upload.data.problems.updated} updated,{" "}
            {upload.data.problems.unchanged} unchanged; {upload.data.tests.visible} search-visible and {upload.data.tests.hidden} hidden tests.
          </p>
        ) : null}
      </div>
    </form>
  );
}

function GenericJsonlHelp() {
  return (
    <div className="min-w-0 basis-full text-xs text-slate-600" data-testid="jsonl-format-help">
      <p>
        One problem per line. Required: <code>id</code> (unique), <code>statement</code>, <code>tests</code> (non-empty). Optional:{" "}
        <code>title</code>, <code>entry_point</code>, <code>signature</code>, <code>reference_solution</code> (needed to validate generated tests),{" "}
        <code>setup_code</code>. A test is <code>&quot;assert …&quot;</code>, <code>{"{"}&quot;assert&quot;: …{"}"}</code> or{" "}
        <code>{"{"}&quot;input&quot;: …, &quot;output&quot;: …{"}"}</code> (stdin/stdout); it is search-visible unless it has{" "}
        <code>&quot;hidden&quot;: true</code>. Unknown fields are errors, so a typo cannot change what is hidden.
      </p>
      <pre className="mt-1 whitespace-pre-wrap break-all rounded bg-slate-100 p-2">{GENERIC_JSONL_EXAMPLE}</pre>
    </div>
  );
}
