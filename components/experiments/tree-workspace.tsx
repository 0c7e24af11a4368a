"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { use, useCallback, useEffect, useRef, useState, useSyncExternalStore } from "react";
import { decodeTreeColumns } from "@/server/definitions";
import { SiblingPreference } from "../annotation/sibling-preference";
import { markFirstRender } from "../tree/first-render-marks";
import { NodeInspector } from "../tree/node-inspector";
import { TreeExplorer } from "../tree/tree-explorer";
import { useWindowHeight } from "../tree/use-window-height";
import type { TreeNodeView, TreeView } from "../tree/types";
import { IntentLink } from "../ui/intent-link";
import { Panel } from "../ui/panel";
import { useTRPC } from "../trpc";
import type { RouterOutputs } from "../router-types";
import { StatusBadge } from "./status-badge";
import { useExperimentEvents, type ExperimentEvent } from "./use-experiment-events";

interface ProgressPayload {
  treeId: string;
  rolloutsDone: number | null;
  nodes: Array<Omit<TreeNodeView, "prmScore" | "visible" | "hidden"> & { prmScore?: number | null }>;
  updates: Array<{ id: string; visits: number; valueSum: number }>;
}

/**
 * Folds live progress events (in order) into the tree: new nodes appended, Q/N of existing nodes replaced. One pass
 * over the tree whatever the batch's size, looking each node up among the batch's ids (a few) rather than indexing
 * the tree's ids (100,000 in a big tree) per event. Untouched nodes keep their objects, so the layout sees appends.
 */
export function applyProgress(tree: TreeView, ...batch: ProgressPayload[]): TreeView {
  const updates = new Map<string, { visits: number; valueSum: number }>();
  const incoming = new Map<string, ProgressPayload["nodes"][number]>();
  for (const payload of batch) {
    for (const u of payload.updates) updates.set(u.id, u);
    for (const n of payload.nodes) if (!incoming.has(n.id)) incoming.set(n.id, n);
  }
  const known = new Set<string>();
  const nodes = tree.nodes.map((n) => {
    if (incoming.has(n.id)) known.add(n.id);
    const u = updates.get(n.id);
    return u ? { ...n, visits: u.visits, valueSum: u.valueSum } : n;
  });
  for (const n of incoming.values()) {
    if (known.has(n.id)) continue;
    const u = updates.get(n.id); // a later event in the batch already updated a node an earlier one brought
    nodes.push({ ...n, ...(u ? { visits: u.visits, valueSum: u.valueSum } : {}), prmScore: n.prmScore ?? null, visible: null, hidden: null });
  }
  return { ...tree, nodes };
}

function subscribeNever(): () => void {
  return () => {};
}

type TreeData = RouterOutputs["experiments"]["tree"];

/**
 * One problem's tree, live while the experiment runs, with the selected node's inspector beside it.
 *
 * The server renders only "Loading tree…" and the browser reads the streamed tree after hydration: decoding and
 * laying out 100,000 nodes on the server (and again while hydrating) delayed the page's HTML and scripts by hundreds
 * of milliseconds for markup the canvas replaces anyway. The promise is not read on the server either, so its render
 * does not wait for the tree query: the workspace hydrates with the rest of the page, as soon as the scripts have run,
 * instead of as a Suspense boundary whose HTML came with the query's result and was revealed and hydrated animation
 * frames after it arrived. The tree itself still comes in the same response.
 */
export function TreeWorkspace({
  experimentId,
  treeId,
  initialTree,
}: {
  experimentId: string;
  treeId: string;
  /** The tree as the page's server render read it (streamed with the page); null when that failed. */
  initialTree?: Promise<TreeData | null>;
}) {
  const hydrated = useSyncExternalStore(subscribeNever, () => true, () => false);
  if (!hydrated) return <p className="text-sm text-slate-500">Loading tree…</p>;
  // Suspends (the page's Suspense shows the same text) only if the tree has not arrived by the end of hydration.
  const initial = initialTree ? use(initialTree) : null;
  return <LoadedTreeWorkspace experimentId={experimentId} treeId={treeId} initial={initial} />;
}

function LoadedTreeWorkspace({ experimentId, treeId, initial }: { experimentId: string; treeId: string; initial: TreeData | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Never stale by age: live events keep the tree current, and a finished tree invalidates the query explicitly.
  const fetched = useQuery({ ...trpc.experiments.tree.queryOptions({ treeId }), initialData: initial ?? undefined, staleTime: Infinity });
  const [tree, setTree] = useState<TreeView | null>(null);
  const [rolloutsDone, setRolloutsDone] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  // The drawing takes what the window has left after the header and the legend (~300 px), within sensible bounds.
  const treeHeight = Math.min(900, Math.max(420, useWindowHeight(940) - 300));
  const node = useQuery({ ...trpc.experiments.node.queryOptions({ nodeId: selected ?? "" }), enabled: selected !== null });

  // Each fetch (first load, reload after the tree finished) replaces the live-folded tree. Adjusted while rendering,
  // not in an effect, so the page never paints the previous tree under the new data.
  const [loaded, setLoaded] = useState<typeof fetched.data>(undefined);
  if (fetched.data && fetched.data !== loaded) {
    setLoaded(fetched.data);
    markFirstRender("o1c:tree-decode-start");
    const nodes = decodeTreeColumns(fetched.data.columns);
    markFirstRender("o1c:tree-decoded");
    setTree({ treeId, finalNodeId: fetched.data.finalNodeId, nodes, prmMode: fetched.data.prmMode });
    setRolloutsDone(fetched.data.rolloutsDone);
  }

  const live = fetched.data ? fetched.data.status === "PENDING" || fetched.data.status === "RUNNING" : false;
  // Progress events that arrive within one animation frame are folded in together: one new tree, one layout.
  const pending = useRef<{ events: ProgressPayload[]; frame: number }>({ events: [], frame: 0 });
  useEffect(() => () => cancelAnimationFrame(pending.current.frame), []);
  const onEvent = useCallback(
    (event: ExperimentEvent) => {
      const payload = event.payload as { treeId?: string };
      if (payload.treeId !== treeId) return;
      if (event.type === "tree.progress") {
        const progress = event.payload as ProgressPayload;
        const queue = pending.current;
        queue.events.push(progress);
        queue.frame ||= requestAnimationFrame(() => {
          const batch = queue.events;
          queue.events = [];
          queue.frame = 0;
          setTree((current) => (current ? applyProgress(current, ...batch) : current));
        });
        if (progress.rolloutsDone !== null) setRolloutsDone(progress.rolloutsDone);
      } else {
        // Finished or failed: reload for the final answer and the hidden-test verdicts. Progress still waiting for a
        // frame (frames pause in a background tab) is older than that reload and must not be folded in after it.
        cancelAnimationFrame(pending.current.frame);
        pending.current = { events: [], frame: 0 };
        void queryClient.invalidateQueries({ queryKey: trpc.experiments.tree.queryKey({ treeId }) });
      }
    },
    [queryClient, treeId, trpc],
  );
  useExperimentEvents(experimentId, onEvent, live);

  if (fetched.isError) return <p className="text-sm text-rose-700">{fetched.error.message}</p>;
  if (!fetched.data || !tree) return <p className="text-sm text-slate-500">Loading tree…</p>;
  const info = fetched.data;
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-3">
        <IntentLink href={`/experiments/${experimentId}`} className="text-sm text-indigo-700 hover:underline">
          ← {info.experiment.name}
        </IntentLink>
        <h1 className="text-lg font-semibold">Problem {info.problem.externalId}</h1>
        <StatusBadge status={info.status} />
        <span className="text-sm tabular-nums text-slate-600" data-testid="tree-stats" title="Rollouts completed / configured; nodes in the tree">
          rollouts {rolloutsDone}/{info.rollouts} · <span data-testid="node-count">{tree.nodes.length}</span> nodes
        </span>
      </div>
      <p className="line-clamp-2 text-sm text-slate-600">{info.problem.statement}</p>
      {info.error ? <p className="text-sm text-rose-700">{info.error}</p> : null}
      <div className="grid gap-3 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        {/* Beside a long inspector the tree stays in view (sticky) instead of a panel stretched around blank space. */}
        <Panel className="min-w-0 xl:sticky xl:top-3 xl:self-start">
          <TreeExplorer tree={tree} selectedId={selected} onSelect={setSelected} height={treeHeight} />
        </Panel>
        <div className="min-w-0">
          {selected ? (
            <>
              <NodeInspector node={node.data ?? null} loading={node.isPending} />
              <SiblingPreference experimentId={experimentId} nodeId={selected} nodes={tree.nodes} onInspect={setSelected} />
            </>
          ) : (
            <Panel>
              <p className="text-sm text-slate-500">Click a node to inspect its step, statistics and test outcomes.</p>
            </Panel>
          )}
        </div>
      </div>
    </div>
  );
}
