import { TcgRunDetail } from "@/components/tcg/tcg-run-detail";

export default async function TcgRunPage({ params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  return <TcgRunDetail runId={runId} />;
}
