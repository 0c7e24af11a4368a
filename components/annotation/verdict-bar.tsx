"use client";

// The judgement controls: verdict buttons with their keys, an optional note, navigation and undo; and the
// annotator's name field. Keys typed into the name or note never trigger a verdict (see use-shortcuts.ts).
import { useState, type ReactNode } from "react";
import type { PairDetail } from "../router-types";

export type Choice = "A" | "B" | "TIE" | "BOTH_BAD";

const NOTE_LIMIT = 2_000;

export function VerdictBar(props: {
  pair: PairDetail;
  busy: boolean;
  note: string;
  onNote(text: string): void;
  onChoose(choice: Choice): void;
  onPrevious(): void;
  onNext(): void;
  canPrevious: boolean;
  onUndo(): void;
}) {
  const { busy, onChoose } = props;
  return (
    <div className="sticky bottom-0 z-10 flex flex-col gap-3 rounded-lg border border-slate-200 bg-white/95 p-4 shadow-md backdrop-blur" data-testid="verdict-bar" aria-busy={busy}>
      <div className="flex flex-wrap items-center gap-2">
        <VerdictButton keyHint="1" testId="verdict-a" disabled={busy} onClick={() => onChoose("A")} tone="emerald">
          A is better
        </VerdictButton>
        <VerdictButton keyHint="2" testId="verdict-b" disabled={busy} onClick={() => onChoose("B")} tone="emerald">
          B is better
        </VerdictButton>
        <VerdictButton keyHint="t" testId="verdict-tie" disabled={busy} onClick={() => onChoose("TIE")} tone="slate">
          Tie
        </VerdictButton>
        <VerdictButton keyHint="b" testId="verdict-both-bad" disabled={busy} onClick={() => onChoose("BOTH_BAD")} tone="rose">
          Both bad
        </VerdictButton>
        <span className="mx-2 h-6 w-px bg-slate-200" />
        <VerdictButton keyHint="←" testId="previous-pair" disabled={!props.canPrevious} onClick={props.onPrevious} tone="slate">
          Previous
        </VerdictButton>
        <VerdictButton keyHint="→" testId="next-pair" onClick={props.onNext} tone="slate">
          Next (skip)
        </VerdictButton>
        {props.pair.mine ? (
          <button type="button" onClick={props.onUndo} disabled={busy} className="ml-auto text-sm text-rose-700 hover:underline disabled:opacity-50" data-testid="undo-judgement">
            Remove my judgement
          </button>
        ) : null}
      </div>
      <label className="flex flex-col gap-1 text-xs text-slate-500">
        Note (optional, saved with your verdict; ≤ {NOTE_LIMIT.toLocaleString("en-US")} characters)
        <textarea
          value={props.note}
          maxLength={NOTE_LIMIT}
          onChange={(e) => props.onNote(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Escape") e.currentTarget.blur();
          }}
          rows={2}
          className="rounded border border-slate-300 px-2 py-1 text-sm text-slate-900"
          placeholder="Why? (Esc leaves the field so the keys work again)"
          data-testid="annotation-note"
        />
      </label>
    </div>
  );
}

const TONES = {
  emerald: "border-emerald-300 text-emerald-800 hover:bg-emerald-50",
  slate: "border-slate-300 text-slate-700 hover:bg-slate-50",
  rose: "border-rose-300 text-rose-700 hover:bg-rose-50",
} as const;

function VerdictButton(props: { keyHint: string; testId: string; disabled?: boolean; onClick(): void; tone: keyof typeof TONES; children: ReactNode }) {
  return (
    <button
      type="button"
      onClick={props.onClick}
      disabled={props.disabled}
      aria-keyshortcuts={props.keyHint === "←" ? "ArrowLeft" : props.keyHint === "→" ? "ArrowRight" : props.keyHint}
      className={`flex items-center gap-2 rounded border bg-white px-3 py-1.5 text-sm font-medium disabled:cursor-not-allowed disabled:opacity-50 ${TONES[props.tone]}`}
      data-testid={props.testId}
    >
      {props.children}
      <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 font-mono text-xs text-slate-600">{props.keyHint}</kbd>
    </button>
  );
}

/** The annotator's name: edited freely, taken (and remembered) on Enter or when the field loses focus. */
export function AnnotatorField({ name, onCommit }: { name: string; onCommit(name: string): void }) {
  const [draft, setDraft] = useState(name);
  // A new name from outside (another tab, a reset) replaces the draft: adjusted while rendering, not in an effect,
  // so the field never paints the stale draft first.
  const [shownName, setShownName] = useState(name);
  if (name !== shownName) {
    setShownName(name);
    setDraft(name);
  }
  return (
    <label className="flex items-center gap-2 text-sm text-slate-700" title="Stored with each judgement and remembered in this browser; several annotators may judge the same pair">
      Annotator
      <input
        value={draft}
        maxLength={100}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => {
          if (draft.trim() !== name) onCommit(draft);
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter" || e.key === "Escape") e.currentTarget.blur();
        }}
        placeholder="your name (empty = anonymous)"
        className="w-56 rounded border border-slate-300 px-2 py-1 text-sm"
        data-testid="annotator-name"
      />
    </label>
  );
}
