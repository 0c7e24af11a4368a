import { AnnotationWorkspace } from "@/components/annotation/annotation-workspace";

export default async function AnnotatePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <AnnotationWorkspace experimentId={id} />;
}
