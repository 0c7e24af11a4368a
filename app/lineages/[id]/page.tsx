import { LineageComparison } from "@/components/lineage/lineage-comparison";

export default async function LineagePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <LineageComparison lineageId={id} />;
}
