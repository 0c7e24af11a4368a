import { Suspense } from "react";
import { ProblemBrowser } from "@/components/datasets/problem-browser";

export default async function DatasetPage({ params }: { params: Promise<{ datasetId: string }> }) {
  const { datasetId } = await params;
  return (
    <Suspense>
      <ProblemBrowser datasetId={datasetId} />
    </Suspense>
  );
}
