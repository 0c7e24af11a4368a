// Collapsed subtrees, kept per tree: live updates (new TreeView objects with the same treeId) keep them, switching to
// another problem's tree starts fresh. Derived during render rather than reset in an effect, so no flash of old state.
import { useCallback, useState } from "react";

const NONE: ReadonlySet<string> = new Set();

export function useCollapsedIds(treeId: string) {
  const [state, setState] = useState<{ treeId: string; ids: ReadonlySet<string> }>({ treeId, ids: NONE });
  const collapsed = state.treeId === treeId ? state.ids : NONE;

  const toggle = useCallback(
    (id: string) =>
      setState((prev) => {
        const next = new Set(prev.treeId === treeId ? prev.ids : NONE);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return { treeId, ids: next };
      }),
    [treeId],
  );
  const expandAll = useCallback(() => setState({ treeId, ids: NONE }), [treeId]);
  return { collapsed, toggle, expandAll };
}
