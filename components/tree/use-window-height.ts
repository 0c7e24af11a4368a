// The browser window's inner height, kept current on resize (a fallback during server rendering), so the tree
// explorer can take the height the screen has instead of a fixed one.
import { useSyncExternalStore } from "react";

function subscribe(onChange: () => void): () => void {
  window.addEventListener("resize", onChange);
  return () => window.removeEventListener("resize", onChange);
}

export function useWindowHeight(serverFallback: number): number {
  return useSyncExternalStore(subscribe, () => window.innerHeight, () => serverFallback);
}
