"use client";

// Page-wide single-key shortcuts that stay quiet while the user types (inputs, text areas, selects, editable
// elements) or holds a modifier (so Ctrl+1, Cmd+T and friends keep their browser meaning).
import { useEffect, useRef } from "react";

// Inputs that take no typed text: a key pressed while one has focus (say, after clicking the blind-mode checkbox)
// is still a shortcut.
const KEYLESS_INPUTS = new Set(["checkbox", "radio", "button", "submit", "reset", "color", "file", "image"]);

export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLInputElement) return !KEYLESS_INPUTS.has(target.type);
  return target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

export function useShortcuts(handlers: Record<string, () => void>, enabled = true) {
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.repeat || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTypingTarget(event.target)) return;
      const handler = latest.current[event.key.length === 1 ? event.key.toLowerCase() : event.key];
      if (!handler) return;
      event.preventDefault();
      handler();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [enabled]);
}
