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

/**
 * What a problem's (tree's) status means, for its badge's tooltip. A problem is cancelled by Cancel, or when its
 * experiment fails (the others are stopped then too); without saying so, a failed experiment's table reads as if the
 * user had cancelled them.
 */
export function treeStatusTitle(treeStatus: string, experimentStatus: string): string | undefined {
  switch (treeStatus) {
    case "PENDING":
      return "Waiting for a worker to search it";
    case "RUNNING":
      return "Being searched now";
    case "DONE":
      return "Searched, and its final answer judged";
    case "FAILED":
      return "Its search failed: the reason is under its name";
    case "CANCELLED":
      return experimentStatus === "FAILED"
        ? "Stopped before it was searched to the end, because the experiment failed (the reason is at the top); Resume searches it"
        : "Stopped by Cancel before it was searched to the end; Resume searches it";
    default:
      return undefined;
  }
}

export function StatusBadge({ status, title }: { status: string; title?: string }) {
  return (
    <span data-testid="status" data-status={status.toLowerCase()} title={title}>
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
    <div className="flex items-center gap-2" data-testid="progress-bar" title={`${done} of ${total} problems finished (searched and judged, or failed)${running === undefined ? "" : `, ${running} being searched`}`}>
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
