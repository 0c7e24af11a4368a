// What both siblings continue: the problem statement (the root's prompt), then each step of the path to their parent.
import type { PairDetail } from "../router-types";
import { StepTextBlock } from "../tree/highlighted-code";

export function SharedPath({ pair }: { pair: PairDetail }) {
  return (
    <section className="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="shared-path">
      <h2 className="text-sm font-semibold text-slate-800">
        Shared path <span className="font-normal text-slate-500">— the prompt both steps continue</span>
      </h2>
      <div className="text-xs font-medium uppercase tracking-wide text-slate-500">Problem {pair.problem.externalId}</div>
      <p className="whitespace-pre-wrap text-sm text-slate-800" data-testid="problem-statement">
        {pair.problem.statement}
      </p>
      {pair.path.length === 0 ? (
        <p className="text-xs text-slate-500">Both steps are first steps: the problem is all they share.</p>
      ) : (
        pair.path.map((step) => <StepTextBlock key={step.depth} text={step.stepText} label={`Step ${step.depth} (${step.actionKind})`} />)
      )}
    </section>
  );
}
