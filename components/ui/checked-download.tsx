"use client";
// A download link that is never silent. A plain <a download> shows nothing when the server refuses (a 404 or 409 with
// a JSON reason just does not download), so a click first asks the server — the same GET, read only as far as its
// status, which the export route sends after it has found a first record — and shows the server's reason under the
// link when it refuses. When the answer is a file, that request is dropped and the browser downloads the link itself,
// streamed to disk rather than held in memory.
import { useState, type ReactNode } from "react";

/** A refusal is of one link: other options (another href) show no stale reason. */
type CheckState = { kind: "idle" } | { kind: "checking" } | { kind: "refused"; href: string; reason: string };

/** The reason an error response gives: the route's `{ error }` JSON, else its text, else its status. */
export async function refusalReason(response: Response): Promise<string> {
  const text = await response.text().catch(() => "");
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === "string" && parsed.error) return parsed.error;
  } catch {
    // Not JSON (a proxy's page, a crash): the text, if short enough to read, or the status.
  }
  const plain = text.trim();
  return plain && plain.length <= 300 && !plain.startsWith("<") ? plain : `the server answered ${response.status} ${response.statusText}`.trim();
}

function startBrowserDownload(href: string) {
  const a = document.createElement("a");
  a.href = href;
  a.download = "";
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/**
 * The click handler of a checked download link and what it found: `refusal` is the server's reason while `href` is the
 * one refused (other options show no stale reason). For a page that places the reason itself; else CheckedDownload.
 */
export function useCheckedDownload(href: string) {
  const [state, setState] = useState<CheckState>({ kind: "idle" });

  async function onClick(event: React.MouseEvent<HTMLAnchorElement>) {
    // Modified clicks (new tab, save as…) are the browser's business.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    if (state.kind === "checking") return;
    setState({ kind: "checking" });
    const controller = new AbortController();
    try {
      const response = await fetch(href, { signal: controller.signal, cache: "no-store" });
      if (!response.ok) {
        setState({ kind: "refused", href, reason: await refusalReason(response) });
        return;
      }
      controller.abort();
      startBrowserDownload(href);
      setState({ kind: "idle" });
    } catch (error) {
      setState({ kind: "refused", href, reason: `the server could not be reached (${error instanceof Error ? error.message : String(error)})` });
    }
  }

  return { onClick, checking: state.kind === "checking", refusal: state.kind === "refused" && state.href === href ? state.reason : null };
}

/** The server's reason for refusing a download, as an alert; nothing when there is none. */
export function DownloadRefusal({ refusal, testId, className }: { refusal: string | null; testId: string; className?: string }) {
  if (refusal === null) return null;
  return (
    <p role="alert" className={`text-xs font-medium text-rose-700 ${className ?? ""}`} data-testid={testId}>
      Not downloaded: {refusal}
    </p>
  );
}

/** A checked download link with the refusal under it. */
export function CheckedDownload({ href, className, testId, title, children }: { href: string; className: string; testId: string; title?: string; children: ReactNode }) {
  const download = useCheckedDownload(href);
  return (
    <span className="inline-flex flex-col items-end gap-1">
      <a href={href} download onClick={download.onClick} className={className} data-testid={testId} title={title} aria-busy={download.checking}>
        {children}
        {download.checking ? "…" : null}
      </a>
      <DownloadRefusal refusal={download.refusal} testId={`${testId}-error`} className="max-w-md text-right" />
    </span>
  );
}
