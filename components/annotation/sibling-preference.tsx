"use client";

// From the tree explorer: pick a sibling of the inspected node and say which of the two steps is better. Stores the
// same HUMAN judgement as the annotation view, under the annotator name remembered in this browser.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { formatDecimal, nodeValue } from "../tree/format";
import type { TreeNodeView } from "../tree/types";
import { useTRPC } from "../trpc";
import { Panel } from "../ui/panel";
import { ANNOTATOR_KEY, useStoredString } from "../ui/use-stored-state";
import { AnnotatorField } from "./verdict-bar";

export function SiblingPreference(props: { experimentId: string; nodeId: string; nodes: readonly TreeNodeView[]; onInspect(nodeId: string): void }) {
  const { experimentId, nodeId } = props;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [storedName, setStoredName] = useStoredString(ANNOTATOR_KEY, "");
  const annotator = storedName.trim();
  const node = props.nodes.find((n) => n.id === nodeId);
  const siblings = node?.parentId ? props.nodes.filter((n) => n.parentId === node.parentId && n.id !== nodeId) : [];
  const [pickedFor, setPickedFor] = useState<{ nodeId: string; otherId: string } | null>(null);
  // A pick belongs to the node it was made for: selecting another node starts over.
  const otherId = pickedFor?.nodeId === nodeId ? pickedFor.otherId : "";
  const other = siblings.find((s) => s.id === otherId) ?? null;
  const pairKey = other ? (nodeId < other.id ? `${nodeId}|${other.id}` : `${other.id}|${nodeId}`) : "";
  const existing = useQuery({ ...trpc.annotation.pair.queryOptions({ experimentId, pairKey, annotator }), enabled: other !== null });
  const judge = useMutation(
    trpc.annotation.judge.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.annotation.pair.queryKey({ experimentId, pairKey, annotator }) });
        void queryClient.invalidateQueries({ queryKey: trpc.annotation.queue.queryKey() });
      },
    }),
  );
  if (!node || siblings.length === 0) return null;
  const mine = existing.data?.mine ?? null;
  const label = (n: TreeNodeView) => `#${n.seq} · ${n.actionKind} · Q/N ${formatDecimal(nodeValue(n))}, N=${n.visits}`;
  const prefer = (chosenNodeId: string, rejectedNodeId: string) => judge.mutate({ experimentId, chosenNodeId, rejectedNodeId, verdict: "PREFER", annotator });

  return (
    <Panel title="Step preference" className="mt-3">
      <div className="flex flex-col gap-2 text-sm" data-testid="sibling-preference">
        <label className="flex flex-wrap items-center gap-2">
          Compare #{node.seq} with sibling
          <select
            value={otherId}
            onChange={(e) => setPickedFor({ nodeId, otherId: e.target.value })}
            className="rounded border border-slate-300 px-2 py-1 text-sm"
            data-testid="compare-sibling"
          >
            <option value="">choose…</option>
            {siblings.map((s) => (
              <option key={s.id} value={s.id}>
                {label(s)}
              </option>
            ))}
          </select>
        </label>
        {other ? (
          <>
            <div className="flex flex-wrap items-center gap-2">
              <button type="button" disabled={judge.isPending} onClick={() => prefer(nodeId, other.id)} className="rounded border border-emerald-300 bg-white px-3 py-1 text-emerald-800 hover:bg-emerald-50 disabled:opacity-50" data-testid="prefer-this">
                Prefer this one (#{node.seq})
              </button>
              <button type="button" disabled={judge.isPending} onClick={() => prefer(other.id, nodeId)} className="rounded border border-emerald-300 bg-white px-3 py-1 text-emerald-800 hover:bg-emerald-50 disabled:opacity-50" data-testid="prefer-other">
                Prefer the other (#{other.seq})
              </button>
              <button type="button" onClick={() => props.onInspect(other.id)} className="text-indigo-700 hover:underline">
                inspect #{other.seq}
              </button>
            </div>
            <p className="text-xs text-slate-500" data-testid="sibling-verdict">
              {mine
                ? `You (${annotator || "anonymous"}) judged: ${mine.verdict === "PREFER" ? `#${mine.chosenNodeId === nodeId ? node.seq : other.seq} better` : mine.verdict === "TIE" ? "tie" : "both bad"}.`
                : `Not judged by ${annotator || "anonymous"} yet.`}{" "}
              {existing.data && existing.data.judgements.length > (mine ? 1 : 0) ? `${existing.data.judgements.length - (mine ? 1 : 0)} other annotator(s) judged this pair.` : null}{" "}
              <Link href={`/experiments/${experimentId}/annotate`} className="text-indigo-700 hover:underline">
                Annotation view
              </Link>
            </p>
            {judge.isError ? <p className="text-xs text-rose-700">{judge.error.message}</p> : null}
          </>
        ) : null}
        <AnnotatorField name={storedName} onCommit={(name) => setStoredName(name.trim())} />
      </div>
    </Panel>
  );
}
