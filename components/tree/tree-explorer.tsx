"use client";

// The MCTS tree explorer. Layout is `LiveTreeLayout` (the pure leaf-ordered layout, updated in place of redone
// when live progress only appended nodes); this component owns interaction state (colour mode,
// collapsed subtrees, hover, keyboard focus) and picks a renderer: SVG up to CANVAS_THRESHOLD laid-out nodes, one
// canvas past it (with a minimap, and arrow-key navigation in place of per-node elements). Pan/zoom never renders
// React: d3-zoom's transform goes straight to the SVG <g> attribute or into a canvas redraw.
import { useCallback, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, type PointerEvent } from "react";
import type { Quadtree } from "d3";
import { buildHitIndex, buildPaintIndex, drawTreeCanvas, hitTest, type CanvasScene, type OverviewBitmap, type PaintIndex, type TreeHit } from "./canvas-renderer";
import { COLOR_MODES, MARKER_COLORS, makeEncoders, type ColorMode, type Encoders } from "./encoding";
import { describeNode, formatCount } from "./format";
import { markFirstRender } from "./first-render-marks";
import { LiveTreeLayout, type LayoutNode, type TreeLayout } from "./layout";
import { TreeLegend } from "./tree-legend";
import { MINIMAP_SIZE, drawMinimap, emptyMinimapCache, minimapToWorld } from "./tree-minimap";
import { TreeSvgScene } from "./tree-svg-scene";
import type { TreeView } from "./types";
import { useCollapsedIds } from "./use-collapsed-ids";
import { useElementWidth } from "./use-element-width";
import { useTreeZoom } from "./use-tree-zoom";
import { CANVAS_THRESHOLD, applyTransform, chooseRenderMode, defaultViewTransform, minScaleFor, pointInRect, visibleWorldRect, type ViewTransform, type ViewportSize } from "./viewport";

export interface TreeExplorerProps {
  tree: TreeView;
  selectedId: string | null;
  onSelect(id: string): void;
  /** Height of the drawing area in pixels (toolbar and legend come on top). */
  height?: number;
}

interface Hover {
  id: string;
  /** Screen position of the node's centre inside the drawing area, when the hover began. */
  sx: number;
  sy: number;
}

function toSvgTransform(t: ViewTransform): string {
  return `translate(${t.x},${t.y}) scale(${t.k})`;
}

export function TreeExplorer({ tree, selectedId, onSelect, height = 560 }: TreeExplorerProps) {
  const [colorMode, setColorMode] = useState<ColorMode>("value");
  const { collapsed, toggle, expandAll } = useCollapsedIds(tree.treeId);
  // One per mounted explorer: a new tree (treeId) or fold lays out from scratch, live appends update the last layout.
  const [liveLayout] = useState(() => new LiveTreeLayout());
  const layout = useMemo(() => {
    const next = liveLayout.update(tree, collapsed);
    markFirstRender("o1c:tree-laid-out");
    return next;
  }, [liveLayout, tree, collapsed]);
  const encoders = useMemo(() => makeEncoders(tree.nodes, colorMode), [tree.nodes, colorMode]);
  const byId = layout.byId;
  const mode = chooseRenderMode(layout.nodes.length);
  const paint = useMemo(() => (mode === "canvas" ? buildPaintIndex(layout, encoders) : null), [layout, encoders, mode]);
  const [hover, setHover] = useState<Hover | null>(null);
  // Canvas mode: the node the arrow keys are on (announced to screen readers, ringed on the canvas).
  const [focusedId, setFocusedId] = useState<string | null>(null);
  // Built on the first pointer event after a layout change, not on every live update (100,000 nodes take ~50 ms).
  const hitIndexRef = useRef<{ layout: TreeLayout; index: Quadtree<LayoutNode> } | null>(null);
  const hitIndexFor = useCallback((current: TreeLayout) => {
    if (hitIndexRef.current?.layout !== current) hitIndexRef.current = { layout: current, index: buildHitIndex(current.nodes) };
    return hitIndexRef.current.index;
  }, []);

  const explorerRef = useRef<HTMLDivElement>(null);
  const surfaceRef = useRef<HTMLDivElement>(null);
  const gRef = useRef<SVGGElement | null>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const minimapRef = useRef<HTMLCanvasElement>(null);
  const width = useElementWidth(surfaceRef);
  const size = useMemo<ViewportSize>(() => ({ width, height }), [width, height]);

  // Canvas redraws read the latest scene from a ref, coalesced to one per animation frame
  // (declared before useTreeZoom, whose zoom handler reads it).
  type Scene = Omit<CanvasScene, "paint"> & { paint: PaintIndex | null; size: ViewportSize; byId: ReadonlyMap<string, LayoutNode> };
  const sceneRef = useRef<Scene>({ layout, encoders, paint, selectedId, hoveredId: null, focusedId, size, byId });

  // Until the user pans or zooms, the view follows the growing tree (refits on every update); "Fit" resumes that.
  const followRef = useRef<{ treeId: string | null; follow: boolean }>({ treeId: null, follow: true });
  const { transformRef, zoomTo, setMinScale } = useTreeZoom(surfaceRef, size, {
    onZoom(t, byUser) {
      if (byUser) followRef.current.follow = false;
      gRef.current?.setAttribute("transform", toSvgTransform(t));
      if (canvasRef.current) scheduleDraw();
      // A refit moved the view under a steady pointer: keep the tooltip on its node.
      if (!byUser) setHover((prev) => (prev ? placeHover(sceneRef.current.byId.get(prev.id), t) : prev));
    },
    onZoomStart() {
      setHover(null);
    },
  });

  const overviewRef = useRef<{ bitmap: OverviewBitmap | null }>({ bitmap: null });
  const minimapCacheRef = useRef(emptyMinimapCache());
  const frameRef = useRef(0);
  const drawNow = useCallback(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext("2d");
    const scene = sceneRef.current;
    if (!canvas || !ctx || !scene.paint) return;
    const dpr = window.devicePixelRatio || 1;
    const pixelWidth = Math.round(scene.size.width * dpr);
    const pixelHeight = Math.round(scene.size.height * dpr);
    if (canvas.width !== pixelWidth) canvas.width = pixelWidth;
    if (canvas.height !== pixelHeight) canvas.height = pixelHeight;
    drawTreeCanvas(ctx, { ...scene, paint: scene.paint }, transformRef.current, scene.size, dpr, overviewRef.current);
    if (minimapRef.current) drawMinimap(minimapRef.current, scene.paint, transformRef.current, scene.size, minimapCacheRef.current, dpr);
    markDrawn(explorerRef.current, scene.size.width > 0 ? scene.layout.nodes.length : 0);
  }, [transformRef]);
  const scheduleDraw = useCallback(() => {
    if (frameRef.current) return;
    frameRef.current = requestAnimationFrame(() => {
      frameRef.current = 0;
      drawNow();
    });
  }, [drawNow]);
  useLayoutEffect(() => () => cancelAnimationFrame(frameRef.current), []);

  const attachG = useCallback(
    (g: SVGGElement | null) => {
      gRef.current = g;
      if (g) g.setAttribute("transform", toSvgTransform(transformRef.current));
    },
    [transformRef],
  );

  // Declared before the refit below: a refit's zoom handler reads the new layout from sceneRef.
  useLayoutEffect(() => {
    sceneRef.current = { layout, encoders, paint, selectedId, hoveredId: hover?.id ?? null, focusedId, size, byId };
    // Scheduled, not immediate: a live update usually also refits the view, and both then share one redraw.
    if (mode === "canvas") scheduleDraw();
    // SVG: React has just put every laid-out node in the document.
    else markDrawn(explorerRef.current, layout.nodes.length);
  }, [layout, encoders, paint, selectedId, hover, focusedId, size, byId, mode, scheduleDraw]);

  useLayoutEffect(() => {
    if (followRef.current.treeId !== tree.treeId) followRef.current = { treeId: tree.treeId, follow: true };
    if (size.width === 0 || layout.nodes.length === 0) return;
    setMinScale(minScaleFor(layout.bounds, size));
    if (followRef.current.follow) zoomTo(defaultViewTransform(layout.bounds, size));
  }, [tree.treeId, layout, size, setMinScale, zoomTo]);

  const fit = useCallback(() => {
    followRef.current.follow = true;
    if (size.width > 0 && layout.nodes.length > 0) zoomTo(defaultViewTransform(layout.bounds, size));
  }, [layout, size, zoomTo]);

  const resolveHit = useCallback(
    (event: { target: EventTarget; clientX: number; clientY: number }): TreeHit | null => {
      if (mode === "svg") return svgHit(event.target);
      const canvas = canvasRef.current;
      if (!canvas) return null;
      const rect = canvas.getBoundingClientRect();
      return hitTest(hitIndexFor(layout), encoders, transformRef.current, event.clientX - rect.left, event.clientY - rect.top);
    },
    [mode, hitIndexFor, layout, encoders, transformRef],
  );

  const toggleIfParent = useCallback((id: string) => {
    if ((byId.get(id)?.childCount ?? 0) > 0) toggle(id);
  }, [byId, toggle]);

  const activate = useCallback(
    (hit: TreeHit, altKey: boolean) => {
      if (hit.part === "toggle" || altKey) toggleIfParent(hit.id);
      else onSelect(hit.id);
    },
    [toggleIfParent, onSelect],
  );

  /** Centres the view on a node that is off screen (keyboard navigation, which must never lose its node). */
  const reveal = useCallback(
    (node: LayoutNode) => {
      const t = transformRef.current;
      if (pointInRect(node.x, node.y, visibleWorldRect(t, size, -20))) return;
      followRef.current.follow = false;
      zoomTo({ k: t.k, x: size.width / 2 - node.x * t.k, y: size.height / 2 - node.y * t.k });
    },
    [transformRef, size, zoomTo],
  );

  // Children in seq order per node, for the arrow keys; built on the first key press after a layout change.
  const childrenRef = useRef<{ layout: TreeLayout; children: Map<string, string[]> } | null>(null);
  const moveFocus = useCallback(
    (key: string): boolean => {
      if (childrenRef.current?.layout !== layout) {
        const children = new Map<string, string[]>();
        for (const link of layout.links) {
          const list = children.get(link.source);
          if (list) list.push(link.target);
          else children.set(link.source, [link.target]);
        }
        childrenRef.current = { layout, children };
      }
      const children = childrenRef.current.children;
      const current = byId.get(focusedId ?? selectedId ?? "") ?? layout.nodes[0];
      if (!current) return false;
      const parentId = current.node.parentId;
      const siblings = parentId === null ? [current.id] : (children.get(parentId) ?? [current.id]);
      const at = siblings.indexOf(current.id);
      const nextId =
        focusedId === null && key !== "Home"
          ? current.id // the first key press shows where the keyboard is
          : key === "ArrowUp"
            ? parentId
            : key === "ArrowDown"
              ? (children.get(current.id)?.[0] ?? null)
              : key === "ArrowLeft"
                ? (siblings[at - 1] ?? null)
                : key === "ArrowRight"
                  ? (siblings[at + 1] ?? null)
                  : (layout.nodes[0]?.id ?? null); // Home: the root
      const next = nextId === null ? undefined : byId.get(nextId);
      if (!next) return true; // no node that way: stay
      setFocusedId(next.id);
      reveal(next);
      return true;
    },
    [layout, byId, focusedId, selectedId, reveal],
  );

  const hoverAt = useCallback(
    (id: string | null) => {
      const next = placeHover(id === null ? undefined : byId.get(id), transformRef.current);
      setHover((prev) => (prev?.id === next?.id && prev?.sx === next?.sx && prev?.sy === next?.sy ? prev : next));
    },
    [byId, transformRef],
  );

  const handlers = {
    onClick(event: MouseEvent) {
      const hit = resolveHit(event);
      if (hit) activate(hit, event.altKey);
    },
    onDoubleClick(event: MouseEvent) {
      const hit = resolveHit(event);
      if (hit?.part === "node") toggleIfParent(hit.id);
    },
    onPointerMove(event: PointerEvent) {
      if (event.buttons !== 0) return; // panning
      const hit = resolveHit(event);
      hoverAt(hit?.part === "node" ? hit.id : null);
    },
    onPointerLeave() {
      setHover(null);
    },
    onKeyDown(event: KeyboardEvent) {
      if (mode === "canvas" && event.target === event.currentTarget) {
        if (NAVIGATION_KEYS.has(event.key) && moveFocus(event.key)) event.preventDefault();
        else if ((event.key === "Enter" || event.key === " ") && focusedId !== null) {
          event.preventDefault();
          activate({ id: focusedId, part: "node" }, event.altKey);
        }
        return;
      }
      if (event.key !== "Enter" && event.key !== " ") return;
      const hit = svgHit(event.target);
      if (!hit) return;
      event.preventDefault();
      activate(hit, event.altKey);
    },
    onFocus(event: { target: EventTarget }) {
      const hit = svgHit(event.target);
      hoverAt(hit?.part === "node" ? hit.id : null);
    },
    onBlur() {
      setHover(null);
    },
  };

  const hovered = hover ? byId.get(hover.id) : undefined;
  const focused = focusedId === null ? undefined : byId.get(focusedId);
  const minimapPointer = (event: PointerEvent<HTMLCanvasElement>) => {
    if (event.type === "pointerdown") event.currentTarget.setPointerCapture(event.pointerId);
    else if (event.buttons === 0) return;
    event.stopPropagation();
    const rect = event.currentTarget.getBoundingClientRect();
    const [wx, wy] = minimapToWorld(minimapCacheRef.current, event.clientX - rect.left, event.clientY - rect.top);
    const k = transformRef.current.k;
    followRef.current.follow = false;
    zoomTo({ k, x: size.width / 2 - wx * k, y: size.height / 2 - wy * k });
  };
  return (
    <div
      className="flex min-w-0 flex-col rounded-lg border border-slate-200 bg-white shadow-sm"
      ref={explorerRef}
      data-testid="tree-explorer"
      data-render-mode={mode}
      data-node-count={layout.nodes.length}
      data-total-nodes={tree.nodes.length}
    >
      <Toolbar
        colorMode={colorMode}
        onColorMode={setColorMode}
        onFit={fit}
        collapsedCount={collapsed.size}
        onExpandAll={expandAll}
        shown={layout.nodes.length}
        total={tree.nodes.length}
        unreachable={layout.unreachable}
        mode={mode}
      />
      <div className="relative">
      <div
        ref={surfaceRef}
        data-testid="tree-surface"
        className="relative cursor-grab touch-none overflow-hidden bg-slate-50 outline-none focus-visible:ring-2 focus-visible:ring-indigo-400 active:cursor-grabbing"
        style={{ height }}
        {...(mode === "canvas"
          ? {
              tabIndex: 0,
              role: "application",
              "aria-roledescription": "search tree",
              "aria-label": "Search tree. Arrow keys move between nodes (up: parent, down: first child, left and right: siblings, Home: root); Enter selects.",
              "data-focused-node-id": focusedId ?? undefined,
            }
          : {})}
        {...handlers}
      >
        {mode === "svg" ? (
          <svg width="100%" height={height} className="block select-none" aria-label="Search tree" role="group">
            <g ref={attachG}>
              <TreeSvgScene layout={layout} encoders={encoders} selectedId={selectedId} />
              {hovered ? <HoverRing node={hovered} encoders={encoders} /> : null}
            </g>
          </svg>
        ) : (
          <canvas ref={canvasRef} style={{ width: size.width, height }} className="block" aria-hidden="true" />
        )}
        {hovered && hover ? <Tooltip node={hovered} sx={hover.sx} sy={hover.sy} surfaceWidth={width} /> : null}
        {layout.nodes.length === 0 ? (
          <p className="pointer-events-none absolute inset-0 flex items-center justify-center text-sm text-slate-500">
            No nodes yet: the tree appears here as the search expands it.
          </p>
        ) : null}
      </div>
      {mode === "canvas" ? (
        <canvas
          ref={minimapRef}
          data-testid="tree-minimap"
          title="The whole tree; the outlined part is in view. Click or drag to move the view."
          aria-hidden="true"
          className="absolute bottom-2 right-2 cursor-pointer rounded border border-slate-300 bg-white/90 shadow-sm"
          style={{ width: MINIMAP_SIZE.width, height: MINIMAP_SIZE.height }}
          onPointerDown={minimapPointer}
          onPointerMove={minimapPointer}
        />
      ) : null}
      </div>
      {mode === "canvas" ? (
        <p className="sr-only" aria-live="polite" data-testid="tree-focus-description">
          {focused ? describeNode(focused.node).join(", ") : ""}
        </p>
      ) : null}
      <TreeLegend encoders={encoders} prmMode={tree.prmMode} />
    </div>
  );
}

/**
 * `data-drawn-nodes` on the explorer: how many nodes the last draw put on screen (canvas painted at its real width, or
 * SVG committed). Set outside React (a canvas draw is not a render), so it says the nodes are on screen, which a
 * rendered element alone does not.
 */
function markDrawn(explorer: HTMLElement | null, count: number) {
  if (!explorer || explorer.dataset.drawnNodes === String(count)) return;
  explorer.dataset.drawnNodes = String(count);
  if (count > 0) markFirstRender("o1c:tree-drawn");
}

function placeHover(node: LayoutNode | undefined, t: ViewTransform): Hover | null {
  if (!node) return null;
  const [sx, sy] = applyTransform(t, node.x, node.y);
  return { id: node.id, sx, sy };
}

/** The node or toggle an SVG event came from, via the data attributes the scene puts on them (event delegation). */
function svgHit(target: EventTarget): TreeHit | null {
  if (!(target instanceof Element)) return null;
  const element = target.closest("[data-node-id],[data-toggle-for]");
  if (!element) return null;
  const toggleFor = element.getAttribute("data-toggle-for");
  if (toggleFor !== null) return { id: toggleFor, part: "toggle" };
  const nodeId = element.getAttribute("data-node-id");
  return nodeId === null ? null : { id: nodeId, part: "node" };
}

function Toolbar(props: {
  colorMode: ColorMode;
  onColorMode(mode: ColorMode): void;
  onFit(): void;
  collapsedCount: number;
  onExpandAll(): void;
  shown: number;
  total: number;
  unreachable: number;
  mode: "svg" | "canvas";
}) {
  return (
    <div className="flex flex-wrap items-center gap-3 border-b border-slate-200 px-3 py-2 text-sm">
      <div role="radiogroup" aria-label="Node colour" className="inline-flex overflow-hidden rounded border border-slate-300" data-testid="tree-color-mode">
        {COLOR_MODES.map(({ mode, label, title }) => (
          <button
            key={mode}
            type="button"
            role="radio"
            aria-checked={props.colorMode === mode}
            data-mode={mode}
            title={title}
            onClick={() => props.onColorMode(mode)}
            className={`px-2 py-1 text-xs ${props.colorMode === mode ? "bg-slate-800 text-white" : "bg-white text-slate-700 hover:bg-slate-100"}`}
          >
            {label}
          </button>
        ))}
      </div>
      <button
        type="button"
        onClick={props.onFit}
        data-testid="tree-fit"
        title="Fit the whole tree in view (a tree far wider than deep: its full depth around the root; the minimap shows the rest), and keep it fitted as it grows until you pan or zoom"
        className="rounded border border-slate-300 bg-white px-2 py-1 text-xs text-slate-700 hover:bg-slate-100"
      >
        Fit
      </button>
      {props.collapsedCount > 0 ? (
        <button
          type="button"
          onClick={props.onExpandAll}
          data-testid="tree-expand-all"
          className="rounded border border-slate-300 bg-white px-2 py-1 text-xs text-slate-700 hover:bg-slate-100"
        >
          Expand all ({props.collapsedCount} collapsed {props.collapsedCount === 1 ? "subtree" : "subtrees"})
        </button>
      ) : null}
      <span className="ml-auto text-xs text-slate-500" data-testid="tree-explorer-stats">
        {formatCount(props.shown)} of {formatCount(props.total)} nodes shown
        {props.unreachable > 0 ? ` · ${formatCount(props.unreachable)} waiting for their parent` : ""}
        {" · "}
        <span title={`SVG up to ${formatCount(CANVAS_THRESHOLD)} shown nodes, canvas beyond, so large trees stay interactive`}>
          drawn with {props.mode === "svg" ? "SVG" : "canvas"}
        </span>
      </span>
    </div>
  );
}

function HoverRing({ node, encoders }: { node: LayoutNode; encoders: Encoders }) {
  return (
    <circle
      cx={node.x}
      cy={node.y}
      r={encoders.radius(node.node.visits) + 4}
      fill="none"
      stroke={MARKER_COLORS.link}
      strokeWidth={1.5}
      pointerEvents="none"
    />
  );
}

const TOOLTIP_WIDTH = 220;

function Tooltip({ node, sx, sy, surfaceWidth }: { node: LayoutNode; sx: number; sy: number; surfaceWidth: number }) {
  const [title, ...lines] = describeNode(node.node);
  // Right of the node unless that would overflow the drawing area.
  const left = sx + 14 + TOOLTIP_WIDTH > surfaceWidth ? Math.max(0, sx - 14 - TOOLTIP_WIDTH) : sx + 14;
  return (
    <div
      role="tooltip"
      data-testid="tree-tooltip"
      className="pointer-events-none absolute z-10 rounded border border-slate-200 bg-white/95 px-2 py-1.5 text-xs text-slate-700 shadow-md"
      style={{ left, top: Math.max(0, sy - 12), width: TOOLTIP_WIDTH }}
    >
      <div className="font-semibold text-slate-900">{title}</div>
      {lines.map((line) => (
        <div key={line} className="tabular-nums">
          {line}
        </div>
      ))}
    </div>
  );
}

const NAVIGATION_KEYS = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home"]);
