"use client";

import { useQuery } from "@tanstack/react-query";
import { Badge } from "../ui/badge";
import { CodeBlock } from "../ui/code-block";
import { Panel } from "../ui/panel";
import { useTRPC } from "../trpc";

const ORIGIN_BADGE = {
  DATASET_VISIBLE: { tone: "indigo", label: "search-visible", title: "Shown in prompts and used for search rewards" },
  DATASET_HIDDEN: { tone: "amber", label: "hidden", title: "Only judges final answers; never shown to the model" },
  GENERATED: { tone: "emerald", label: "generated", title: "Written by the test case generator" },
} as const;

export function ProblemDetail({ problemId }: { problemId: string }) {
  const trpc = useTRPC();
  const problem = useQuery(trpc.datasets.problem.queryOptions({ id: problemId }));
  if (problem.isPending) return <Panel>Loading…</Panel>;
  if (problem.isError) return <Panel><p className="text-sm text-rose-700">{problem.error.message}</p></Panel>;
  const p = problem.data;
  return (
    <Panel title={`Problem ${p.externalId}`} className="min-w-0 self-start lg:sticky lg:top-4">
      <div className="flex flex-col gap-4" data-testid="problem-detail">
        <div className="flex flex-wrap gap-2 text-xs">
          <Badge>{p.kind === "STDIO" ? "stdin → stdout" : "function"}</Badge>
          {p.entryPoint ? <Badge>entry point: {p.entryPoint}</Badge> : null}
          {p.split ? <Badge>split: {p.split}</Badge> : null}
        </div>
        <p className="whitespace-pre-wrap text-sm text-slate-800" data-testid="problem-statement">
          {p.statement}
        </p>
        {p.signature ? <CodeBlock label="Signature" code={p.signature} /> : null}
        {p.testSetupCode ? <CodeBlock label="Test setup code (run before every test)" code={p.testSetupCode} /> : null}
        <div>
          <h3 className="mb-2 text-sm font-semibold text-slate-800">Tests ({p.testCases.length})</h3>
          <ul className="flex flex-col gap-2" data-testid="problem-tests">
            {p.testCases.slice(0, 200).map((t) => {
              const badge = ORIGIN_BADGE[t.origin];
              return (
                <li key={t.id} className="rounded border border-slate-200" data-testid="test-case">
                  <div className="flex items-center gap-2 border-b border-slate-100 px-2 py-1 text-xs text-slate-500">
                    <Badge tone={badge.tone} title={badge.title}>
                      {badge.label}
                    </Badge>
                    <span>{t.kind.toLowerCase()}</span>
                    {t.origin !== "GENERATED" && t.validation === "UNVALIDATED" ? (
                      <span className="ml-auto" title="The benchmark's own test, used as given: only generated tests are run against the reference solution">
                        as given
                      </span>
                    ) : (
                      <span className="ml-auto" title="Whether the test was checked against the reference solution: unvalidated (not run yet), valid (reference passes), invalid (reference fails)">
                        {t.validation.toLowerCase()}
                      </span>
                    )}
                  </div>
                  <pre className="max-h-40 overflow-auto px-2 py-1 font-mono text-xs">{t.input}</pre>
                  {t.expected !== null ? (
                    <pre className="max-h-24 overflow-auto border-t border-slate-100 px-2 py-1 font-mono text-xs text-slate-600">expected: {t.expected}</pre>
                  ) : null}
                </li>
              );
            })}
          </ul>
          {p.testCases.length > 200 ? <p className="mt-2 text-xs text-slate-500">Showing the first 200 of {p.testCases.length} tests.</p> : null}
        </div>
        {p.referenceSolution ? <CodeBlock label="Reference solution" code={p.referenceSolution} testId="reference-solution" /> : <p className="text-sm text-slate-500">No reference solution.</p>}
      </div>
    </Panel>
  );
}
