import { LoopForm } from "@/components/loop/loop-form";
import { LoopList } from "@/components/loop/loop-list";
import { Panel } from "@/components/ui/panel";

export default function LoopsPage() {
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-xl font-semibold">Self-play</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          A loop runs the paper’s cycle on your training engines: evaluate the policy on held-out problems, search the train problems, export
          SFT / DPO / PRM data, train the next policy with TRL (here or on a Ray cluster), load it into vLLM as a LoRA adapter, and repeat. The
          same as <code className="text-xs">o1c loop run --config loop.json</code>; a loop survives a restart and resumes where it was.
        </p>
      </div>
      <Panel title="New loop">
        <LoopForm />
      </Panel>
      <Panel title="Loops">
        <LoopList />
      </Panel>
    </div>
  );
}
