// Dataset upload from the browser (multipart form: file, format, optional name). Files are not a good fit for
// tRPC's JSON transport, so this one mutation is a plain route handler calling the same import service as the CLI.
import { getPrisma } from "@/server/db";
import { DATASET_FORMATS, importDataset, type DatasetFormat } from "@/server/datasets";
import { errorResponse, rejectCrossSite } from "@/server/http";

export const dynamic = "force-dynamic";

const MAX_UPLOAD_BYTES = 256 * 1024 * 1024;

export async function POST(req: Request) {
  const refused = rejectCrossSite(req);
  if (refused) return refused;
  const form = await req.formData().catch(() => null);
  if (!form) return badRequest("expected a multipart/form-data body", "body");
  const file = form.get("file");
  if (!(file instanceof File)) return badRequest("choose a file to import", "file");
  if (file.size > MAX_UPLOAD_BYTES) return badRequest(`file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB`, "file");
  const format = String(form.get("format") ?? "");
  if (!(DATASET_FORMATS as readonly string[]).includes(format)) {
    return badRequest(`format must be one of ${DATASET_FORMATS.join(", ")}`, "format");
  }
  const name = String(form.get("name") ?? "").trim() || undefined;
  try {
    const prisma = await getPrisma();
    const bytes = new Uint8Array(await file.arrayBuffer());
    const report = await importDataset(prisma, { source: { fileName: file.name, bytes }, format: format as DatasetFormat, name });
    return Response.json(report);
  } catch (error) {
    return errorResponse(error);
  }
}

function badRequest(message: string, field: string) {
  return Response.json({ error: `${field}: ${message}`, where: field }, { status: 400 });
}
