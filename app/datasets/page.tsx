import { DatasetImportForm } from "@/components/datasets/dataset-import-form";
import { DatasetTable } from "@/components/datasets/dataset-table";
import { Panel } from "@/components/ui/panel";

export default function DatasetsPage() {
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-xl font-semibold">Datasets</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          Problems to search over. <strong>Search-visible</strong> tests appear in prompts and give the search its rewards;{" "}
          <strong>hidden</strong> tests are never shown to the model and only judge final answers.
        </p>
      </div>
      <Panel title="Import a dataset">
        <DatasetImportForm />
      </Panel>
      <Panel title="All datasets">
        <DatasetTable />
      </Panel>
    </div>
  );
}
