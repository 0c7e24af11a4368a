// SVG drawing for trees up to CANVAS_THRESHOLD nodes: real elements, so e2e tests find nodes and keyboards can focus
// them. Memoised on (layout, encoders, selection): hovering and zooming never re-render these elements.
import { memo } from "react";
import {
  MARKER_COLORS,
  TOGGLE_OFFSET,
  TOGGLE_RADIUS,
  VISIBLE_MARKER_SIZE,
  styleNode,
  visibleMarkerOffset,
  type Encoders,
} from "./encoding";
import { describeNode } from "./format";
import type { LayoutNode, TreeLayout } from "./layout";
import { linkPath } from "./viewport";

export const TreeSvgScene = memo(function TreeSvgScene({
  layout,
  encoders,
  selectedId,
}: {
  layout: TreeLayout;
  encoders: Encoders;
  selectedId: string | null;
}) {
  const ordinary = layout.links.filter((l) => !l.onFinalPath);
  const finalPath = layout.links.filter((l) => l.onFinalPath);
  return (
    <>
      <g fill="none" stroke={MARKER_COLORS.link} strokeOpacity={0.8}>
        {ordinary.map((l) => (
          <path key={l.target} d={linkPath(l)} strokeWidth={encoders.linkWidth(l.visits)} />
        ))}
      </g>
      {/* Drawn after the others so the final answer's path is never hidden under a sibling's edge. */}
      <g fill="none" stroke={MARKER_COLORS.finalPath}>
        {finalPath.map((l) => (
          <path key={l.target} d={linkPath(l)} strokeWidth={Math.max(3, encoders.linkWidth(l.visits))} data-final-path-link="" />
        ))}
      </g>
      <g>
        {layout.nodes.map((n) => (
          <SvgNode key={n.id} item={n} encoders={encoders} selected={n.id === selectedId} />
        ))}
      </g>
    </>
  );
});

function SvgNode({ item, encoders, selected }: { item: LayoutNode; encoders: Encoders; selected: boolean }) {
  const style = styleNode(item.node, encoders);
  const d = visibleMarkerOffset(style.radius);
  const s = VISIBLE_MARKER_SIZE;
  return (
    <>
      <g
        transform={`translate(${item.x},${item.y})`}
        data-testid="tree-node"
        data-node-id={item.id}
        data-selected={selected ? "true" : undefined}
        data-final-path={item.onFinalPath ? "true" : undefined}
        role="button"
        tabIndex={0}
        aria-pressed={selected}
        aria-label={describeNode(item.node).join(", ")}
        className="cursor-pointer outline-none"
      >
        {item.onFinalPath ? <circle r={style.radius + 4} fill="none" stroke={MARKER_COLORS.finalPath} strokeWidth={2.5} /> : null}
        {selected ? <circle r={style.radius + 7} fill="none" stroke={MARKER_COLORS.selected} strokeWidth={2} /> : null}
        <circle r={style.radius} fill={style.fill} stroke={style.stroke} strokeWidth={style.strokeWidth} strokeDasharray={style.dashed ? "2 2" : undefined} />
        {style.visibleMarker ? <rect x={d - s / 2} y={-d - s / 2} width={s} height={s} fill={style.visibleMarker} stroke="#ffffff" strokeWidth={1} /> : null}
      </g>
      {item.childCount > 0 ? <SvgToggle item={item} /> : null}
    </>
  );
}

function SvgToggle({ item }: { item: LayoutNode }) {
  const folded = item.hasHiddenChildren;
  return (
    <g
      transform={`translate(${item.x},${item.y + TOGGLE_OFFSET})`}
      data-toggle-for={item.id}
      data-testid="tree-toggle"
      role="button"
      tabIndex={0}
      aria-expanded={!folded}
      aria-label={folded ? `Expand ${item.hiddenDescendants} hidden nodes under #${item.node.seq}` : `Collapse the subtree under #${item.node.seq}`}
      className="cursor-pointer outline-none"
    >
      <title>{folded ? "Expand this subtree" : "Collapse this subtree"}</title>
      <circle r={TOGGLE_RADIUS} fill="#ffffff" stroke="#64748b" strokeWidth={1} />
      <path d={folded ? "M-2.5,0H2.5M0,-2.5V2.5" : "M-2.5,0H2.5"} stroke="#334155" strokeWidth={1.2} />
      {folded ? (
        <text x={TOGGLE_RADIUS + 3} dominantBaseline="central" fontSize={9} fill="#475569">
          +{item.hiddenDescendants} hidden
        </text>
      ) : null}
    </g>
  );
}
