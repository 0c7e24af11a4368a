"use client";

// The launch forms (new experiment, generate tests, self-play loop) start from the LLM endpoint and model last
// launched with in this browser, and "Test connection" fills the model when the server serves exactly one.
import { useCallback, useState } from "react";
import { useStoredString } from "../ui/use-stored-state";

export const LLM_BASE_URL_KEY = "o1c.llm.baseUrl";
export const LLM_MODEL_KEY = "o1c.llm.model";

export interface Endpoint {
  baseUrl: string;
  model: string;
}

/**
 * Calls `fill` once with the endpoint last launched with, as soon as the browser's storage is read (nothing stored:
 * never), so a form opens on it; returns `remember`, for a form to call when a launch succeeds.
 */
export function useRememberedEndpoint(fill: (remembered: Endpoint) => void): (used: Endpoint) => void {
  const [baseUrl, setBaseUrl, loaded] = useStoredString(LLM_BASE_URL_KEY, "");
  const [model, setModel] = useStoredString(LLM_MODEL_KEY, "");
  const [filled, setFilled] = useState(false);
  // Adjusted while rendering (not in an effect): the form never paints the default endpoint first.
  if (loaded && !filled) {
    setFilled(true);
    if (baseUrl) fill({ baseUrl, model });
  }
  return useCallback(
    (used: Endpoint) => {
      setBaseUrl(used.baseUrl.trim());
      setModel(used.model.trim());
    },
    [setBaseUrl, setModel],
  );
}

/**
 * The model field after "Test connection": the served model when the server serves exactly one and the field is empty
 * or names a model the server does not serve; otherwise null (the field stays as typed).
 */
export function modelAfterConnectionTest(typed: string, served: readonly { id: string }[]): string | null {
  if (served.length !== 1) return null;
  const only = served[0]!.id;
  return typed.trim() === only ? null : only;
}
