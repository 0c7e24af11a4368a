"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { Pagination } from "../ui/pagination";
import { Panel } from "../ui/panel";
import { useTRPC } from "../trpc";
import { ProblemDetail } from "./problem-detail";

const PAGE_SIZE = 25;

/** Problems of one dataset, paginated and searchable, with the selected problem's details beside the list. */
export function ProblemBrowser({ datasetId }: { datasetId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const page = Math.max(1, Number(params.get("page") ?? 1) || 1);
  const selectedId = params.get("problem");
  const [search, setSearch] = useState(params.get("q") ?? "");

  const datasets = useQuery(trpc.datasets.list.queryOptions());
  const dataset = datasets.data?.find((d) => d.id === datasetId);
  const problems = useQuery({
    ...trpc.datasets.problems.queryOptions({ datasetId, page, pageSize: PAGE_SIZE, search: params.get("q") || undefined }),
    placeholderData: keepPreviousData,
  });

  function navigate(changes: Record<string, string | null>) {
    const next = new URLSearchParams(params.toString());
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    router.replace(`${pathname}?${next.toString()}`, { scroll: false });
  }

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-baseline gap-3">
        <Link href="/datasets" className="text-sm text-indigo-700 hover:underline">
          ← Datasets
        </Link>
        <h1 className="text-xl font-semibold" data-testid="dataset-title">
          {dataset?.name ?? "Dataset"}
        </h1>
        {dataset ? (
          <span className="text-sm text-slate-500">
            {dataset.format} · {dataset.problemCount} problems · {dataset.visibleTestCount} search-visible / {dataset.hiddenTestCount} hidden tests
          </span>
        ) : null}
      </div>
      <div className="grid gap-4 lg:grid-cols-[minmax(0,5fr)_minmax(0,7fr)]">
        <Panel
          title="Problems"
          actions={
            <form
              onSubmit={(e) => {
                e.preventDefault();
                navigate({ q: search.trim() || null, page: null });
              }}
            >
              <input
                value={search}
                onChange={(e) => setSearch(e.target.value)}
                placeholder="Search id or statement"
                aria-label="Search problems by id or statement"
                className="w-56 rounded border border-slate-300 px-2 py-1 text-sm"
                data-testid="problem-search"
              />
            </form>
          }
        >
          {problems.isError ? <p className="text-sm text-rose-700">{problems.error.message}</p> : null}
          {problems.data ? (
            <div className="flex flex-col gap-3">
              <ul className="divide-y divide-slate-100" data-testid="problem-list">
                {problems.data.problems.map((p) => (
                  <li key={p.id}>
                    <button
                      type="button"
                      onClick={() => navigate({ problem: p.id })}
                      className={`flex w-full flex-col gap-0.5 px-2 py-2 text-left hover:bg-slate-50 ${p.id === selectedId ? "bg-indigo-50" : ""}`}
                      data-testid="problem-row"
                    >
                      <span className="flex items-center gap-2 text-xs text-slate-500">
                        <span className="font-mono">#{p.ordinal}</span>
                        <span className="font-mono">{p.externalId}</span>
                        {p.entryPoint ? <span className="font-mono text-slate-700">{p.entryPoint}()</span> : null}
                        <span className="ml-auto" title="search-visible / hidden tests">
                          {p.visibleTestCount} vis / {p.hiddenTestCount} hid
                        </span>
                      </span>
                      <span className="line-clamp-2 text-sm text-slate-800">{p.statement}</span>
                    </button>
                  </li>
                ))}
              </ul>
              {problems.data.problems.length === 0 ? <p className="text-sm text-slate-500">No problems match.</p> : null}
              <Pagination page={page} pageSize={PAGE_SIZE} total={problems.data.total} onPage={(n) => navigate({ page: String(n) })} />
            </div>
          ) : (
            <p className="text-sm text-slate-500">Loading…</p>
          )}
        </Panel>
        {selectedId ? (
          <ProblemDetail problemId={selectedId} />
        ) : (
          <Panel>
            <p className="text-sm text-slate-500">Select a problem to see its statement, tests and reference solution.</p>
          </Panel>
        )}
      </div>
    </div>
  );
}
