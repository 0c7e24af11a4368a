import { CreateLineageForm } from "@/components/lineage/create-lineage-form";
import { LineageList } from "@/components/lineage/lineage-list";
import { Panel } from "@/components/ui/panel";

export default function LineagesPage() {
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-xl font-semibold">Lineages</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          A lineage follows one policy through self-play: iteration 0 is the base model; the data exported from iteration k’s trees trains the next
          policy outside this app (e.g. with TRL), and its new endpoint is registered as iteration k + 1. Add an iteration from the New experiment
          form’s “Self-play lineage” section, with <code className="text-xs">o1c run … --lineage NAME --iteration K</code>, or by attaching an existing
          experiment on the lineage’s page.
        </p>
      </div>
      <Panel title="New lineage">
        <CreateLineageForm />
      </Panel>
      <Panel title="All lineages">
        <LineageList />
      </Panel>
    </div>
  );
}
