"use client";

// The annotation view: one sibling pair at a time — the shared path above, steps A and B side by side — judged with
// buttons or single keys (1 / 2 / t / b, ← / →), under the annotator's remembered name.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import type { PreferenceVerdict } from "../router-types";
import type { PairDetail, QueuedPair } from "../router-types";
import { formatDecimal } from "../tree/format";
import { useTRPC } from "../trpc";
import { InfoMark } from "../ui/info-mark";
import { ExperimentAgreementNote, PairAgreementNote } from "./agreement-note";
import { SharedPath } from "./shared-path";
import { CheckedDownload } from "../ui/checked-download";
import { exportHref } from "../experiments/export-panel";
import { StepColumn } from "./step-column";
import { ANNOTATOR_KEY, BLIND_KEY, useStoredFlag, useStoredString } from "../ui/use-stored-state";
import { useSessionQueue } from "./use-session-queue";
import { useShortcuts } from "./use-shortcuts";
import { AnnotatorField, VerdictBar, type Choice } from "./verdict-bar";

/** The export panel's "DPO, human judgements" link: one builder for every export link. */
export function dpoExportUrl(experimentId: string): string {
  return exportHref(experimentId, [
    ["format", "dpo"],
    ["source", "human"],
  ]);
}

export function AnnotationWorkspace({ experimentId }: { experimentId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [storedName, setStoredName, nameLoaded] = useStoredString(ANNOTATOR_KEY, "");
  const [blind, setBlind] = useStoredFlag(BLIND_KEY, false);
  const annotator = storedName.trim();
  const experiment = useQuery(trpc.experiments.get.queryOptions({ id: experimentId }));
  const progress = useQuery({ ...trpc.annotation.queue.queryOptions({ experimentId, annotator, limit: 1 }), enabled: nameLoaded });
  const agreement = useQuery(trpc.annotation.agreement.queryOptions({ experimentId }));
  const session = useSessionQueue(experimentId, annotator, nameLoaded);
  const current = session.current;
  const pair = useQuery({ ...trpc.annotation.pair.queryOptions({ experimentId, pairKey: current?.pairKey ?? "", annotator }), enabled: current !== null });
  const [notes, setNotes] = useState<Record<string, string>>({});

  // The next pair's detail loads while this one is judged.
  const upcomingKey = session.upcoming?.pairKey;
  useEffect(() => {
    if (upcomingKey) void queryClient.prefetchQuery(trpc.annotation.pair.queryOptions({ experimentId, pairKey: upcomingKey, annotator }));
  }, [upcomingKey, experimentId, annotator, queryClient, trpc]);

  const refresh = (pairKey: string) => {
    void queryClient.invalidateQueries({ queryKey: trpc.annotation.queue.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.annotation.agreement.queryKey({ experimentId }) });
    void queryClient.invalidateQueries({ queryKey: trpc.annotation.pair.queryKey({ experimentId, pairKey, annotator }) });
  };
  const judge = useMutation(
    trpc.annotation.judge.mutationOptions({
      onSuccess: (saved) => {
        session.markDecided(saved.pairKey, true);
        refresh(saved.pairKey);
        session.next();
      },
    }),
  );
  const undo = useMutation(
    trpc.annotation.remove.mutationOptions({
      onSuccess: (_, input) => {
        session.markDecided(input.pairKey, false);
        refresh(input.pairKey);
      },
    }),
  );

  // Only the pair on screen can be judged: never act on a detail that belongs to another pair or is still loading.
  const shown: PairDetail | null = pair.data && current && pair.data.pairKey === current.pairKey ? pair.data : null;
  const busy = judge.isPending || undo.isPending;
  const note = shown ? (notes[shown.pairKey] ?? shown.mine?.note ?? "") : "";
  const choose = (choice: Choice) => {
    if (!shown || busy) return;
    const [chosen, rejected] = choice === "B" ? [shown.b, shown.a] : [shown.a, shown.b];
    const verdict: PreferenceVerdict = choice === "A" || choice === "B" ? "PREFER" : choice;
    judge.mutate({ experimentId, chosenNodeId: chosen.id, rejectedNodeId: rejected.id, verdict, annotator, note });
  };
  useShortcuts({ "1": () => choose("A"), "2": () => choose("B"), t: () => choose("TIE"), b: () => choose("BOTH_BAD"), ArrowLeft: session.previous, ArrowRight: session.next });

  const done = progress.data?.progress.done;
  const total = progress.data?.progress.total;
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <Link href={`/experiments/${experimentId}`} className="text-sm text-indigo-700 hover:underline">
          ← {experiment.data?.name ?? "Experiment"}
        </Link>
        <h1 className="text-xl font-semibold">Annotate step pairs</h1>
        <span
          className="rounded bg-slate-100 px-2 py-0.5 text-sm tabular-nums text-slate-700"
          data-testid="annotation-progress"
          data-done={done ?? ""}
          data-total={total ?? ""}
          title="Sibling pairs you have judged / all sibling pairs of this experiment (each annotator has their own progress)"
        >
          {done ?? "…"} / {total ?? "…"} judged
          <InfoMark />
        </span>
        <ExperimentAgreementNote agreement={agreement.data} />
        <span className="ml-auto">
          <CheckedDownload
            href={dpoExportUrl(experimentId)}
            className="inline-block rounded border border-indigo-300 bg-white px-3 py-1 text-sm text-indigo-700 hover:bg-indigo-50"
            testId="download-dpo"
            title="TRL preference JSONL: one record per 'A/B better' judgement of every annotator (ties and both-bad left out), with node ids and annotator as provenance"
          >
            Download DPO (human judgements)
          </CheckedDownload>
        </span>
      </div>
      <div className="flex flex-wrap items-center gap-4 rounded-lg border border-slate-200 bg-white px-4 py-2 shadow-sm">
        <AnnotatorField name={storedName} onCommit={(name) => setStoredName(name.trim())} />
        <label className="flex items-center gap-2 text-sm text-slate-700" title="Hide value Q/N, visits N, PRM score, rewards, test outcomes and other annotators' verdicts">
          <input type="checkbox" checked={blind} onChange={(e) => setBlind(e.target.checked)} data-testid="blind-toggle" />
          Blind mode
        </label>
        <span className="ml-auto text-xs text-slate-500">
          Pairs are siblings: two steps the policy proposed for the same prompt. Largest value disagreement first.
        </span>
      </div>
      <PairArea
        current={current}
        shown={shown}
        loading={session.loading || (current !== null && !shown && !pair.isError)}
        finished={session.finished}
        error={session.error ?? (pair.isError ? pair.error.message : null)}
        blind={blind}
        annotator={annotator}
        position={session.cursor}
      />
      {shown ? (
        <>
          <VerdictBar
            pair={shown}
            busy={busy}
            note={note}
            onNote={(text) => setNotes((all) => ({ ...all, [shown.pairKey]: text }))}
            onChoose={choose}
            onPrevious={session.previous}
            onNext={session.next}
            canPrevious={session.cursor > 0}
            onUndo={() => undo.mutate({ experimentId, pairKey: shown.pairKey, annotator })}
          />
          {judge.isError || undo.isError ? (
            <p className="text-sm text-rose-700" data-testid="annotation-error">
              {(judge.error ?? undo.error)?.message}
            </p>
          ) : null}
          <PairAgreementNote pair={shown} annotator={annotator} blind={blind} />
        </>
      ) : null}
    </div>
  );
}

function PairArea(props: {
  current: QueuedPair | null;
  shown: PairDetail | null;
  loading: boolean;
  finished: boolean;
  error: string | null;
  blind: boolean;
  annotator: string;
  position: number;
}) {
  const { current, shown, blind } = props;
  if (props.error) return <p className="text-sm text-rose-700">{props.error}</p>;
  if (props.finished && !current) {
    return (
      <p className="rounded-lg border border-emerald-200 bg-emerald-50 px-4 py-6 text-center text-sm text-emerald-800" data-testid="queue-finished">
        No undecided pairs left for {props.annotator || "anonymous"}. Press ← to revisit the pairs of this session.
      </p>
    );
  }
  if (!current || !shown) return <p className="text-sm text-slate-500" data-testid="pair-loading">{props.loading ? "Loading pair…" : "No sibling pairs in this experiment yet."}</p>;
  const mine = shown.mine;
  const verdictOf = (id: string) => (!mine || mine.verdict !== "PREFER" ? null : mine.chosenNodeId === id ? "chosen" : "rejected");
  return (
    <div className="flex flex-col gap-3" data-testid="pair-view" data-pair-key={shown.pairKey} data-my-verdict={mine ? mine.verdict : "none"}>
      <div className="flex flex-wrap items-baseline gap-3 text-sm text-slate-600">
        <span>
          Pair {props.position + 1} of this session · problem {current.problemExternalId} · step {current.depth}
        </span>
        {blind ? null : (
          <span className="tabular-nums" title="|Q/N of A − Q/N of B| × m/(m+1), m = the smaller visit count: how strongly the search's values disagree, trusted more with more visits">
            value disagreement {formatDecimal(current.informativeness, 3)}
            <InfoMark />
          </span>
        )}
        {mine ? (
          <span className="rounded bg-indigo-50 px-2 py-0.5 text-xs text-indigo-800" data-testid="my-verdict">
            you judged: {mine.verdict === "PREFER" ? (mine.chosenNodeId === shown.a.id ? "A better" : "B better") : mine.verdict === "TIE" ? "tie" : "both bad"}
          </span>
        ) : null}
      </div>
      <SharedPath pair={shown} />
      <div className="grid gap-3 lg:grid-cols-2">
        <StepColumn side="A" step={shown.a} blind={blind} verdict={verdictOf(shown.a.id)} />
        <StepColumn side="B" step={shown.b} blind={blind} verdict={verdictOf(shown.b.id)} />
      </div>
    </div>
  );
}
