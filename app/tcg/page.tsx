import { TcgLaunchForm } from "@/components/tcg/tcg-launch-form";
import { TcgRunList } from "@/components/tcg/tcg-run-list";
import { Panel } from "@/components/ui/panel";

export default function TcgPage() {
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">Tests (TCG)</h1>
      <p className="max-w-3xl text-sm text-slate-600">
        Test-case generation runs: an LLM writes test cases for each problem with the O1-CODER template, and the reference
        solution validates them in the sandbox. Valid cases become <em>generated</em> tests that an experiment can search with
        (test source &ldquo;generated&rdquo; or &ldquo;both&rdquo;); hidden tests still judge.
      </p>
      <Panel title="Generate tests">
        <TcgLaunchForm />
      </Panel>
      <Panel title="Runs">
        <TcgRunList />
      </Panel>
    </div>
  );
}
