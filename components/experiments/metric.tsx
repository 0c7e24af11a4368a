import { METRIC_DEFINITIONS } from "@/server/contracts";
import { InfoMark } from "../ui/info-mark";

export function percent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? "–" : `${(value * 100).toFixed(digits)}%`;
}

/** A number with its name, and its definition on hover (every number the UI shows says what it means). */
export function Metric({ label, value, definition, testId }: { label: string; value: string; definition: string; testId?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm" title={definition} data-testid={testId}>
      <div className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}<InfoMark /></div>
      <div className="mt-1 text-2xl font-semibold tabular-nums text-slate-900">{value}</div>
    </div>
  );
}

export { METRIC_DEFINITIONS };
