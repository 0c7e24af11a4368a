// Canvas drawing and hit testing for large trees (past CANVAS_THRESHOLD nodes). One redraw per animation frame, only
// what is on screen: the zoom handler never goes through React.
import { quadtree, type Quadtree } from "d3";
import {
  MARKER_COLORS,
  RADIUS_RANGE,
  TOGGLE_OFFSET,
  TOGGLE_RADIUS,
  VISIBLE_MARKER_SIZE,
  styleNode,
  visibleMarkerOffset,
  type Encoders,
} from "./encoding";
import type { LayoutLink, LayoutNode, TreeLayout } from "./layout";
import { invertTransform, linkControlY, linkInRect, pointInRect, visibleWorldRect, type ViewTransform, type ViewportSize } from "./viewport";

export interface CanvasScene {
  layout: TreeLayout;
  encoders: Encoders;
  selectedId: string | null;
  hoveredId: string | null;
}

/** Below this zoom the toggles and "+n hidden" labels would be unreadable specks; double-click still toggles. */
export const CANVAS_DETAIL_SCALE = 0.6;

export function drawTreeCanvas(ctx: CanvasRenderingContext2D, scene: CanvasScene, t: ViewTransform, size: ViewportSize, dpr: number): void {
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, size.width, size.height);
  ctx.setTransform(dpr * t.k, 0, 0, dpr * t.k, dpr * t.x, dpr * t.y);
  const view = visibleWorldRect(t, size, TOGGLE_OFFSET + 40);
  const onScreen = scene.layout.nodes.filter((n) => pointInRect(n.x, n.y, view));
  drawLinks(ctx, scene, view, t.k);
  for (const n of onScreen) drawNode(ctx, n, scene.encoders, t.k);
  if (t.k >= CANVAS_DETAIL_SCALE) for (const n of onScreen) if (n.childCount > 0) drawToggle(ctx, n);
  const byId = new Map(onScreen.map((n) => [n.id, n]));
  const hovered = scene.hoveredId ? byId.get(scene.hoveredId) : undefined;
  if (hovered) drawRing(ctx, hovered, scene.encoders, 4, MARKER_COLORS.link, 1.5 / t.k);
  const selected = scene.selectedId ? byId.get(scene.selectedId) : undefined;
  if (selected) drawRing(ctx, selected, scene.encoders, 7, MARKER_COLORS.selected, Math.max(2, 2 / t.k));
}

/** Ordinary links batched into one path per width (rounded), so 10,000 edges cost a handful of stroke calls. */
function drawLinks(ctx: CanvasRenderingContext2D, scene: CanvasScene, view: ReturnType<typeof visibleWorldRect>, k: number): void {
  const minWidth = 0.5 / k; // keep edges at least half a screen pixel wide when zoomed far out
  const byWidth = new Map<number, LayoutLink[]>();
  const finalLinks: LayoutLink[] = [];
  for (const link of scene.layout.links) {
    if (!linkInRect(link, view)) continue;
    if (link.onFinalPath) {
      finalLinks.push(link);
      continue;
    }
    const width = Math.round(scene.encoders.linkWidth(link.visits) * 2) / 2;
    const bucket = byWidth.get(width);
    if (bucket) bucket.push(link);
    else byWidth.set(width, [link]);
  }
  ctx.strokeStyle = MARKER_COLORS.link;
  ctx.setLineDash([]);
  for (const [width, links] of byWidth) strokeLinks(ctx, links, Math.max(width, minWidth));
  ctx.strokeStyle = MARKER_COLORS.finalPath;
  for (const link of finalLinks) strokeLinks(ctx, [link], Math.max(3, scene.encoders.linkWidth(link.visits), minWidth * 3));
}

function strokeLinks(ctx: CanvasRenderingContext2D, links: readonly LayoutLink[], width: number): void {
  ctx.lineWidth = width;
  ctx.beginPath();
  for (const link of links) {
    const my = linkControlY(link);
    ctx.moveTo(link.x1, link.y1);
    ctx.bezierCurveTo(link.x1, my, link.x2, my, link.x2, link.y2);
  }
  ctx.stroke();
}

function drawNode(ctx: CanvasRenderingContext2D, n: LayoutNode, encoders: Encoders, k: number): void {
  const style = styleNode(n.node, encoders);
  if (style.radius * k < 1) {
    // A sub-pixel circle: a filled square is indistinguishable and much cheaper.
    ctx.fillStyle = n.onFinalPath ? MARKER_COLORS.finalPath : style.fill;
    const side = Math.max(style.radius * 2, 1.5 / k);
    ctx.fillRect(n.x - side / 2, n.y - side / 2, side, side);
    return;
  }
  if (n.onFinalPath) {
    ctx.beginPath();
    ctx.arc(n.x, n.y, style.radius + 4, 0, 2 * Math.PI);
    ctx.strokeStyle = MARKER_COLORS.finalPath;
    ctx.lineWidth = 2.5;
    ctx.setLineDash([]);
    ctx.stroke();
  }
  ctx.beginPath();
  ctx.arc(n.x, n.y, style.radius, 0, 2 * Math.PI);
  ctx.fillStyle = style.fill;
  ctx.fill();
  ctx.strokeStyle = style.stroke;
  ctx.lineWidth = style.strokeWidth;
  ctx.setLineDash(style.dashed ? [2, 2] : []);
  ctx.stroke();
  ctx.setLineDash([]);
  if (style.visibleMarker) {
    const d = visibleMarkerOffset(style.radius);
    const s = VISIBLE_MARKER_SIZE;
    ctx.fillStyle = style.visibleMarker;
    ctx.fillRect(n.x + d - s / 2, n.y - d - s / 2, s, s);
    ctx.strokeStyle = "#ffffff";
    ctx.lineWidth = 1;
    ctx.strokeRect(n.x + d - s / 2, n.y - d - s / 2, s, s);
  }
}

function drawToggle(ctx: CanvasRenderingContext2D, n: LayoutNode): void {
  const cy = n.y + TOGGLE_OFFSET;
  ctx.beginPath();
  ctx.arc(n.x, cy, TOGGLE_RADIUS, 0, 2 * Math.PI);
  ctx.fillStyle = "#ffffff";
  ctx.fill();
  ctx.strokeStyle = "#64748b";
  ctx.lineWidth = 1;
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(n.x - 2.5, cy);
  ctx.lineTo(n.x + 2.5, cy);
  if (n.hasHiddenChildren) {
    ctx.moveTo(n.x, cy - 2.5);
    ctx.lineTo(n.x, cy + 2.5);
  }
  ctx.stroke();
  if (n.hasHiddenChildren) {
    ctx.fillStyle = "#475569";
    ctx.font = "9px ui-sans-serif, system-ui, sans-serif";
    ctx.textBaseline = "middle";
    ctx.fillText(`+${n.hiddenDescendants} hidden`, n.x + TOGGLE_RADIUS + 3, cy);
  }
}

function drawRing(ctx: CanvasRenderingContext2D, n: LayoutNode, encoders: Encoders, gap: number, color: string, width: number): void {
  ctx.beginPath();
  ctx.arc(n.x, n.y, encoders.radius(n.node.visits) + gap, 0, 2 * Math.PI);
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.setLineDash([]);
  ctx.stroke();
}

export type TreeHit = { id: string; part: "node" | "toggle" };

export function buildHitIndex(nodes: readonly LayoutNode[]): Quadtree<LayoutNode> {
  return quadtree<LayoutNode>()
    .x((n) => n.x)
    .y((n) => n.y)
    .addAll(nodes as LayoutNode[]);
}

/**
 * What a click at screen point (sx, sy) lands on. Toggles are tested first (they sit just below their node); a node is
 * hit within its radius plus a few screen pixels, so tiny far-zoomed nodes stay clickable.
 */
export function hitTest(index: Quadtree<LayoutNode>, encoders: Encoders, t: ViewTransform, sx: number, sy: number): TreeHit | null {
  const [wx, wy] = invertTransform(t, sx, sy);
  const slop = 4 / t.k;
  if (t.k >= CANVAS_DETAIL_SCALE) {
    const owner = index.find(wx, wy - TOGGLE_OFFSET, TOGGLE_RADIUS + slop);
    if (owner && owner.childCount > 0) return { id: owner.id, part: "toggle" };
  }
  const nearest = index.find(wx, wy, RADIUS_RANGE[1] + slop);
  if (!nearest) return null;
  const reach = encoders.radius(nearest.node.visits) + slop;
  return Math.hypot(nearest.x - wx, nearest.y - wy) <= reach ? { id: nearest.id, part: "node" } : null;
}
