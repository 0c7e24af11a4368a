import { TreeWorkspace } from "@/components/experiments/tree-workspace";

export default async function TreePage({ params }: { params: Promise<{ id: string; treeId: string }> }) {
  const { id, treeId } = await params;
  return <TreeWorkspace experimentId={id} treeId={treeId} />;
}
