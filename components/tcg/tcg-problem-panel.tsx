"use client";

import { useQuery } from "@tanstack/react-query";
import { Badge } from "../ui/badge";
import { CodeBlock } from "../ui/code-block";
import { Panel } from "../ui/panel";
import { useTRPC } from "../trpc";

const VALIDATION_TONE = { VALID: "emerald", INVALID: "rose", UNVALIDATED: "amber" } as const;
const VALIDATION_TITLE = {
  VALID: "The reference solution passes this case; a search with testSource generated/both uses it.",
  INVALID: "The reference solution fails this case; it is kept for inspection and never used by a search.",
  UNVALIDATED: "Could not be checked (no reference solution, or the reference did not load); never used by a search.",
} as const;

/** One problem of a TCG run: its generated tests with validity and reasons, the dropped cases, the prompt and the completion. */
export function TcgProblemPanel({ runId, problemId }: { runId: string; problemId: string }) {
  const trpc = useTRPC();
  const detail = useQuery(trpc.tcg.problem.queryOptions({ runId, problemId }));
  if (detail.isError) return <p className="text-sm text-rose-700">{detail.error.message}</p>;
  if (!detail.data) return <p className="text-sm text-slate-500">Loading…</p>;
  const d = detail.data;
  return (
    <div className="flex flex-col gap-4" data-testid="tcg-problem-detail">
      <Panel title={`Generated tests · ${d.externalId}`}>
        {d.error ? <p className="mb-2 text-sm text-rose-700">error: {d.error}</p> : null}
        {d.tests.length === 0 ? <p className="text-sm text-slate-500">No test was kept for this problem.</p> : null}
        <ul className="flex flex-col gap-2">
          {d.tests.map((test, i) => (
            <li key={test.id} className="rounded border border-slate-200 p-2" data-testid="tcg-test" data-validation={test.validation.toLowerCase()}>
              <div className="mb-1 flex items-center gap-2">
                <Badge tone={VALIDATION_TONE[test.validation]} title={VALIDATION_TITLE[test.validation]}>
                  {test.validation.toLowerCase()}
                </Badge>
                <span className="text-xs text-slate-500" title="Its number among this run's kept cases, counted from 1, as a dropped duplicate names it ('duplicate of kept case 1')">
                  kept case {i + 1} · {test.kind.toLowerCase()}
                </span>
              </div>
              <pre className="overflow-x-auto whitespace-pre-wrap font-mono text-xs text-slate-800">
                {test.kind === "STDIO" ? `# input:\n${test.input}# output:\n${test.expected ?? ""}` : test.input}
              </pre>
              {test.validationNote ? (
                <pre className="mt-1 overflow-x-auto whitespace-pre-wrap font-mono text-xs text-rose-800" data-testid="tcg-test-reason">
                  {test.validationNote}
                </pre>
              ) : null}
            </li>
          ))}
        </ul>
      </Panel>
      <Panel title={`Dropped cases (${d.dropped.length})`}>
        {d.dropped.length === 0 ? <p className="text-sm text-slate-500">Every candidate parsed and none repeated.</p> : null}
        <ul className="flex flex-col gap-2">
          {d.dropped.map((dropped, i) => (
            <li key={i} className="rounded border border-slate-200 p-2" data-testid="tcg-dropped">
              <div className="mb-1 flex items-center gap-2">
                <Badge tone={dropped.kind === "duplicate" ? "slate" : "amber"} title={dropped.kind === "duplicate" ? "Repeats an earlier case of the same completion; not stored as a test." : "Could not be read as a test case."}>
                  {dropped.kind}
                </Badge>
                <span className="text-xs text-slate-700">{dropped.reason}</span>
              </div>
              <pre className="overflow-x-auto whitespace-pre-wrap font-mono text-xs text-slate-600">{dropped.text || "(empty)"}</pre>
            </li>
          ))}
        </ul>
      </Panel>
      <CodeBlock label="Prompt as sent (also the TCG-DPO prompt)" code={d.prompt} testId="tcg-prompt" />
      <CodeBlock label="Completion" code={d.completion || "(none)"} testId="tcg-completion" />
    </div>
  );
}
