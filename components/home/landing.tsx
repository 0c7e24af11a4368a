"use client";

// The landing page: what the tool does, the three steps to a first experiment, what the database holds now and the
// LLM servers the latest experiments used, so a new user sees where to start instead of an empty list.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Panel } from "../ui/panel";
import { useTRPC } from "../trpc";

const SCRIPTED_SERVER_RECIPE = `npx tsx test/fixtures/serve-scripted-llm.ts ../shared/datasets/mbpp.jsonl --format mbpp --port 8011 &
npx o1c import ../shared/datasets/mbpp.jsonl --format mbpp
npx o1c run --dataset mbpp --problems 1-20 --mode pseudocode --llm http://127.0.0.1:8011/v1 --model m`;

export function Landing() {
  const trpc = useTRPC();
  const datasets = useQuery(trpc.datasets.list.queryOptions());
  const experiments = useQuery(trpc.experiments.list.queryOptions({}));
  const problems = datasets.data?.reduce((sum, d) => sum + d.problemCount, 0) ?? 0;
  const hasMbpp = datasets.data?.some((d) => d.name.toLowerCase().includes("mbpp")) ?? false;
  const endpoints = lastEndpoints(experiments.data ?? []);

  return (
    <div className="flex flex-col gap-4" data-testid="landing">
      <div>
        <h1 className="text-xl font-semibold">O1-Coder Studio</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-700">
          Replicates the O1-CODER pipeline on your own LLM server: Monte Carlo Tree Search over reasoning steps (pseudocode first, then code), rewarded by
          executed tests, with a process reward model scoring the steps. Watch the trees grow, compare vanilla and pseudocode reasoning (the paper&apos;s Table 1),
          annotate step preferences and export SFT / DPO / PRM data for TRL.
        </p>
      </div>

      <Panel title="A first experiment in three steps">
        <ol className="list-decimal space-y-2 pl-5 text-sm text-slate-700" data-testid="first-steps">
          <li>
            <Link href="/datasets" className="text-indigo-700 hover:underline" data-testid="import-link">
              Import a benchmark
            </Link>{" "}
            — MBPP&apos;s <code>mbpp.jsonl</code> (format <code>mbpp</code>) on the Datasets page, or <code>npx o1c import mbpp.jsonl --format mbpp</code>.
            {hasMbpp ? <span className="text-emerald-700"> MBPP is imported.</span> : null}
          </li>
          <li>
            Serve a model behind an OpenAI-compatible endpoint (vLLM: <code>vllm serve &lt;model&gt;</code>), or, without a GPU, the scripted test server
            below.
          </li>
          <li>
            <Link href="/experiments/new" className="text-indigo-700 hover:underline" data-testid="new-experiment-link">
              Launch an experiment
            </Link>{" "}
            — pick problems, enter the endpoint, &quot;Test connection&quot;, launch, and open a problem&apos;s tree.
          </li>
        </ol>
      </Panel>

      <div className="grid gap-4 md:grid-cols-2">
        <Panel title="Database">
          {datasets.isError || experiments.isError ? (
            <p className="text-sm text-rose-700">The database could not be read: {(datasets.error ?? experiments.error)?.message}</p>
          ) : (
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="database-state">
              <dt className="text-slate-500">Datasets</dt>
              <dd>{datasets.data ? `${datasets.data.length} (${problems} problems)` : "…"}</dd>
              <dt className="text-slate-500">Experiments</dt>
              <dd>
                {experiments.data ? (
                  <Link href="/experiments" className="text-indigo-700 hover:underline">
                    {experiments.data.length} ({experiments.data.filter((e) => e.status === "RUNNING" || e.status === "QUEUED").length} running or queued)
                  </Link>
                ) : (
                  "…"
                )}
              </dd>
            </dl>
          )}
        </Panel>
        <Panel title="LLM endpoints last used">
          {endpoints.length === 0 ? (
            <p className="text-sm text-slate-500" data-testid="endpoints">
              None yet: your first experiment&apos;s endpoint will show here.
            </p>
          ) : (
            <ul className="space-y-1 text-sm" data-testid="endpoints">
              {endpoints.map((e) => (
                <li key={`${e.url} ${e.model}`}>
                  <code>{e.url}</code> <span className="text-slate-500">· {e.model}</span>
                </li>
              ))}
            </ul>
          )}
        </Panel>
      </div>

      <Panel title="Try it without a GPU: the scripted LLM server">
        <p className="mb-2 text-sm text-slate-700">
          From the repository, as in the README (&quot;Run experiments&quot;): a scripted OpenAI-compatible server that the tests use, MBPP imported, and a
          run against it.
        </p>
        <pre className="overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100" data-testid="scripted-recipe">
          {SCRIPTED_SERVER_RECIPE}
        </pre>
      </Panel>
    </div>
  );
}

/** The distinct endpoint + model pairs of the newest experiments, newest first (at most 5). */
function lastEndpoints(experiments: readonly { endpoints: string[]; model: string }[]): { url: string; model: string }[] {
  const seen = new Map<string, { url: string; model: string }>();
  for (const e of experiments) for (const url of e.endpoints) if (!seen.has(`${url} ${e.model}`)) seen.set(`${url} ${e.model}`, { url, model: e.model });
  return [...seen.values()].slice(0, 5);
}
