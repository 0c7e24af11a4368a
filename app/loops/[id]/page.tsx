import { LoopDetail } from "@/components/loop/loop-detail";

export default async function LoopPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <LoopDetail id={id} />;
}
