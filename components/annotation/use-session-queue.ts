"use client";

// The pairs this page walks through: the annotator's undecided queue as it stood when loaded, extended page by page
// as the annotator nears its end. The order stays fixed for the session, so ← returns to the pairs just judged (to
// re-judge them) even though they have left the server's undecided queue; → on an unjudged pair skips it.
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useState } from "react";
import type { QueuedPair } from "../router-types";
import { useTRPC } from "../trpc";

const PAGE = 50;
/** Fetch the next page this many pairs before the end, so moving on never waits. */
const LOOKAHEAD = 3;

interface SessionState {
  annotator: string;
  sequence: QueuedPair[];
  cursor: number;
  /** Pairs of the sequence this annotator has judged (from this session; the sequence starts all undecided). */
  decided: ReadonlySet<string>;
  loading: boolean;
  exhausted: boolean;
  error: string | null;
}

const initialState = (annotator: string): SessionState => ({ annotator, sequence: [], cursor: 0, decided: new Set(), loading: false, exhausted: false, error: null });

export function useSessionQueue(experimentId: string, annotator: string, enabled: boolean) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [state, setState] = useState<SessionState>(() => initialState(annotator));
  // A different annotator has a different queue: start over.
  if (state.annotator !== annotator) setState(initialState(annotator));

  // Near the end of what is loaded: mark a page as loading (while rendering, so no frame shows "nothing more"), and
  // the effect below fetches it.
  const needMore = enabled && !state.loading && !state.exhausted && state.error === null && state.cursor >= state.sequence.length - LOOKAHEAD;
  if (needMore) setState((s) => ({ ...s, loading: true }));

  const { loading, sequence, decided } = state;
  useEffect(() => {
    if (!loading) return;
    // A judgement made while the page loads changes the offset: that request's answer is dropped and this effect asks
    // again with the new offset.
    let current = true;
    // The loaded pairs not judged yet rank before every pair not loaded, so they are the offset of the next page.
    const offset = sequence.filter((p) => !decided.has(p.pairKey)).length;
    queryClient
      .fetchQuery({ ...trpc.annotation.queue.queryOptions({ experimentId, annotator, status: "undecided", offset, limit: PAGE }), staleTime: 0 })
      .then(
        (page) => {
          if (!current) return;
          setState((s) => {
            if (s.annotator !== annotator) return s;
            const known = new Set(s.sequence.map((p) => p.pairKey));
            const fresh = page.items.filter((p) => !known.has(p.pairKey));
            return { ...s, sequence: [...s.sequence, ...fresh], loading: false, exhausted: page.items.length < PAGE || fresh.length === 0 };
          });
        },
        (error: unknown) => {
          if (current) setState((s) => ({ ...s, loading: false, error: error instanceof Error ? error.message : String(error) }));
        },
      );
    return () => {
      current = false;
    };
  }, [loading, annotator, experimentId, queryClient, trpc, sequence, decided]);

  const move = useCallback((delta: number) => setState((s) => ({ ...s, cursor: Math.min(Math.max(s.cursor + delta, 0), s.sequence.length) })), []);
  const markDecided = useCallback(
    (pairKey: string, decided: boolean) =>
      setState((s) => {
        const next = new Set(s.decided);
        if (decided) next.add(pairKey);
        else next.delete(pairKey);
        return { ...s, decided: next };
      }),
    [],
  );

  return {
    current: state.sequence[state.cursor] ?? null,
    upcoming: state.sequence[state.cursor + 1] ?? null,
    cursor: state.cursor,
    length: state.sequence.length,
    loading: state.loading || (enabled && state.sequence.length === 0 && !state.exhausted && state.error === null),
    finished: state.exhausted && state.cursor >= state.sequence.length,
    error: state.error,
    decided: state.decided,
    previous: useCallback(() => move(-1), [move]),
    next: useCallback(() => move(1), [move]),
    markDecided,
  };
}
