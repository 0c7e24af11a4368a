// The overview's edges and squares written straight into a pixel buffer. Chromium rasterizes a canvas path of
// 100,000 rectangles and 100,000 stroked segments in software in about half a second (measured: the minimap's redraw
// took 600 ms per live update of a 100,000-node tree, nearly all of it there); at overview scale each is a pixel or a
// few, so plain pixel writes give the same picture in a few milliseconds. Pure: no DOM, so it is unit-tested.
import type { PaintIndex } from "./canvas-renderer";

/** World → buffer pixels, each axis on its own: px = x·sx + ox, py = y·sy + oy. */
export interface RasterFit {
  sx: number;
  sy: number;
  ox: number;
  oy: number;
}

export interface PixelBuffer {
  width: number;
  height: number;
  /** RGBA bytes as little-endian 32-bit words (ImageData's buffer): 0xAABBGGRR. */
  pixels: Uint32Array;
}

/**
 * Clears `target` and draws every edge (1 px, `edgeColor`) and then every node as a filled square of its fill, at least
 * `minPixels` a side on each axis (so far-zoomed nodes stay visible; per axis, because the minimap stretches one). The final answer's path is
 * not drawn here: the caller strokes it on top with the canvas API (a handful of nodes).
 */
export function rasterizeOverview(paint: PaintIndex, target: PixelBuffer, fit: RasterFit, minPixels: number, edgeColor: string): void {
  const { width, height, pixels } = target;
  pixels.fill(0);
  const { x, y, px, py, radius } = paint;
  const { sx, sy, ox, oy } = fit;
  const edge = packColor(edgeColor);
  for (let i = 0; i < paint.count; i++) {
    if (Number.isNaN(px[i]!)) continue;
    drawLine(target, Math.round(px[i]! * sx + ox), Math.round(py[i]! * sy + oy), Math.round(x[i]! * sx + ox), Math.round(y[i]! * sy + oy), edge);
  }
  for (let f = 0; f < paint.palette.length; f++) {
    const color = packColor(paint.palette[f]!);
    for (let j = paint.fillStart[f]!; j < paint.fillStart[f + 1]!; j++) {
      const i = paint.byFill[j]!;
      const w = Math.max(1, Math.round(Math.max(radius[i]! * 2 * sx, minPixels)));
      const h = Math.max(1, Math.round(Math.max(radius[i]! * 2 * sy, minPixels)));
      const left = Math.round(x[i]! * sx + ox - w / 2);
      const top = Math.round(y[i]! * sy + oy - h / 2);
      const x0 = Math.max(0, left);
      const x1 = Math.min(width, left + w);
      for (let row = Math.max(0, top); row < Math.min(height, top + h); row++) {
        if (x1 > x0) pixels.fill(color, row * width + x0, row * width + x1);
      }
    }
  }
}

/** A 1-pixel line (Bresenham), clipped to the buffer per pixel. */
function drawLine(target: PixelBuffer, x0: number, y0: number, x1: number, y1: number, color: number) {
  const { width, height, pixels } = target;
  const dx = Math.abs(x1 - x0);
  const dy = -Math.abs(y1 - y0);
  const stepX = x0 < x1 ? 1 : -1;
  const stepY = y0 < y1 ? 1 : -1;
  // Entirely off one side: nothing to draw (the common case for a zoomed-in bitmap's far edges).
  if ((x0 < 0 && x1 < 0) || (y0 < 0 && y1 < 0) || (x0 >= width && x1 >= width) || (y0 >= height && y1 >= height)) return;
  let error = dx + dy;
  for (;;) {
    if (x0 >= 0 && x0 < width && y0 >= 0 && y0 < height) pixels[y0 * width + x0] = color;
    if (x0 === x1 && y0 === y1) return;
    const twice = 2 * error;
    if (twice >= dy) {
      error += dy;
      x0 += stepX;
    }
    if (twice <= dx) {
      error += dx;
      y0 += stepY;
    }
  }
}

const packed = new Map<string, number>();

/** "#rrggbb" or "rgb(r, g, b)" (what the encoders produce) as an opaque little-endian RGBA word. */
export function packColor(color: string): number {
  let word = packed.get(color);
  if (word !== undefined) return word;
  let r = 0;
  let g = 0;
  let b = 0;
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  const rgb = /^rgb\(\s*(\d+),\s*(\d+),\s*(\d+)\s*\)$/.exec(color);
  if (hex) [r, g, b] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16), parseInt(hex[3]!, 16)];
  else if (rgb) [r, g, b] = [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  else throw new Error(`overview raster: unsupported colour ${color}`);
  word = ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
  packed.set(color, word);
  return word;
}
