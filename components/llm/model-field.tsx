"use client";

// The LLM endpoint's "Model" field with "Test connection" (GET /v1/models through the experiments router) and the
// connection result, shared by the launch forms (new experiment, Generate tests). `testIdPrefix` keeps each form's
// test ids ("" → test-connection, "tcg-" → tcg-test-connection).
import type { ReactNode } from "react";
import { FormField, INPUT_CLASS } from "../ui/form-field";

export interface ServedModels {
  isPending: boolean;
  isError: boolean;
  error: { message: string } | null;
  data?: { id: string }[];
}

export function ModelField(props: {
  value: string;
  onChange: (value: string) => void;
  error?: string;
  models: ServedModels;
  onTest: () => void;
  testIdPrefix: string;
}) {
  const p = props.testIdPrefix;
  return (
    <FormField label="Model" hint="As the server names it" error={props.error}>
      {(control) => (
        <div className="flex gap-2">
          <input value={props.value} onChange={(e) => props.onChange(e.target.value)} className={INPUT_CLASS} list={`${p}served-models`} data-testid={`${p}field-model`} {...control} />
          <datalist id={`${p}served-models`}>
            {props.models.data?.map((m) => <option key={m.id} value={m.id} />)}
          </datalist>
          <button
            type="button"
            onClick={props.onTest}
            className="whitespace-nowrap rounded border border-slate-300 bg-white px-2 text-xs hover:bg-slate-50"
            title="List the models the endpoint serves"
            data-testid={`${p}test-connection`}
          >
            Test connection
          </button>
        </div>
      )}
    </FormField>
  );
}

/** "Connecting…", the error, or the models the endpoint serves; `children` adds form-specific lines below. */
export function ConnectionResult(props: { models: ServedModels; testId: string; className?: string; children?: ReactNode }) {
  const { models } = props;
  return (
    <div className={props.className ?? "text-xs"} aria-live="polite" data-testid={props.testId}>
      {models.isPending ? <span className="text-slate-500">Connecting…</span> : null}
      {models.isError ? <span className="text-rose-700">{models.error?.message}</span> : null}
      {models.data ? (
        <span className="text-emerald-700">
          {models.data.length === 1
            ? `Connected. It serves one model, ${models.data[0]!.id}: the Model field now names it.`
            : `Connected. Models: ${models.data.map((m) => m.id).join(", ") || "none"}`}
        </span>
      ) : null}
      {props.children}
    </div>
  );
}
