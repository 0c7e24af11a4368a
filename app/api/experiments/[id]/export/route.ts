// Download an experiment's training data as JSONL: GET ?format=sft|dpo|prm|tcg-dpo plus the options of `o1c export`
// under the same names (style, source, combine, margin, labels, pairwise, success, phi-t, …). Streams: records are
// read tree by tree as the browser receives them. `&check=1` answers 204 (or the refusal) without the file: the page
// asks it before downloading. A read, so no cross-site check; the token rules of `o1c serve` apply to it as to every
// request.
import { getPrisma } from "@/server/db";
import { exportResponse } from "@/server/exports";

export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return exportResponse(await getPrisma(), id, new URL(req.url).searchParams);
}
