"use client";

import { useEffect, useEffectEvent } from "react";

export interface ExperimentEvent {
  seq: number;
  type: string;
  payload: unknown;
}

const EVENT_TYPES = [
  "experiment.created",
  "experiment.started",
  "experiment.finished",
  "experiment.cancelled",
  "experiment.failed",
  "tree.started",
  "tree.progress",
  "tree.finished",
  "tree.failed",
];

/**
 * Tails the experiment's event log over SSE. EventSource reconnects by itself and sends Last-Event-ID, and the
 * server resumes after it, so `onEvent` sees every event once, in order. `enabled: false` closes the stream.
 */
export function useExperimentEvents(experimentId: string, onEvent: (event: ExperimentEvent) => void, enabled = true) {
  // The latest onEvent, without reopening the stream when the caller's callback changes.
  const handle = useEffectEvent(onEvent);
  useEffect(() => {
    if (!enabled) return;
    const source = new EventSource(`/api/experiments/${encodeURIComponent(experimentId)}/events`);
    const listener = (message: MessageEvent<string>) => handle(JSON.parse(message.data) as ExperimentEvent);
    for (const type of EVENT_TYPES) source.addEventListener(type, listener);
    return () => source.close();
  }, [experimentId, enabled]);
}
