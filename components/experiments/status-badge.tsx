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

/** Finished of all problems, and how many are being searched now (the experiment's concurrency bounds that). */
export function ProgressBar({ done, total, running = 0 }: { done: number; total: number; running?: number }) {
  const share = total === 0 ? 0 : done / total;
  return (
    <div className="flex items-center gap-2" title={`${done} of ${total} problems finished, ${running} being searched`}>
      <div className="h-2 w-24 overflow-hidden rounded bg-slate-200">
        <div className="h-full bg-indigo-500" style={{ width: `${share * 100}%` }} />
      </div>
      <span className="text-xs tabular-nums text-slate-600" data-testid="progress">
        {done}/{total} done
      </span>
      {running > 0 ? (
        <span className="text-xs tabular-nums text-indigo-700" data-testid="running-trees">
          {running} running
        </span>
      ) : null}
    </div>
  );
}
