"use client";
// A download link that is never silent. A plain <a download> shows nothing when the server refuses (a 404 or 409 with
// a JSON reason just does not download), so a click first asks the server whether it would send the file — the same
// URL with `check=1`, which the export route answers 204 once it has found a first record, without streaming any —
// and shows the server's reason under the link when it refuses. Then the browser downloads the link itself, streamed
// to disk.
//
// Why a check request rather than fetching the file once and saving the fetched body as a Blob: an export streams
// every record of the experiment (a PRM record per step, each with its prefix; an experiment of many 100k-node trees
// gives hundreds of MB or more), and a Blob holds it all in the tab's memory before the first byte reaches the disk.
// Why not the real GET, dropped once its status arrived (as this link once did): the server kept streaming records
// into the network buffers until the abort reached it — part of the export done twice, and a cancelled stream. The
// check costs the server what the export costs up to its first record. (Between the check and the download the data
// could change, e.g. the last judgement deleted; the browser then shows a failed download, not a broken file.)
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

/** The export route's check of a download link: the same query plus `check=1` (server/exports/export-response.ts). */
export function checkHref(href: string): string {
  const [path, query = ""] = href.split("?", 2) as [string, string?];
  const params = new URLSearchParams(query);
  params.set("check", "1");
  return `${path}?${params.toString()}`;
}

/** Null when the server would send the file, else its reason for refusing it. */
export async function askServer(href: string, fetchImpl: typeof fetch = fetch): Promise<string | null> {
  try {
    const response = await fetchImpl(checkHref(href), { cache: "no-store" });
    return response.ok ? null : await refusalReason(response);
  } catch (error) {
    return `the server could not be reached (${error instanceof Error ? error.message : String(error)})`;
  }
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
    const reason = await askServer(href);
    if (reason !== null) {
      setState({ kind: "refused", href, reason });
      return;
    }
    startBrowserDownload(href);
    setState({ kind: "idle" });
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
