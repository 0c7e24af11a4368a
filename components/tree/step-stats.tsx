// The statistics rows a step shows wherever it is inspected (tree inspector, annotation columns): one definition of
// each number, worded once.
import type { ReactNode } from "react";
import { formatDecimal, formatTally } from "./format";
import type { TestTally } from "./types";

export function Stat({ term, title, children }: { term: string; title: string; children: ReactNode }) {
  return (
    <div title={title}>
      <dt className="text-xs text-slate-500">{term}</dt>
      <dd className="tabular-nums text-slate-900">{children}</dd>
    </div>
  );
}

/** Reward and test outcomes of a step: terminals have a reward and a hidden-test verdict; visible counts when run. */
export function OutcomeStats({ step }: { step: { isTerminal: boolean; reward: number | null; visible: TestTally | null; hidden: TestTally | null } }) {
  return (
    <>
      {step.isTerminal ? (
        <Stat term="Reward" title="r = α·compiles + (1−α)·pass rate, on the search-visible tests only">
          {formatDecimal(step.reward, 3)}
        </Stat>
      ) : null}
      {step.visible ? (
        <Stat term="Search-visible tests" title="Tests the search may use for its reward">
          {formatTally(step.visible)}
        </Stat>
      ) : null}
      {step.isTerminal ? (
        <Stat term="Hidden tests" title="Judging tests, run after the search; never shown to the model">
          {step.hidden ? formatTally(step.hidden) : "not judged yet"}
        </Stat>
      ) : null}
    </>
  );
}
