// The download route's work, apart from Next.js so tests can call it with their own database: parse the query with
// the CLI's option schema, check the experiment exists and has at least one record of the format (else the reason, as
// JSON with a 4xx status: the page shows it), then stream JSONL as an attachment.
import type { Db } from "../db/index.ts";
import { ValidationError } from "../errors.ts";
import { errorResponse } from "../http/index.ts";
import { parseExportOptions, QUERY_NAMING } from "./export-options.ts";
import { prepareNonEmptyExport } from "./stream-export.ts";
import { jsonlReadableStream } from "./write-jsonl.ts";

export async function exportResponse(prisma: Db, experimentId: string, query: URLSearchParams): Promise<Response> {
  const params: Record<string, string> = {};
  for (const [key, value] of query) {
    if (key === "experiment") return errorResponse(new ValidationError("the experiment is the one in the path", QUERY_NAMING(key)));
    params[key] = value;
  }
  try {
    const options = parseExportOptions({ ...params, experiment: experimentId }, QUERY_NAMING);
    const prepared = await prepareNonEmptyExport(prisma, options);
    const body = jsonlReadableStream(prepared.records(), (error) => console.error(`export of experiment ${experimentId} failed:`, error));
    return new Response(body, {
      headers: {
        "content-type": "application/x-ndjson; charset=utf-8",
        "content-disposition": contentDisposition(prepared.fileName),
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}

/** `attachment` with an ASCII fallback name and the exact name in RFC 5987 form. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
