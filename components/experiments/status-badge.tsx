import { Badge } from "../ui/badge";

const TONE = {
  QUEUED: "slate",
  RUNNING: "indigo",
  COMPLETED: "emerald",
  FAILED: "rose",
  CANCELLED: "amber",
  PENDING: "slate",
  DONE: "emerald",
} as const;

export function StatusBadge({ status }: { status: string }) {
  return (
    <span data-testid="status" data-status={status.toLowerCase()}>
      <Badge tone={TONE[status as keyof typeof TONE] ?? "slate"}>{status.toLowerCase()}</Badge>
    </span>
  );
}

/** Finished of all problems, and, when `running` is given, how many are being searched now (the experiment's concurrency bounds that). */
export function ProgressBar({ done, total, running }: { done: number; total: number; running?: number }) {
  const share = total === 0 ? 0 : done / total;
  // Widths reserved for the longest text these counts can make, so that the labels (and the buttons laid out after
  // them, e.g. Cancel) hold still while a large experiment reports progress, instead of re-flowing with each update.
  const digits = String(total).length;
  return (
    <div className="flex items-center gap-2" data-testid="progress-bar" title={`${done} of ${total} problems finished${running === undefined ? "" : `, ${running} being searched`}`}>
      <div className="h-2 w-24 overflow-hidden rounded bg-slate-200">
        <div className="h-full bg-indigo-500" style={{ width: `${share * 100}%` }} />
      </div>
      <span className="inline-block text-xs tabular-nums text-slate-600" style={{ minWidth: `${2 * digits + 6}ch` }} data-testid="progress">
        {done}/{total} done
      </span>
      {running === undefined ? null : (
        <span className="inline-block text-xs tabular-nums text-indigo-700" style={{ minWidth: `${digits + 8}ch` }}>
          {running > 0 ? <span data-testid="running-trees">{running} running</span> : null}
        </span>
      )}
    </div>
  );
}
