// Pure viewport maths for the explorer: fitting, culling, render-mode choice, link geometry.
import type { LayoutBounds, LayoutLink } from "./layout";

export interface ViewTransform {
  x: number;
  y: number;
  k: number;
}

export interface ViewportSize {
  width: number;
  height: number;
}

/**
 * Past this many laid-out nodes the explorer draws on one <canvas> instead of one SVG element per node: SVG with a
 * few thousand <g>s makes every React update and every zoom frame's style recalculation slow, while a canvas redraw of
 * 10,000 culled circles stays within a frame. Below it SVG keeps real DOM nodes for e2e tests and keyboard focus.
 */
export const CANVAS_THRESHOLD = 1500;

export type RenderMode = "svg" | "canvas";

export function chooseRenderMode(visibleNodes: number, threshold = CANVAS_THRESHOLD): RenderMode {
  return visibleNodes > threshold ? "canvas" : "svg";
}

/** The widest zoom-in "Fit" will choose: a three-node tree should not fill the screen with giant circles. */
export const MAX_FIT_SCALE = 1.5;
export const MAX_SCALE = 4;

/**
 * Scale the bounds (grown by `margin` world units for node radii) into the viewport minus `padding` pixels, centred
 * horizontally and top-aligned: a live tree grows downwards from its root, so new depths appear in the empty space.
 */
export function fitTransform(bounds: LayoutBounds, size: ViewportSize, padding = 24, margin = 16): ViewTransform {
  const contentWidth = bounds.maxX - bounds.minX + 2 * margin;
  const contentHeight = bounds.maxY - bounds.minY + 2 * margin;
  const availableWidth = Math.max(1, size.width - 2 * padding);
  const availableHeight = Math.max(1, size.height - 2 * padding);
  const k = Math.min(MAX_FIT_SCALE, availableWidth / contentWidth, availableHeight / contentHeight);
  const centreX = (bounds.minX + bounds.maxX) / 2;
  return { k, x: size.width / 2 - centreX * k, y: padding + (margin - bounds.minY) * k };
}

/** Below this share of the view's height a fitted tree is a sliver: the explorer then fits its depth instead. */
export const MIN_FIT_HEIGHT_SHARE = 0.25;

/**
 * The view "Fit" and live following choose: the whole tree (fitTransform), unless that squeezes it into a sliver
 * (search trees of 100,000 nodes are thousands of times wider than deep). Then the tree's full depth fills the height,
 * centred on the root, and the minimap shows where the rest is.
 */
export function defaultViewTransform(bounds: LayoutBounds, size: ViewportSize, padding = 24, margin = 16): ViewTransform {
  const whole = fitTransform(bounds, size, padding, margin);
  const availableHeight = Math.max(1, size.height - 2 * padding);
  const contentHeight = bounds.maxY - bounds.minY + 2 * margin;
  if (contentHeight * whole.k >= MIN_FIT_HEIGHT_SHARE * availableHeight) return whole;
  const k = Math.min(MAX_FIT_SCALE, availableHeight / contentHeight);
  return { k, x: size.width / 2, y: padding + (margin - bounds.minY) * k }; // the root sits at x = 0
}

/** How far out zooming may go: half the fit scale of the whole tree, so "Fit" is always reachable by the wheel. */
export function minScaleFor(bounds: LayoutBounds, size: ViewportSize): number {
  return Math.min(0.1, fitTransform(bounds, size).k / 2);
}

/** The world-space rectangle on screen, grown by `margin` world units so nodes straddling the edge still draw. */
export function visibleWorldRect(t: ViewTransform, size: ViewportSize, margin = 0): LayoutBounds {
  return {
    minX: -t.x / t.k - margin,
    minY: -t.y / t.k - margin,
    maxX: (size.width - t.x) / t.k + margin,
    maxY: (size.height - t.y) / t.k + margin,
  };
}

export function pointInRect(x: number, y: number, r: LayoutBounds): boolean {
  return x >= r.minX && x <= r.maxX && y >= r.minY && y <= r.maxY;
}

/** A link is drawn when its bounding box overlaps the visible rectangle (an edge can cross the screen with both ends off it). */
export function linkInRect(link: LayoutLink, r: LayoutBounds): boolean {
  return (
    Math.max(link.x1, link.x2) >= r.minX &&
    Math.min(link.x1, link.x2) <= r.maxX &&
    Math.max(link.y1, link.y2) >= r.minY &&
    Math.min(link.y1, link.y2) <= r.maxY
  );
}

/** The vertical S-curve from parent to child: both control points at mid-depth. Same curve on SVG and canvas. */
export function linkControlY(link: LayoutLink): number {
  return (link.y1 + link.y2) / 2;
}

export function linkPath(link: LayoutLink): string {
  const my = linkControlY(link);
  return `M${link.x1},${link.y1}C${link.x1},${my} ${link.x2},${my} ${link.x2},${link.y2}`;
}

export function applyTransform(t: ViewTransform, x: number, y: number): [number, number] {
  return [t.x + x * t.k, t.y + y * t.k];
}

export function invertTransform(t: ViewTransform, sx: number, sy: number): [number, number] {
  return [(sx - t.x) / t.k, (sy - t.y) / t.k];
}
