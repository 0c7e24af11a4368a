// User-timing marks of the tree page's first render, read by `o1c bench ui` for its breakdown (decode, layout,
// draw). Each is set once per page: live updates lay out and draw many times and must not fill the timeline.
export type FirstRenderMark = "o1c:tree-decode-start" | "o1c:tree-decoded" | "o1c:tree-laid-out" | "o1c:tree-drawn";

export function markFirstRender(name: FirstRenderMark): void {
  if (typeof performance === "undefined" || performance.getEntriesByName(name, "mark").length > 0) return;
  performance.mark(name);
}
