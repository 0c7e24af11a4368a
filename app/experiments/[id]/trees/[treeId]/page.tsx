import { Suspense } from "react";
import { TreeWorkspace } from "@/components/experiments/tree-workspace";
import { getPrisma } from "@/server/db";
import { getTreeView } from "@/server/experiments";

export const dynamic = "force-dynamic";

export default async function TreePage({ params }: { params: Promise<{ id: string; treeId: string }> }) {
  const { id, treeId } = await params;
  // The tree query starts with the request and its result streams in the same response, instead of being fetched
  // after the page's scripts loaded and hydrated (most of a big tree's first render). Not awaited here: the page's
  // frame is sent at once. A failure resolves to null and the client's own query then reports it.
  const initialTree = getPrisma()
    .then((prisma) => getTreeView(prisma, treeId))
    .catch(() => null);
  return (
    <Suspense fallback={<p className="text-sm text-slate-500">Loading tree…</p>}>
      <TreeWorkspace experimentId={id} treeId={treeId} initialTree={initialTree} />
    </Suspense>
  );
}
