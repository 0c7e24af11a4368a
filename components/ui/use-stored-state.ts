"use client";

// State remembered in this browser's localStorage (the annotator's name, blind mode, the last LLM endpoint). Read
// through useSyncExternalStore: the server render and the hydrating render see "not loaded yet", the next render the
// stored value, and every component using a key sees a write at once (this tab) or on the storage event (other
// tabs). Storage failures (private mode, quota) keep the value in memory, for this page only.
import { useCallback, useSyncExternalStore } from "react";

export const ANNOTATOR_KEY = "o1c.annotator";
export const BLIND_KEY = "o1c.annotation.blind";

const memory = new Map<string, string>();
const listeners = new Set<() => void>();

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  window.addEventListener("storage", onChange);
  return () => {
    listeners.delete(onChange);
    window.removeEventListener("storage", onChange);
  };
}

function readStored(key: string): string | null {
  try {
    const stored = window.localStorage.getItem(key);
    if (stored !== null) return stored;
  } catch {
    // unavailable storage: what this page wrote, if anything
  }
  return memory.get(key) ?? null;
}

export function writeStored(key: string, value: string): void {
  memory.set(key, value);
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // unavailable storage: remembered for this page only
  }
  for (const listener of listeners) listener();
}

/** [value (the stored one, else `initial`), set and remember, whether the browser's storage has been read]. */
export function useStoredString(key: string, initial: string): [string, (value: string) => void, boolean] {
  // undefined: rendering on the server or hydrating (storage not read yet); null: nothing stored.
  const stored = useSyncExternalStore(
    subscribe,
    () => readStored(key),
    () => undefined,
  );
  const update = useCallback((next: string) => writeStored(key, next), [key]);
  return [stored ?? initial, update, stored !== undefined];
}

export function useStoredFlag(key: string, initial: boolean): [boolean, (value: boolean) => void] {
  const [text, setText] = useStoredString(key, initial ? "1" : "0");
  return [text === "1", useCallback((flag: boolean) => setText(flag ? "1" : "0"), [setText])];
}
