"use client";

// One loop: status with cancel / resume, the held-out Pass@1 / ASPR / tokens per iteration, and a stage timeline per
// iteration with its experiments and training jobs, whose log tails update live while the loop runs.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { STAGES, stageApplies } from "@/server/contracts";
import { ChartLegend, IterationLineChart, type ChartLine } from "../lineage/iteration-line-chart";
import { Panel } from "../ui/panel";
import { useTRPC } from "../trpc";

const pct = (v: number | null) => (v === null ? "–" : `${(v * 100).toFixed(1)}%`);

type StageState = "done" | "current" | "pending" | "skipped";

function stageState(stage: (typeof STAGES)[number], iteration: number, iterations: number, at: { iteration: number; stage: string }): StageState {
  if (!stageApplies(stage, iteration, iterations)) return "skipped";
  if (at.stage === "done" || iteration < at.iteration) return "done";
  if (iteration > at.iteration) return "pending";
  const here = STAGES.indexOf(at.stage as (typeof STAGES)[number]);
  const index = STAGES.indexOf(stage);
  return index < here ? "done" : index === here ? "current" : "pending";
}

const STAGE_STYLE: Record<StageState, string> = {
  done: "border-emerald-300 bg-emerald-50 text-emerald-800",
  current: "border-indigo-400 bg-indigo-50 text-indigo-800 font-semibold",
  pending: "border-slate-200 bg-white text-slate-500",
  skipped: "border-dashed border-slate-200 bg-white text-slate-300",
};

export function LoopDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const loop = useQuery({
    ...trpc.loops.get.queryOptions({ id }),
    // Fast while it runs; slower otherwise, so a loop resumed elsewhere (o1c loop run) shows up here too.
    refetchInterval: (query) => (query.state.data && ["running", "queued"].includes(query.state.data.status) ? 1_000 : 3_000),
  });
  const refresh = () => queryClient.invalidateQueries(trpc.loops.get.queryFilter({ id }));
  const cancel = useMutation(trpc.loops.cancel.mutationOptions({ onSuccess: refresh }));
  const resume = useMutation(trpc.loops.resume.mutationOptions({ onSuccess: refresh }));
  if (loop.isLoading) return <p className="text-sm text-slate-500">Loading…</p>;
  if (loop.error || !loop.data) return <p className="text-sm text-rose-700">{loop.error?.message ?? "not found"}</p>;
  const data = loop.data;
  const K = data.config.iterations;
  const evaluated = data.iterations.filter((it) => it.eval.pass1 !== null);
  const point = (value: (it: (typeof evaluated)[number]) => number | null) =>
    evaluated.flatMap((it) => (value(it) === null ? [] : [{ iteration: it.iteration, value: value(it)!, experimentName: `iteration ${it.iteration} held-out eval` }]));
  const accuracy: ChartLine[] = [
    { key: "pass1", label: "held-out Pass@1", color: "#4f46e5", points: point((it) => it.eval.pass1) },
    { key: "aspr", label: "held-out ASPR", color: "#059669", dashed: true, points: point((it) => it.eval.aspr) },
  ];
  const tokens: ChartLine[] = [{ key: "tokens", label: "tokens per problem", color: "#d97706", points: point((it) => it.eval.tokensPerProblem) }];
  const maxTokens = Math.max(1, ...tokens[0]!.points.map((p) => p.value));
  const error = cancel.error?.message ?? resume.error?.message;

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center gap-4">
        <h1 className="text-xl font-semibold">{data.lineage}</h1>
        <span className="rounded bg-slate-100 px-2 py-0.5 text-sm" data-testid="loop-status">
          {data.status}
        </span>
        <span className="text-sm text-slate-600" data-testid="loop-position">
          {data.stage === "done" ? "all iterations done" : `iteration ${data.iteration} · ${data.stage}`}
        </span>
        {["running", "queued"].includes(data.status) ? (
          <button onClick={() => cancel.mutate({ id })} className="rounded border border-rose-300 px-2 py-1 text-sm text-rose-700 hover:bg-rose-50" data-testid="loop-cancel">
            Cancel
          </button>
        ) : null}
        {["cancelled", "failed"].includes(data.status) || (data.status === "running" && !data.runningOn) ? (
          <button onClick={() => resume.mutate({ id })} className="rounded border border-indigo-300 px-2 py-1 text-sm text-indigo-700 hover:bg-indigo-50" data-testid="loop-resume">
            Resume
          </button>
        ) : null}
        <Link href={`/lineages`} className="text-sm text-indigo-700 hover:underline">
          lineage page
        </Link>
      </div>
      {data.error ? (
        <p className="rounded border border-rose-200 bg-rose-50 p-2 text-sm text-rose-800" data-testid="loop-error">
          {data.error}
        </p>
      ) : null}
      {error ? <p className="text-sm text-rose-700">{error}</p> : null}

      <Panel title="Held-out evaluation per iteration">
        {evaluated.length === 0 ? (
          <p className="text-sm text-slate-500">No evaluation finished yet.</p>
        ) : (
          <div className="flex flex-col gap-3" data-testid="loop-chart">
            <ChartLegend lines={[...accuracy, ...tokens]} />
            <IterationLineChart lines={accuracy} iterations={data.iterations.map((i) => i.iteration)} yDomain={[0, 1]} formatY={(v) => `${(v * 100).toFixed(0)}%`} ariaLabel="held-out Pass@1 and ASPR per iteration" />
            <IterationLineChart lines={tokens} iterations={data.iterations.map((i) => i.iteration)} yDomain={[0, maxTokens]} formatY={(v) => v.toFixed(0)} ariaLabel="tokens per problem per iteration" height={140} />
          </div>
        )}
      </Panel>

      {data.iterations.map((it) => (
        <Panel key={it.iteration} title={`Iteration ${it.iteration}${it.iteration === 0 ? " (base policy)" : ""}`}>
          <div className="flex flex-col gap-3" data-testid={`loop-iteration-${it.iteration}`}>
            <ol className="flex flex-wrap gap-2 text-xs">
              {STAGES.map((stage) => {
                const state = stageState(stage, it.iteration, K, data);
                return (
                  <li key={stage} className={`rounded border px-2 py-1 ${STAGE_STYLE[state]}`} data-testid="loop-stage" data-state={state}>
                    {stage}
                  </li>
                );
              })}
            </ol>
            <div className="grid gap-1 text-sm md:grid-cols-2">
              <span>
                Policy: <code className="text-xs">{it.model ?? "–"}</code>
              </span>
              <span data-testid="loop-eval">
                Held-out Pass@1 {pct(it.eval.pass1)} · ASPR {pct(it.eval.aspr)} · tokens/problem {it.eval.tokensPerProblem?.toFixed(0) ?? "–"}
              </span>
              {it.evalExperimentId ? (
                <Link href={`/experiments/${it.evalExperimentId}`} className="text-indigo-700 hover:underline">
                  held-out evaluation
                </Link>
              ) : null}
              {it.searchExperimentId ? (
                <Link href={`/experiments/${it.searchExperimentId}`} className="text-indigo-700 hover:underline">
                  train-split search
                </Link>
              ) : null}
            </div>
            {data.jobs
              .filter((job) => job.iteration === it.iteration)
              .map((job) => (
                <div key={job.id} className="rounded border border-slate-200" data-testid="loop-job">
                  <div className="flex flex-wrap gap-3 border-b border-slate-200 bg-slate-50 px-2 py-1 text-xs">
                    <span className="font-semibold">{job.recipe}</span>
                    <span data-testid="loop-job-status">{job.status.toLowerCase()}</span>
                    <span>attempt {job.attempt}</span>
                    <span>{job.backend}</span>
                    <span className="truncate text-slate-500">{job.outputPath}</span>
                    {job.error ? <span className="text-rose-700">{job.error}</span> : null}
                  </div>
                  <pre className="max-h-48 overflow-auto whitespace-pre-wrap p-2 text-xs text-slate-700" data-testid="loop-job-log">
                    {job.logTail || "(no output yet)"}
                  </pre>
                </div>
              ))}
          </div>
        </Panel>
      ))}
    </div>
  );
}
