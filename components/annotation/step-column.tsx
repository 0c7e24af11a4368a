// One side of a pair: the step as generated, and (unless blind) what the search and the tests said about it.
import type { PairStep } from "../router-types";
import { formatCount, formatDecimal, nodeValue } from "../tree/format";
import { StepTextBlock } from "../tree/highlighted-code";
import { OutcomeStats, Stat } from "../tree/step-stats";
import { Badge } from "../ui/badge";

export function StepColumn({ side, step, blind, verdict }: { side: "A" | "B"; step: PairStep; blind: boolean; verdict: "chosen" | "rejected" | null }) {
  const ring = verdict === "chosen" ? "border-emerald-500 ring-2 ring-emerald-200" : verdict === "rejected" ? "border-rose-300" : "border-slate-200";
  return (
    <section className={`flex min-w-0 flex-col gap-3 rounded-lg border bg-white p-4 shadow-sm ${ring}`} data-testid={`column-${side.toLowerCase()}`} data-node-id={step.id} data-verdict={verdict ?? "none"}>
      <header className="flex flex-wrap items-center gap-2">
        <span className="flex h-7 w-7 items-center justify-center rounded-full bg-slate-800 text-sm font-semibold text-white">{side}</span>
        <Badge title="The kind of step the parser recognised">{step.actionKind}</Badge>
        {step.isTerminal ? <Badge tone="indigo" title="The step holds Python code, or sits at the maximum depth">terminal</Badge> : null}
        {verdict === "chosen" ? <Badge tone="emerald" title="Your judgement">your choice</Badge> : null}
        <span className="ml-auto text-xs text-slate-400" title="The node's creation number in its tree">#{step.seq}</span>
      </header>
      {step.stepText ? <StepTextBlock text={step.stepText} label="Step text" testId={`step-text-${side.toLowerCase()}`} /> : <p className="text-sm text-slate-500">(empty step)</p>}
      {blind ? (
        <p className="text-xs text-slate-400" data-testid="stats-hidden">
          Blind mode: value, visits, PRM score and test outcomes are hidden.
        </p>
      ) : (
        <StepStats step={step} side={side} />
      )}
    </section>
  );
}

function StepStats({ step, side }: { step: PairStep; side: "A" | "B" }) {
  const value = nodeValue(step);
  return (
    <dl className="grid grid-cols-3 gap-x-4 gap-y-2 text-sm" data-testid={`stats-${side.toLowerCase()}`}>
      <Stat term="Q/N (value)" title="Mean reward of the rollouts through this step; undefined until visited">
        {value === null ? "— (N=0)" : formatDecimal(value, 3)}
      </Stat>
      <Stat term="N (visits)" title="Rollouts that passed through this step">
        {formatCount(step.visits)}
      </Stat>
      <Stat term="PRM score" title="The process reward model's rating of this step (— when no PRM scored it)">
        {formatDecimal(step.prmScore, 3)}
      </Stat>
      <OutcomeStats step={step} />
    </dl>
  );
}
