// The minimap for canvas-drawn trees: the whole tree's overview in a small corner canvas, the part in view outlined.
// The overview is rendered once per scene; each pan or zoom only redraws the outline. Width and depth are scaled
// separately so a tree thousands of times wider than deep still fills the minimap and shows its shape.
import { paintOverviewImage, type PaintIndex } from "./canvas-renderer";
import { visibleWorldRect, type ViewTransform, type ViewportSize } from "./viewport";

export const MINIMAP_SIZE: ViewportSize = { width: 200, height: 120 };

/** World → minimap pixels, with its own scale per axis. */
export interface MinimapFit {
  x: number;
  y: number;
  kx: number;
  ky: number;
}

export interface MinimapCache {
  paint: PaintIndex | null;
  image: HTMLCanvasElement | null;
  pixels: ImageData | null;
  fit: MinimapFit;
}

export function emptyMinimapCache(): MinimapCache {
  return { paint: null, image: null, pixels: null, fit: { x: 0, y: 0, kx: 1, ky: 1 } };
}

const PADDING = 6;

/** The whole tree stretched over the minimap (minus padding), each axis on its own. */
export function minimapFit(paint: PaintIndex): MinimapFit {
  const { minX, minY, maxX, maxY } = paint.bounds;
  const kx = (MINIMAP_SIZE.width - 2 * PADDING) / Math.max(1, maxX - minX);
  const ky = (MINIMAP_SIZE.height - 2 * PADDING) / Math.max(1, maxY - minY);
  return { kx, ky, x: PADDING - minX * kx, y: PADDING - minY * ky };
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
    const pixels = cache.pixels?.width === width && cache.pixels.height === height ? cache.pixels : ictx.createImageData(width, height);
    // The final path's line widths follow the narrower scale, so nothing is drawn thinner than a pixel.
    paintOverviewImage(ictx, pixels, paint, { sx: dpr * fit.kx, sy: dpr * fit.ky, ox: dpr * fit.x, oy: dpr * fit.y }, Math.min(fit.kx, fit.ky), dpr);
    Object.assign(cache, { paint, image, pixels, fit });
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.drawImage(cache.image!, 0, 0);
  // The main view's visible rectangle, in the minimap's pixels (at least a few pixels, so it stays findable).
  const r = visibleWorldRect(view, viewSize);
  const f = cache.fit;
  const x = (f.x + r.minX * f.kx) * dpr;
  const y = (f.y + r.minY * f.ky) * dpr;
  const w = Math.max(4 * dpr, (r.maxX - r.minX) * f.kx * dpr);
  const h = Math.max(4 * dpr, (r.maxY - r.minY) * f.ky * dpr);
  ctx.fillStyle = "rgba(79, 70, 229, 0.12)";
  ctx.fillRect(x, y, w, h);
  ctx.strokeStyle = "#4f46e5";
  ctx.lineWidth = 1.5 * dpr;
  ctx.strokeRect(x, y, w, h);
}

/** The world point under a minimap pixel (CSS pixels from the minimap's top-left). */
export function minimapToWorld(cache: MinimapCache, mx: number, my: number): [number, number] {
  const f = cache.fit;
  return [(mx - f.x) / f.kx, (my - f.y) / f.ky];
}
