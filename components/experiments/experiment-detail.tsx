"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState } from "react";
import { Panel } from "../ui/panel";
import { useTRPC } from "../trpc";
import { Metric, METRIC_DEFINITIONS, percent } from "./metric";
import { ComparisonTable } from "./comparison-table";
import { TokensChart } from "./tokens-chart";
import { ExportPanel } from "./export-panel";
import { ProgressBar, StatusBadge, treeStatusTitle } from "./status-badge";
import { useExperimentEvents } from "./use-experiment-events";
import { InfoMark } from "../ui/info-mark";
import { Pagination } from "../ui/pagination";
import { ExperimentLineageLink } from "../lineage/experiment-lineage-link";
import { problemIdShown } from "../datasets/problem-id";
import { describePrm } from "@/server/contracts";

type SortKey = "problemOrdinal" | "bestValue" | "asprShare" | "tokens" | "wallMs" | "terminals";

/** Problems per page of the table: an experiment of hundreds of problems stays a page of this many rows. */
export const PROBLEM_PAGE_SIZE = 50;

export function ExperimentDetail({ experimentId, compareId }: { experimentId: string; compareId?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // A cancelled experiment's trees stop between two steps, a moment after the experiment itself, and no event says
  // so: while one still shows as running, ask again every second.
  const experiment = useQuery({
    ...trpc.experiments.get.queryOptions({ id: experimentId }),
    refetchInterval: (query) => (query.state.data && stillStopping(query.state.data) ? STOPPING_REFRESH_MS : false),
  });
  const live = experiment.data?.status === "RUNNING" || experiment.data?.status === "QUEUED";
  useExperimentEvents(
    experimentId,
    (event) => {
      if (event.type !== "tree.progress") void queryClient.invalidateQueries({ queryKey: trpc.experiments.get.queryKey({ id: experimentId }) });
    },
    live,
  );
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.experiments.get.queryKey({ id: experimentId }) });
  const cancel = useMutation(trpc.experiments.cancel.mutationOptions({ onSuccess: invalidate }));
  const resume = useMutation(trpc.experiments.resume.mutationOptions({ onSuccess: invalidate }));
  const [sort, setSortState] = useState<{ key: SortKey; desc: boolean }>({ key: "problemOrdinal", desc: false });
  const [page, setPage] = useState(1);
  // A new order starts at its first page (the best or worst problems are what a sort is for).
  const setSort = (next: { key: SortKey; desc: boolean }) => {
    setSortState(next);
    setPage(1);
  };
  const trees = useMemo(() => sortTrees(experiment.data?.trees ?? [], sort.key, sort.desc), [experiment.data?.trees, sort]);
  const pages = Math.max(1, Math.ceil(trees.length / PROBLEM_PAGE_SIZE));
  const shownPage = Math.min(page, pages);
  const pageTrees = trees.slice((shownPage - 1) * PROBLEM_PAGE_SIZE, shownPage * PROBLEM_PAGE_SIZE);

  if (experiment.isPending) return <p className="text-sm text-slate-500">Loading…</p>;
  if (experiment.isError) return <p className="text-sm text-rose-700">{experiment.error.message}</p>;
  const e = experiment.data;
  const m = e.metrics;
  const done = e.trees.filter((t) => t.status === "DONE" || t.status === "FAILED").length;

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <Link href="/experiments" className="text-sm text-indigo-700 hover:underline">
          ← Experiments
        </Link>
        <h1 className="text-xl font-semibold" data-testid="experiment-name">
          {e.name}
        </h1>
        <StatusBadge status={e.status} />
        {/* The running count only while the experiment runs: an ended one keeps no empty slot for it. */}
        <ProgressBar done={done} total={e.trees.length} running={live ? e.trees.filter((t) => t.status === "RUNNING").length : undefined} />
        <div className="ml-auto flex gap-2">
          <Link
            href={`/experiments/${e.id}/annotate`}
            className="rounded border border-slate-300 bg-white px-3 py-1 text-sm text-slate-700 hover:bg-slate-50"
            data-testid="annotate-link"
            title="Judge pairs of sibling steps (human step preferences, exported as DPO data)"
          >
            Annotate step pairs
          </Link>
          {live ? (
            <button type="button" onClick={() => cancel.mutate({ id: e.id })} className="rounded border border-rose-300 bg-white px-3 py-1 text-sm text-rose-700 hover:bg-rose-50" data-testid="cancel">
              Cancel
            </button>
          ) : null}
          {e.status === "CANCELLED" || e.status === "FAILED" ? (
            <button type="button" onClick={() => resume.mutate({ id: e.id })} className="rounded border border-indigo-300 bg-white px-3 py-1 text-sm text-indigo-700 hover:bg-indigo-50" data-testid="resume">
              Resume
            </button>
          ) : null}
        </div>
      </div>
      {e.error ? (
        <p className="rounded border border-rose-300 bg-rose-50 px-3 py-2 text-sm text-rose-800" role="alert" data-testid="experiment-error">
          <span className="font-semibold">{e.status === "FAILED" ? "Failed: " : "Error: "}</span>
          {e.error}
        </p>
      ) : null}
      <p className="text-sm text-slate-600">
        {e.dataset} · {e.mode} · {e.model} at {e.llmBaseUrl} · R={e.config.search.rollouts} rollouts, n={e.config.search.children} children, c={e.config.search.explorationWeight} (
        {e.config.search.schedule}), depth ≤ {e.config.search.maxDepth}, α={e.config.search.alpha}, seed {e.config.seed} · search
        tests: {e.config.testSource}
        {e.config.tcgRun ? (
          <>
            {" "}from{" "}
            <Link href={`/tcg/${e.config.tcgRun}`} className="text-sky-700 hover:underline" data-testid="experiment-tcg-run">
              TCG run {e.config.tcgRun.slice(-8)}
            </Link>
          </>
        ) : null}{" "}
        · <span data-testid="experiment-prm">{describePrm(e.config.prm)}</span>
      </p>
      <ExperimentLineageLink experimentId={e.id} />
      {cancel.isError || resume.isError ? <p className="text-sm text-rose-700">{(cancel.error ?? resume.error)?.message}</p> : null}

      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Metric label="Pass@1" value={percent(m?.pass1)} definition={METRIC_DEFINITIONS.pass1} testId="metric-pass1" />
        <Metric label="ASPR" value={percent(m?.aspr)} definition={METRIC_DEFINITIONS.aspr} testId="metric-aspr" />
        <Metric label="Pass@1 (first terminal)" value={percent(m?.pass1FirstTerminal)} definition={METRIC_DEFINITIONS.pass1FirstTerminal} testId="metric-pass1-first" />
        {e.mode === "sampling" ? (
          <Metric label="pass@3 (i.i.d. samples)" value={percent(m?.passAtK?.[3])} definition={METRIC_DEFINITIONS.passAtK} />
        ) : (
          <Metric label="terminal success@3 (tree, not i.i.d.)" value={percent(m?.passAtK?.[3])} definition={METRIC_DEFINITIONS.terminalSuccessAtK} />
        )}
        <Metric label="Policy tokens / problem" value={m?.tokensPerProblem?.toFixed(0) ?? "–"} definition={METRIC_DEFINITIONS.tokens} />
        <Metric label="PRM tokens / problem" value={m?.prmTokensPerProblem?.toFixed(0) ?? "–"} definition={METRIC_DEFINITIONS.prmTokens} testId="metric-prm-tokens" />
        <Metric label="LLM calls / problem" value={m?.llmCallsPerProblem?.toFixed(1) ?? "–"} definition={METRIC_DEFINITIONS.llmCalls} />
        {m?.challenge ? (
          <Metric label={`Challenge Pass@1 (${m.challenge.problems})`} value={percent(m.challenge.pass1)} definition={METRIC_DEFINITIONS.challenge} testId="metric-challenge" />
        ) : null}
        {m?.plus ? <Metric label={`Plus Pass@1 (${m.plus.problems})`} value={percent(m.plus.pass1)} definition={METRIC_DEFINITIONS.plus} testId="metric-plus" /> : null}
      </div>
      <p className="text-xs text-slate-500" title={METRIC_DEFINITIONS.judging}>
        Judged on the benchmark&apos;s own tests, search-visible ones included; challenge and plus tests are separate verdicts.<InfoMark />
      </p>
      {m ? (
        <p className="text-xs text-slate-500">
          {m.problems} problems judged{m.failedProblems ? `, ${m.failedProblems} failed (counted as unsolved)` : ""}
          {m.unjudgedProblems ? `, ${m.unjudgedProblems} without hidden tests (not scored)` : ""} · {m.llmRetries} LLM retries · wall time {(m.wallMs / 1000).toFixed(1)} s
        </p>
      ) : (
        <p className="text-xs text-slate-500">
          {live
            ? "Metrics appear when the experiment completes; the table below fills in as problems finish."
            : `No metrics: the experiment ended (${e.status.toLowerCase()}) before any were computed; the table below shows each problem's state.`}
        </p>
      )}

      {compareId ? <ComparisonTable ids={[experimentId, compareId]} /> : null}

      <Panel title="Export training data">
        <ExportPanel experimentId={e.id} />
      </Panel>

      <Panel title={`Problems (${trees.length})`}>
        {trees.length > PROBLEM_PAGE_SIZE ? (
          <div className="mb-2">
            <Pagination page={shownPage} pageSize={PROBLEM_PAGE_SIZE} total={trees.length} onPage={setPage} />
          </div>
        ) : null}
        <table className="w-full text-left text-sm" data-testid="problem-table">
          <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <SortHeader label="#" sortKey="problemOrdinal" sort={sort} onSort={setSort} title="Position in the dataset" />
              <th className="py-2 pr-3">Problem</th>
              <th className="py-2 pr-3">Status</th>
              <th className="py-2 pr-3" title="Does the final answer (best terminal by Q/N) pass all of the benchmark's own tests (visible and hidden)?">
                Final answer<InfoMark />
              </th>
              <SortHeader label="Best Q/N" sortKey="bestValue" sort={sort} onSort={setSort} title="Value Q/N of the final answer" />
              <SortHeader label="Terminals" sortKey="terminals" sort={sort} onSort={setSort} title="Terminal samples the search drew (ASPR's denominator): identical samples share one node in the tree, but each counts here, so this can exceed the tree's terminal nodes" />
              <SortHeader label="ASPR share" sortKey="asprShare" sort={sort} onSort={setSort} title="Share of this tree's terminal samples passing all hidden tests" />
              <SortHeader label="Tokens" sortKey="tokens" sort={sort} onSort={setSort} title="Prompt + completion tokens of this problem" />
              <SortHeader label="Time" sortKey="wallMs" sort={sort} onSort={setSort} title="Wall time of this problem's search and judging" />
              <th className="py-2 pr-3" title="LLM requests retried for this problem (timeouts, 5xx, resets, malformed bodies)">
                Retries<InfoMark />
              </th>
              <th className="py-2 pr-3" title="Times a worker took this problem up; more than 1 means it was resumed after a crash, restart or LLM outage">
                Attempts<InfoMark />
              </th>
            </tr>
          </thead>
          <tbody>
            {pageTrees.map((t) => (
              <tr key={t.id} className="border-b border-slate-100" data-testid="problem-tree-row">
                <td className="py-1.5 pr-3 tabular-nums text-slate-500">{t.problemOrdinal}</td>
                <td className="max-w-md py-1.5 pr-3">
                  <Link href={`/experiments/${e.id}/trees/${t.id}`} className="flex min-w-0 items-baseline gap-2 text-indigo-700 hover:underline" data-testid="open-tree">
                    {/* The dataset's id, unless it only repeats the position in the # column ("#1 1"). */}
                    {problemIdShown(t) ? <span className="shrink-0 font-medium">{t.problemExternalId}</span> : null}
                    <span className="min-w-0 truncate text-xs text-slate-600" title={t.statement} data-testid="problem-statement">
                      {t.statement}
                    </span>
                  </Link>
                  {t.error ? <div className="text-xs text-rose-700">{t.error}</div> : null}
                </td>
                <td className="py-1.5 pr-3">
                  <StatusBadge status={t.status} title={treeStatusTitle(t.status, e.status)} />
                </td>
                <td className="py-1.5 pr-3">{t.finalAnswerPasses === null ? "–" : t.finalAnswerPasses ? <span className="text-emerald-700">✓ passes</span> : <span className="text-rose-700">✗ fails</span>}</td>
                <td className="py-1.5 pr-3 tabular-nums">{t.bestValue?.toFixed(2) ?? "–"}</td>
                <td className="py-1.5 pr-3 tabular-nums">{t.terminals ?? "–"}</td>
                <td className="py-1.5 pr-3 tabular-nums">{percent(t.asprShare, 0)}</td>
                <td className="py-1.5 pr-3 tabular-nums">{t.tokens}</td>
                <td className="py-1.5 pr-3 tabular-nums">{t.wallMs === null ? "–" : `${(t.wallMs / 1000).toFixed(1)} s`}</td>
                <td className="py-1.5 pr-3 tabular-nums" data-testid="problem-retries">{t.llmRetries}</td>
                <td className="py-1.5 pr-3 tabular-nums" data-testid="problem-attempts">{t.attempts}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {trees.length > PROBLEM_PAGE_SIZE ? (
          <div className="mt-2">
            <Pagination page={shownPage} pageSize={PROBLEM_PAGE_SIZE} total={trees.length} onPage={setPage} />
          </div>
        ) : null}
      </Panel>
      <Panel title="Tokens per problem (prompt + completion)">
        <TokensChart trees={e.trees} />
      </Panel>
    </div>
  );
}

const STOPPING_REFRESH_MS = 1000;

/** Ended (cancelled or failed) while some of its trees are still being searched. */
function stillStopping(e: { status: string; trees: readonly { status: string }[] }): boolean {
  return (e.status === "CANCELLED" || e.status === "FAILED") && e.trees.some((t) => t.status === "RUNNING");
}

type TreeRow = { problemOrdinal: number } & Partial<Record<SortKey, number | null>>;

function sortTrees<T extends TreeRow>(trees: readonly T[], key: SortKey, desc: boolean): T[] {
  const value = (t: T) => t[key] ?? Number.NEGATIVE_INFINITY;
  return [...trees].sort((a, b) => (desc ? value(b) - value(a) : value(a) - value(b)) || a.problemOrdinal - b.problemOrdinal);
}

function SortHeader(props: { label: string; sortKey: SortKey; sort: { key: SortKey; desc: boolean }; onSort(s: { key: SortKey; desc: boolean }): void; title?: string }) {
  const active = props.sort.key === props.sortKey;
  return (
    <th className="py-2 pr-3" title={props.title}>
      <button type="button" className="uppercase" onClick={() => props.onSort({ key: props.sortKey, desc: active ? !props.sort.desc : true })}>
        {props.label}
        {active ? (props.sort.desc ? " ↓" : " ↑") : ""}
      </button>
    </th>
  );
}
