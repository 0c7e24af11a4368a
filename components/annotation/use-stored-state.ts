"use client";

// State remembered in this browser's localStorage (the annotator's name, blind mode). Read after mounting, so the
// server render and the first client render agree; storage failures (private mode, quota) just forget.
import { useCallback, useEffect, useState } from "react";

export const ANNOTATOR_KEY = "o1c.annotator";
export const BLIND_KEY = "o1c.annotation.blind";

export function useStoredString(key: string, initial: string): [string, (value: string) => void, boolean] {
  const [value, setValue] = useState(initial);
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    try {
      const stored = window.localStorage.getItem(key);
      if (stored !== null) setValue(stored);
    } catch {
      // unavailable storage: keep the initial value
    }
    setLoaded(true);
  }, [key]);
  const update = useCallback(
    (next: string) => {
      setValue(next);
      try {
        window.localStorage.setItem(key, next);
      } catch {
        // unavailable storage: remembered for this page only
      }
    },
    [key],
  );
  return [value, update, loaded];
}

export function useStoredFlag(key: string, initial: boolean): [boolean, (value: boolean) => void] {
  const [text, setText] = useStoredString(key, initial ? "1" : "0");
  return [text === "1", useCallback((flag: boolean) => setText(flag ? "1" : "0"), [setText])];
}
