import { ExperimentDetail } from "@/components/experiments/experiment-detail";

export default async function ExperimentPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ compare?: string }> }) {
  const { id } = await params;
  const { compare } = await searchParams;
  return <ExperimentDetail experimentId={id} compareId={compare} />;
}
