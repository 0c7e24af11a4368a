import Link from "next/link";
import { ExperimentList } from "@/components/experiments/experiment-list";
import { Panel } from "@/components/ui/panel";

export default function ExperimentsPage() {
  return (
    <div className="flex flex-col gap-4">
      <div className="flex items-center justify-between">
        <h1 className="text-xl font-semibold">Experiments</h1>
        <Link href="/experiments/new" className="rounded bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700" data-testid="new-experiment">
          New experiment
        </Link>
      </div>
      <Panel>
        <ExperimentList />
      </Panel>
    </div>
  );
}
