"use client";

// Side panel for one search node: what the step says, its search statistics, the tests its code ran, and the path
// from the root. Every number is labelled with what it is.
import { useEffect, useState } from "react";
import { Badge } from "../ui/badge";
import { Panel } from "../ui/panel";
import { formatCount, formatDecimal, formatTally, nodeValue } from "./format";
import { PythonCodeBlock, StepTextBlock } from "./highlighted-code";
import { NodePrmSection } from "./node-prm-section";
import { OutcomeStats, Stat } from "./step-stats";
import { groupExecutions, type ExecutionGroup } from "./test-groups";
import type { ExecutionStatus, NodeDetail, TestExecutionView } from "./types";

type Tone = "slate" | "indigo" | "amber" | "emerald" | "rose";

const ACTION_LABELS: Record<string, { tone: Tone; title: string }> = {
  root: { tone: "slate", title: "The problem itself; no step yet" },
  structure: { tone: "indigo", title: "Action 1: define the algorithm's structure in pseudocode" },
  refine: { tone: "amber", title: "Action 2: refine part of the pseudocode" },
  code: { tone: "emerald", title: "Action 3: generate Python code from the pseudocode" },
  vanilla: { tone: "slate", title: "Vanilla mode: the answer in one step, without pseudocode" },
};

const STATUS_BADGES: Record<ExecutionStatus, { tone: Tone; title: string }> = {
  pass: { tone: "emerald", title: "The output matched / the assertion held" },
  fail: { tone: "rose", title: "Ran to completion with a wrong output or a failed assertion" },
  error: { tone: "rose", title: "Raised an exception" },
  timeout: { tone: "amber", title: "Exceeded the time limit" },
  memory: { tone: "amber", title: "Exceeded the memory limit" },
  "output-limit": { tone: "amber", title: "Printed more than the output limit" },
  crash: { tone: "rose", title: "The sandboxed process died (signal or interpreter crash)" },
};

export function NodeInspector({ node, loading = false }: { node: NodeDetail | null; loading?: boolean }) {
  if (!node) {
    return (
      <Panel title="Node">
        <p className="text-sm text-slate-500" data-testid="node-inspector" aria-busy={loading}>
          {loading ? "Loading node…" : "No node selected."}
        </p>
      </Panel>
    );
  }
  const action = ACTION_LABELS[node.actionKind];
  return (
    <Panel
      title={`Node #${node.seq}`}
      actions={loading ? <span className="text-xs text-slate-500">Refreshing…</span> : null}
      className="min-w-0"
    >
      <div className="flex flex-col gap-4" data-testid="node-inspector" data-node-id={node.id} aria-busy={loading}>
        <div className="flex flex-wrap gap-2">
          <Badge tone={action?.tone ?? "slate"} title={action?.title ?? "Action kind reported by the step parser"}>
            {node.actionKind}
          </Badge>
          {node.isTerminal ? <Badge tone="indigo" title="The step holds Python code, or the node is at the maximum depth">terminal</Badge> : null}
          <Badge title="Edges from the root">depth {node.depth}</Badge>
          {node.parentId !== null ? (
            <Badge title="This step's place among its parent's children, in the order the search created them (1 = the first). Its number within its path (### Step k in the exports) is its depth." testId="node-child-index">
              child {node.stepIndex + 1}
            </Badge>
          ) : null}
        </div>
        <NodeStats node={node} />
        {node.prm ? <NodePrmSection prm={node.prm} isRoot={node.parentId === null} /> : null}
        {node.stepText ? (
          <StepTextBlock text={node.stepText} label="Step text (as generated)" testId="node-step-text" />
        ) : (
          <p className="text-sm text-slate-500" data-testid="node-step-text">
            The root holds the problem statement; it has no step text.
          </p>
        )}
        {node.code !== null ? <PythonCodeBlock code={node.code} label="Code (the last Python block of the step; what the tests ran)" testId="node-code" /> : null}
        {node.topLevelOutput ? <TopLevelOutput output={node.topLevelOutput} /> : null}
        <TestOutcomes executions={node.executions} />
        <PathFromRoot pathText={node.pathText} />
      </div>
    </Panel>
  );
}

/** Prints outside any test (the module's top level, the setup code): not a test's output, so shown apart. */
function TopLevelOutput({ output }: { output: NonNullable<NodeDetail["topLevelOutput"]> }) {
  return (
    <figure className="rounded border border-slate-200 bg-slate-50" data-testid="node-top-level-output">
      <figcaption className="border-b border-slate-200 px-2 py-1 text-xs font-medium text-slate-600">
        Top-level output (printed while the code loaded, outside the tests; head and tail kept)
      </figcaption>
      {output.stdout ? (
        <pre className="max-h-48 overflow-auto whitespace-pre-wrap px-2 py-1 font-mono text-xs" data-testid="node-top-level-stdout">
          {output.stdout}
        </pre>
      ) : null}
      {output.stderr ? (
        <pre className="max-h-48 overflow-auto whitespace-pre-wrap px-2 py-1 font-mono text-xs text-rose-700" data-testid="node-top-level-stderr">
          <span className="text-slate-500">stderr: </span>
          {output.stderr}
        </pre>
      ) : null}
    </figure>
  );
}

function NodeStats({ node }: { node: NodeDetail }) {
  const value = nodeValue(node);
  return (
    <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-3" data-testid="node-stats">
      <Stat term="N (visits)" title="Rollouts that passed through this node">
        {formatCount(node.visits)}
      </Stat>
      <Stat term="Q (value sum)" title="Sum of the rewards backpropagated through this node">
        {formatDecimal(node.valueSum, 3)}
      </Stat>
      <Stat term="Q/N (value)" title="Mean reward of the rollouts through this node; undefined until visited">
        {value === null ? "— (N=0)" : formatDecimal(value, 3)}
      </Stat>
      <Stat term="Prior" title="The policy's prior for this step, when the policy reports one">
        {formatDecimal(node.prior, 3)}
      </Stat>
      {node.prmScore !== null && !node.prm ? (
        <Stat term="PRM score" title="The process reward model's rating of this step">
          {formatDecimal(node.prmScore, 3)}
        </Stat>
      ) : null}
      {node.copies !== undefined && node.copies > 1 ? (
        <Stat term="Samples" title="How many of the request's n samples wrote exactly this step; identical samples are one node, so the search spends no visits on copies">
          {formatCount(node.copies)} identical
        </Stat>
      ) : null}
      <OutcomeStats step={node} />
      <div className="col-span-full">
        <dt className="text-xs text-slate-500">Tokens</dt>
        <dd className="tabular-nums">
          prompt {formatCount(node.promptTokens)} · completion {formatCount(node.completionTokens)}
        </dd>
        <dd className="text-xs text-slate-500">
          One request samples all siblings: its prompt tokens are billed to the first sibling it produced (the others show
          prompt 0), so summing a tree&apos;s nodes gives what the server billed.
        </dd>
      </div>
    </dl>
  );
}

function TestOutcomes({ executions }: { executions: readonly TestExecutionView[] }) {
  const groups = groupExecutions(executions);
  return (
    <section className="flex flex-col gap-3" data-testid="node-tests">
      <h3 className="text-sm font-semibold text-slate-800">Test outcomes</h3>
      {executions.length === 0 ? (
        <p className="text-sm text-slate-500">No tests ran on this node: only terminal steps with code are executed.</p>
      ) : (
        groups.map((group) => <TestGroupTable key={group.key} group={group} />)
      )}
    </section>
  );
}

function TestGroupTable({ group }: { group: ExecutionGroup }) {
  return (
    <div className="min-w-0" data-testid={`node-tests-${group.key}`}>
      <div className="mb-1 flex flex-wrap items-baseline gap-2 text-xs">
        <span className="font-semibold text-slate-700">{group.title}</span>
        <span className="text-slate-500">{group.description}</span>
        <span className="ml-auto tabular-nums text-slate-600">{formatTally(group.tally)}</span>
      </div>
      <div className="overflow-x-auto rounded border border-slate-200">
        <table className="w-full text-left text-xs">
          <thead className="bg-slate-50 text-slate-500">
            <tr>
              <th className="px-2 py-1 font-medium">Input / assert</th>
              <th className="px-2 py-1 font-medium">Expected</th>
              <th className="px-2 py-1 font-medium">Actual / error</th>
              <th className="px-2 py-1 font-medium">Status</th>
              <th className="px-2 py-1 text-right font-medium">Duration</th>
            </tr>
          </thead>
          <tbody>
            {group.executions.map((execution) => (
              <TestRow key={execution.testCaseId} execution={execution} />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

const CELL_PRE = "max-h-32 overflow-auto whitespace-pre-wrap break-all font-mono";

function TestRow({ execution: e }: { execution: TestExecutionView }) {
  const badge = STATUS_BADGES[e.status];
  const error = [e.errorType, e.errorMessage].filter((part): part is string => Boolean(part)).join(": ");
  return (
    <tr className="border-t border-slate-100 align-top" data-testid="node-test-row" data-status={e.status} data-test-case-id={e.testCaseId}>
      <td className="max-w-56 px-2 py-1">
        <div className="mb-0.5 text-[10px] uppercase tracking-wide text-slate-400">
          {e.kind}
          {e.origin === "generated" ? " · generated" : ""}
        </div>
        <pre className={CELL_PRE}>{e.input}</pre>
      </td>
      <td className="max-w-40 px-2 py-1">{e.expected === null ? <span className="text-slate-400">— (in the assert)</span> : <pre className={CELL_PRE}>{e.expected}</pre>}</td>
      <td className="max-w-56 px-2 py-1">
        {error ? <pre className={`${CELL_PRE} text-rose-700`}>{error}</pre> : null}
        {e.stdout ? <pre className={CELL_PRE}>{e.stdout}</pre> : null}
        {!error && !e.stdout ? <span className="text-slate-400">—</span> : null}
        {e.stderr ? (
          <details className="mt-0.5">
            <summary className="cursor-pointer text-slate-500">stderr</summary>
            <pre className={`${CELL_PRE} text-slate-600`}>{e.stderr}</pre>
          </details>
        ) : null}
      </td>
      <td className="px-2 py-1">
        <Badge tone={badge.tone} title={badge.title}>
          {e.status}
        </Badge>
      </td>
      <td className="whitespace-nowrap px-2 py-1 text-right tabular-nums">{formatCount(e.durationMs)} ms</td>
    </tr>
  );
}

type CopyState = "idle" | "copied" | "failed";

function PathFromRoot({ pathText }: { pathText: string }) {
  const [copyState, setCopyState] = useState<CopyState>("idle");
  useEffect(() => {
    if (copyState === "idle") return;
    const timer = setTimeout(() => setCopyState("idle"), 2000);
    return () => clearTimeout(timer);
  }, [copyState]);

  async function copy() {
    try {
      // Undefined outside secure contexts (plain http on a non-localhost address): report it rather than throw.
      if (!navigator.clipboard) throw new Error("clipboard unavailable");
      await navigator.clipboard.writeText(pathText);
      setCopyState("copied");
    } catch {
      setCopyState("failed");
    }
  }

  return (
    <section className="flex flex-col gap-1">
      <div className="flex items-center gap-2">
        <h3 className="text-sm font-semibold text-slate-800">Path from the root</h3>
        <button
          type="button"
          onClick={() => void copy()}
          data-testid="copy-path"
          className="ml-auto rounded border border-slate-300 bg-white px-2 py-0.5 text-xs text-slate-700 hover:bg-slate-100"
        >
          {copyState === "copied" ? "Copied" : copyState === "failed" ? "Copy failed" : "Copy"}
        </button>
      </div>
      <pre className="max-h-72 overflow-auto whitespace-pre-wrap break-words rounded border border-slate-200 bg-slate-50 px-3 py-2 font-mono text-xs text-slate-800" data-testid="node-path">
        {pathText || "(the root: no steps yet)"}
      </pre>
      <span className="sr-only" aria-live="polite">
        {copyState === "copied" ? "Path copied to the clipboard" : copyState === "failed" ? "Copying the path failed" : ""}
      </span>
    </section>
  );
}
