// Canvas drawing and hit testing for large trees (past CANVAS_THRESHOLD nodes). One redraw per animation frame, only
// what is on screen: the zoom handler never goes through React.
//
// Level of detail: with few nodes on screen each is drawn in full (circle, test rings, markers, curved edges). With
// many, or when they shrink to a couple of pixels, the overview draws them as squares batched by colour (one fill
// per colour of the 256-step ramp) and the edges as straight segments in one stroke; the final answer's path stays
// amber on top. When the whole overview fits in a bitmap it is rendered once per zoom level and scene, so panning
// only copies that bitmap (100,000 nodes pan at the display's frame rate).
import { quadtree, type Quadtree } from "d3";
import {
  MARKER_COLORS,
  RADIUS_RANGE,
  colorMetric,
  TOGGLE_OFFSET,
  TOGGLE_RADIUS,
  VISIBLE_MARKER_SIZE,
  styleNode,
  visibleMarkerOffset,
  type Encoders,
} from "./encoding";
import type { LayoutBounds, LayoutLink, LayoutNode, TreeLayout } from "./layout";
import { rasterizeOverview, type RasterFit } from "./overview-raster";
import { invertTransform, linkControlY, linkInRect, visibleWorldRect, type ViewTransform, type ViewportSize } from "./viewport";

export interface CanvasScene {
  layout: TreeLayout;
  encoders: Encoders;
  paint: PaintIndex;
  selectedId: string | null;
  hoveredId: string | null;
  /** The node the keyboard is on (arrow keys), ringed like a hover. */
  focusedId: string | null;
}

/** Below this zoom the toggles and "+n hidden" labels would be unreadable specks; double-click still toggles. */
export const CANVAS_DETAIL_SCALE = 0.6;
/** More nodes than this on screen are drawn as the overview (see the header). */
export const DETAIL_NODE_LIMIT = 3000;
/** The overview bitmap's largest side in device pixels; a tree bigger than that at the current zoom is drawn directly. */
const OVERVIEW_BITMAP_MAX = 4096;

/**
 * Per (layout, encoders): each laid-out node's position, radius and fill as flat arrays, nodes grouped by fill, and
 * each node's parent position, so a frame allocates nothing per node.
 */
export interface PaintIndex {
  count: number;
  x: Float64Array;
  y: Float64Array;
  radius: Float32Array;
  /** Parent's position; NaN for the root. */
  px: Float64Array;
  py: Float64Array;
  onFinalPath: Uint8Array;
  /** Distinct fills, and the nodes of fill f at byFill[fillStart[f] .. fillStart[f + 1]). */
  palette: string[];
  fillStart: Int32Array;
  byFill: Int32Array;
  bounds: TreeLayout["bounds"];
  /** Largest radius: how far a node reaches past its centre. */
  maxRadius: number;
}

export function buildPaintIndex(layout: TreeLayout, encoders: Encoders): PaintIndex {
  const count = layout.nodes.length;
  const x = new Float64Array(count);
  const y = new Float64Array(count);
  const radius = new Float32Array(count);
  const px = new Float64Array(count);
  const py = new Float64Array(count);
  const onFinalPath = new Uint8Array(count);
  const fill = new Int32Array(count);
  const paletteIndex = new Map<string, number>();
  const palette: string[] = [];
  let maxRadius = 0;
  const { nodes } = layout;
  for (let i = 0; i < count; i++) {
    const n = nodes[i]!;
    x[i] = n.x;
    y[i] = n.y;
    const parent = n.parentIndex >= 0 ? nodes[n.parentIndex]! : null;
    px[i] = parent ? parent.x : NaN;
    py[i] = parent ? parent.y : NaN;
    radius[i] = encoders.radius(n.node.visits);
    if (radius[i]! > maxRadius) maxRadius = radius[i]!;
    onFinalPath[i] = n.onFinalPath ? 1 : 0;
    const color = encoders.color(colorMetric(n.node, encoders.mode));
    let f = paletteIndex.get(color);
    if (f === undefined) {
      f = palette.length;
      paletteIndex.set(color, f);
      palette.push(color);
    }
    fill[i] = f;
  }
  const fillStart = new Int32Array(palette.length + 1);
  for (let i = 0; i < count; i++) fillStart[fill[i]! + 1]!++;
  for (let f = 0; f < palette.length; f++) fillStart[f + 1]! += fillStart[f]!;
  const next = fillStart.slice(0, palette.length);
  const byFill = new Int32Array(count);
  for (let i = 0; i < count; i++) byFill[next[fill[i]!]!++] = i;
  return { count, x, y, radius, px, py, onFinalPath, palette, fillStart, byFill, bounds: layout.bounds, maxRadius };
}

/** A rendered overview of the whole tree at one zoom level, reused while only the pan changes. */
export interface OverviewBitmap {
  canvas: HTMLCanvasElement;
  /** The raster's pixels, kept for the next redraw of the same size. */
  image: ImageData;
  paint: PaintIndex;
  k: number;
  dpr: number;
  /** World position of the bitmap's top-left corner. */
  originX: number;
  originY: number;
}

export function drawTreeCanvas(
  ctx: CanvasRenderingContext2D,
  scene: CanvasScene,
  t: ViewTransform,
  size: ViewportSize,
  dpr: number,
  cache: { bitmap: OverviewBitmap | null } = { bitmap: null },
): void {
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, size.width, size.height);
  const { paint } = scene;
  const view = visibleWorldRect(t, size, TOGGLE_OFFSET + 40);
  const onScreen = countInRect(paint, view);
  const detailed = onScreen <= DETAIL_NODE_LIMIT && RADIUS_RANGE[0] * t.k >= 1;
  if (detailed) {
    ctx.setTransform(dpr * t.k, 0, 0, dpr * t.k, dpr * t.x, dpr * t.y);
    const shown = scene.layout.nodes.filter((n) => n.x >= view.minX && n.x <= view.maxX && n.y >= view.minY && n.y <= view.maxY);
    drawLinks(ctx, scene, view, t.k);
    for (const n of shown) drawNode(ctx, n, scene.encoders, t.k);
    if (t.k >= CANVAS_DETAIL_SCALE) for (const n of shown) if (n.childCount > 0) drawToggle(ctx, n);
  } else {
    const bitmap = overviewBitmap(cache, paint, t.k, dpr);
    if (bitmap) {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.drawImage(bitmap.canvas, Math.round(dpr * (t.x + bitmap.originX * t.k)), Math.round(dpr * (t.y + bitmap.originY * t.k)));
    } else {
      ctx.setTransform(dpr * t.k, 0, 0, dpr * t.k, dpr * t.x, dpr * t.y);
      drawOverview(ctx, paint, view, t.k);
    }
  }
  ctx.setTransform(dpr * t.k, 0, 0, dpr * t.k, dpr * t.x, dpr * t.y);
  const byId = (id: string | null) => (id === null ? undefined : scene.layout.byId.get(id));
  const focused = byId(scene.focusedId);
  if (focused) drawRing(ctx, focused, scene.encoders, t.k, 5, MARKER_COLORS.selected, 1.5 / t.k, [3 / t.k, 2 / t.k]);
  const hovered = byId(scene.hoveredId);
  if (hovered) drawRing(ctx, hovered, scene.encoders, t.k, 4, MARKER_COLORS.link, 1.5 / t.k);
  const selected = byId(scene.selectedId);
  if (selected) drawRing(ctx, selected, scene.encoders, t.k, 7, MARKER_COLORS.selected, Math.max(2, 2 / t.k));
}

function countInRect(paint: PaintIndex, r: LayoutBounds): number {
  let count = 0;
  for (let i = 0; i < paint.count; i++) {
    const x = paint.x[i]!;
    const y = paint.y[i]!;
    if (x >= r.minX && x <= r.maxX && y >= r.minY && y <= r.maxY) count++;
  }
  return count;
}

/** The cached overview for zoom k, rendered now if the cache holds another zoom or scene; null when too big to cache. */
function overviewBitmap(cache: { bitmap: OverviewBitmap | null }, paint: PaintIndex, k: number, dpr: number): OverviewBitmap | null {
  const current = cache.bitmap;
  if (current && current.paint === paint && current.k === k && current.dpr === dpr) return current;
  const margin = paint.maxRadius + 2 / k;
  const originX = paint.bounds.minX - margin;
  const originY = paint.bounds.minY - margin;
  const width = Math.ceil((paint.bounds.maxX + margin - originX) * k * dpr);
  const height = Math.ceil((paint.bounds.maxY + margin - originY) * k * dpr);
  if (width > OVERVIEW_BITMAP_MAX || height > OVERVIEW_BITMAP_MAX || typeof document === "undefined") return (cache.bitmap = null);
  const canvas = current?.canvas ?? document.createElement("canvas");
  canvas.width = Math.max(1, width);
  canvas.height = Math.max(1, height);
  const ctx = canvas.getContext("2d");
  if (!ctx) return (cache.bitmap = null);
  const image = current && current.image.width === canvas.width && current.image.height === canvas.height ? current.image : ctx.createImageData(canvas.width, canvas.height);
  const scale = k * dpr;
  paintOverviewImage(ctx, image, paint, { sx: scale, sy: scale, ox: -originX * scale, oy: -originY * scale }, k, dpr);
  return (cache.bitmap = { canvas, image, paint, k, dpr, originX, originY });
}

/**
 * The overview into a bitmap canvas the size of `image`: edges and squares as raw pixels (overview-raster.ts), nodes
 * at least 1.5 screen pixels, then the final answer's path on top with the canvas API. `k` is the world scale that
 * sizes its lines (the narrower axis when the fit stretches one).
 */
export function paintOverviewImage(ctx: CanvasRenderingContext2D, image: ImageData, paint: PaintIndex, fit: RasterFit, k: number, dpr: number): void {
  rasterizeOverview(paint, { width: image.width, height: image.height, pixels: new Uint32Array(image.data.buffer) }, fit, 1.5 * dpr, MARKER_COLORS.link);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.putImageData(image, 0, 0);
  ctx.setTransform(fit.sx, 0, 0, fit.sy, fit.ox, fit.oy);
  drawFinalPath(ctx, paint, k);
}

/** Squares batched by colour, straight edges in one stroke, the final answer's path amber on top (see the header). */
export function drawOverview(ctx: CanvasRenderingContext2D, paint: PaintIndex, view: LayoutBounds, k: number): void {
  const { x, y, px, py, radius } = paint;
  const inView = (i: number) => x[i]! >= view.minX && x[i]! <= view.maxX && y[i]! >= view.minY && y[i]! <= view.maxY;
  const edgeInView = (i: number) =>
    Math.max(x[i]!, px[i]!) >= view.minX && Math.min(x[i]!, px[i]!) <= view.maxX && Math.max(y[i]!, py[i]!) >= view.minY && Math.min(y[i]!, py[i]!) <= view.maxY;
  ctx.setLineDash([]);
  ctx.strokeStyle = MARKER_COLORS.link;
  ctx.lineWidth = Math.max(0.6 / k, 1);
  ctx.beginPath();
  for (let i = 0; i < paint.count; i++) {
    if (Number.isNaN(px[i]!) || !edgeInView(i)) continue;
    ctx.moveTo(px[i]!, py[i]!);
    ctx.lineTo(x[i]!, y[i]!);
  }
  ctx.stroke();
  const minSide = 1.5 / k;
  for (let f = 0; f < paint.palette.length; f++) {
    ctx.fillStyle = paint.palette[f]!;
    ctx.beginPath();
    for (let j = paint.fillStart[f]!; j < paint.fillStart[f + 1]!; j++) {
      const i = paint.byFill[j]!;
      if (!inView(i)) continue;
      const side = Math.max(radius[i]! * 2, minSide);
      ctx.rect(x[i]! - side / 2, y[i]! - side / 2, side, side);
    }
    ctx.fill();
  }
  drawFinalPath(ctx, paint, k);
}

/** The final answer's path, amber, over the overview. */
function drawFinalPath(ctx: CanvasRenderingContext2D, paint: PaintIndex, k: number): void {
  const { x, y, px, py, radius } = paint;
  ctx.strokeStyle = MARKER_COLORS.finalPath;
  ctx.fillStyle = MARKER_COLORS.finalPath;
  ctx.lineWidth = Math.max(3, 2.5 / k);
  ctx.beginPath();
  for (let i = 0; i < paint.count; i++) {
    if (!paint.onFinalPath[i] || Number.isNaN(px[i]!)) continue;
    ctx.moveTo(px[i]!, py[i]!);
    ctx.lineTo(x[i]!, y[i]!);
  }
  ctx.stroke();
  for (let i = 0; i < paint.count; i++) {
    if (!paint.onFinalPath[i]) continue;
    const side = Math.max(radius[i]! * 2 + 4, 4 / k);
    ctx.fillRect(x[i]! - side / 2, y[i]! - side / 2, side, side);
  }
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

function drawRing(ctx: CanvasRenderingContext2D, n: LayoutNode, encoders: Encoders, k: number, gap: number, color: string, width: number, dash: number[] = []): void {
  ctx.beginPath();
  // At far zoom a ring of a few world units would vanish: keep it at least 6 screen pixels out.
  ctx.arc(n.x, n.y, Math.max(encoders.radius(n.node.visits) + gap, 6 / k), 0, 2 * Math.PI);
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.setLineDash(dash);
  ctx.stroke();
  ctx.setLineDash([]);
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
