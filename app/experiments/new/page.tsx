import { NewExperimentForm } from "@/components/experiments/new-experiment-form";

export default function NewExperimentPage() {
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">New experiment</h1>
      <NewExperimentForm />
    </div>
  );
}
