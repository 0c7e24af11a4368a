// A labelled form control with its hint and its validation error, as every form of the dashboard lays them out.
import type { ReactNode } from "react";
import { InfoMark } from "./info-mark";

export const INPUT_CLASS = "w-full rounded border border-slate-300 bg-white px-2 py-1 text-sm";

export function FormField({ label, title, hint, error, children }: { label: string; title?: string; hint?: string; error?: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <span className="text-xs font-medium text-slate-700" title={title}>
        {label}
        {title ? <InfoMark /> : null}
      </span>
      {children}
      {hint ? <span className="text-xs text-slate-500">{hint}</span> : null}
      {error ? (
        <span className="text-xs font-medium text-rose-700" data-testid="field-error">
          {error}
        </span>
      ) : null}
    </div>
  );
}
