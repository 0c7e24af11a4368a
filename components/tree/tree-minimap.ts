// The minimap for canvas-drawn trees: the whole tree's overview in a small corner canvas, the part in view outlined.
// The overview is rendered once per scene; each pan or zoom only redraws the outline.
import { drawOverview, type PaintIndex } from "./canvas-renderer";
import { fitTransform, invertTransform, visibleWorldRect, type ViewTransform, type ViewportSize } from "./viewport";

export const MINIMAP_SIZE: ViewportSize = { width: 200, height: 120 };

export interface MinimapCache {
  paint: PaintIndex | null;
  image: HTMLCanvasElement | null;
  fit: ViewTransform;
}

export function emptyMinimapCache(): MinimapCache {
  return { paint: null, image: null, fit: { x: 0, y: 0, k: 1 } };
}

/** Where the whole tree sits in the minimap (the minimap's own world → pixel transform). */
export function minimapFit(paint: PaintIndex): ViewTransform {
  const fit = fitTransform(paint.bounds, MINIMAP_SIZE, 6, paint.maxRadius);
  // Centre vertically too: the minimap shows the whole tree, it does not grow downwards like the main view.
  const height = (paint.bounds.maxY - paint.bounds.minY) * fit.k;
  return { ...fit, y: (MINIMAP_SIZE.height - height) / 2 - paint.bounds.minY * fit.k };
}

export function drawMinimap(canvas: HTMLCanvasElement, paint: PaintIndex, view: ViewTransform, viewSize: ViewportSize, cache: MinimapCache, dpr: number): void {
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  const width = Math.round(MINIMAP_SIZE.width * dpr);
  const height = Math.round(MINIMAP_SIZE.height * dpr);
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  if (cache.paint !== paint || !cache.image) {
    const image = cache.image ?? document.createElement("canvas");
    image.width = width;
    image.height = height;
    const ictx = image.getContext("2d")!;
    const fit = minimapFit(paint);
    ictx.setTransform(dpr * fit.k, 0, 0, dpr * fit.k, dpr * fit.x, dpr * fit.y);
    drawOverview(ictx, paint, { minX: -Infinity, minY: -Infinity, maxX: Infinity, maxY: Infinity }, fit.k);
    Object.assign(cache, { paint, image, fit });
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.drawImage(cache.image!, 0, 0);
  // The main view's visible rectangle, in the minimap's pixels (at least a few pixels, so it stays findable).
  const r = visibleWorldRect(view, viewSize);
  const f = cache.fit;
  const x = (f.x + r.minX * f.k) * dpr;
  const y = (f.y + r.minY * f.k) * dpr;
  const w = Math.max(4 * dpr, (r.maxX - r.minX) * f.k * dpr);
  const h = Math.max(4 * dpr, (r.maxY - r.minY) * f.k * dpr);
  ctx.fillStyle = "rgba(79, 70, 229, 0.12)";
  ctx.fillRect(x, y, w, h);
  ctx.strokeStyle = "#4f46e5";
  ctx.lineWidth = 1.5 * dpr;
  ctx.strokeRect(x, y, w, h);
}

/** The world point under a minimap pixel (CSS pixels from the minimap's top-left). */
export function minimapToWorld(cache: MinimapCache, mx: number, my: number): [number, number] {
  return invertTransform(cache.fit, mx, my);
}
