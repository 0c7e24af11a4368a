// d3-zoom on the explorer's surface. The transform lives in a ref and goes straight to the SVG <g> or the canvas via
// `onZoom`: no React render per pan frame. The surface element outlives SVG/canvas switches, so the view survives them.
import { select, zoom, zoomIdentity, type D3ZoomEvent, type ZoomBehavior } from "d3";
import { useCallback, useLayoutEffect, useRef, type RefObject } from "react";
import { MAX_SCALE, type ViewTransform, type ViewportSize } from "./viewport";

export interface ZoomHandlers {
  /** Every frame of a pan/zoom, and programmatic moves (Fit). `byUser` is false for the latter. */
  onZoom(t: ViewTransform, byUser: boolean): void;
  /** A gesture began (pointer down or wheel): e.g. hide the tooltip, which would otherwise float off its node. */
  onZoomStart(): void;
}

export function useTreeZoom(surfaceRef: RefObject<HTMLDivElement | null>, size: ViewportSize, handlers: ZoomHandlers) {
  const transformRef = useRef<ViewTransform>({ x: 0, y: 0, k: 1 });
  // d3's default extent reads clientWidth/Height on every gesture and programmatic move, forcing a synchronous layout
  // of the page (slow with 10,000 index entries in the DOM); the size is known already.
  const sizeRef = useRef(size);
  useLayoutEffect(() => {
    sizeRef.current = size;
  }, [size]);
  const behaviorRef = useRef<ZoomBehavior<HTMLDivElement, unknown> | null>(null);
  const handlersRef = useRef(handlers);
  useLayoutEffect(() => {
    handlersRef.current = handlers;
  });

  useLayoutEffect(() => {
    const element = surfaceRef.current;
    if (!element) return;
    const behavior = zoom<HTMLDivElement, unknown>()
      .scaleExtent([0.01, MAX_SCALE])
      .extent(() => [
        [0, 0],
        [Math.max(1, sizeRef.current.width), Math.max(1, sizeRef.current.height)],
      ])
      .on("start", (event: D3ZoomEvent<HTMLDivElement, unknown>) => {
        if (event.sourceEvent) handlersRef.current.onZoomStart();
      })
      .on("zoom", (event: D3ZoomEvent<HTMLDivElement, unknown>) => {
        const { x, y, k } = event.transform;
        transformRef.current = { x, y, k };
        handlersRef.current.onZoom(transformRef.current, event.sourceEvent != null);
      });
    const selection = select(element);
    // Double-click belongs to collapse/expand, not to d3's zoom-in.
    selection.call(behavior).on("dblclick.zoom", null);
    behaviorRef.current = behavior;
    return () => {
      selection.on(".zoom", null);
      behaviorRef.current = null;
    };
  }, [surfaceRef]);

  const zoomTo = useCallback(
    (t: ViewTransform) => {
      const element = surfaceRef.current;
      const behavior = behaviorRef.current;
      if (element && behavior) select(element).call(behavior.transform, zoomIdentity.translate(t.x, t.y).scale(t.k));
    },
    [surfaceRef],
  );

  const setMinScale = useCallback((minScale: number) => {
    behaviorRef.current?.scaleExtent([Math.min(minScale, MAX_SCALE), MAX_SCALE]);
  }, []);

  return { transformRef, zoomTo, setMinScale };
}
