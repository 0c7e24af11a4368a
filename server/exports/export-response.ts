// The download route's work, apart from Next.js so tests can call it with their own database: parse the query with
// the CLI's option schema, check the experiment exists and has at least one record of the format (else the reason, as
// JSON with a 4xx status: the page shows it), then stream JSONL as an attachment.
//
// `check=1` asks only the first question: the same checks, answered 204 with no body, or the same refusal. The page's
// download link asks it before the browser downloads (components/ui/checked-download.tsx), because a plain <a download>
// shows nothing when the server refuses. The check costs what the export costs up to its first record, and streams
// nothing: a check by the real GET, dropped once its status arrived, had the server stream records into the network
// buffers until the abort reached it, i.e. part of the export done twice.
import type { Db } from "../db/index.ts";
import { ValidationError } from "../errors.ts";
import { errorResponse } from "../http/index.ts";
import { parseExportOptions, QUERY_NAMING, type ExportOptions } from "./export-options.ts";
import { prepareNonEmptyExport, type PreparedExport } from "./stream-export.ts";
import { jsonlReadableStream } from "./write-jsonl.ts";

/** The query parameter of a check (not an export option: the CLI has no such flag). */
export const EXPORT_CHECK_PARAM = "check";

export async function exportResponse(prisma: Db, experimentId: string, query: URLSearchParams): Promise<Response> {
  try {
    const { options, checkOnly } = exportRequest(experimentId, query);
    const prepared = await prepareNonEmptyExport(prisma, options);
    return checkOnly ? await checkedResponse(prepared) : streamedResponse(prepared, experimentId);
  } catch (error) {
    return errorResponse(error);
  }
}

/** The export options of a query (the CLI's names), and whether it is a check only. */
function exportRequest(experimentId: string, query: URLSearchParams): { options: ExportOptions; checkOnly: boolean } {
  const params: Record<string, string> = {};
  let checkOnly = false;
  for (const [key, value] of query) {
    if (key === "experiment") throw new ValidationError("the experiment is the one in the path", QUERY_NAMING(key));
    if (key !== EXPORT_CHECK_PARAM) params[key] = value;
    else if (value === "1") checkOnly = true;
    else throw new ValidationError("is 1 (check only) or left out", QUERY_NAMING(key));
  }
  return { options: parseExportOptions({ ...params, experiment: experimentId }, QUERY_NAMING), checkOnly };
}

/** The export would download: 204, with the headers the download will have. Its records are closed unread. */
async function checkedResponse(prepared: PreparedExport): Promise<Response> {
  // Up to the first record (already read: no query) and stop there, so the source's own clean-up runs.
  const records = prepared.records();
  await records.next();
  await records.return(undefined);
  return new Response(null, { status: 204, headers: exportHeaders(prepared) });
}

function streamedResponse(prepared: PreparedExport, experimentId: string): Response {
  const body = jsonlReadableStream(prepared.records(), (error) => console.error(`export of experiment ${experimentId} failed:`, error));
  return new Response(body, { headers: exportHeaders(prepared) });
}

function exportHeaders(prepared: PreparedExport): Record<string, string> {
  return {
    "content-type": "application/x-ndjson; charset=utf-8",
    "content-disposition": contentDisposition(prepared.fileName),
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  };
}

/** `attachment` with an ASCII fallback name and the exact name in RFC 5987 form. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
