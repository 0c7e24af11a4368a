// Selection: an unexplored child (N = 0) first, else the child with the highest UCT score. A PRM guide (weight w > 0)
// blends the children's PRM scores in; with w = 0 (the default) the reference's choices are reproduced exactly.
import { randomInt, type Random } from "../lib/index.ts";
import type { SelectionGuide } from "./search-config.ts";
import type { SearchNode } from "./search-node.ts";

type Stats = Pick<SearchNode, "visits" | "valueSum"> & { prmScore?: number | null };

/** UCT = Q/N + c·sqrt(ln N_parent / N). An unvisited child scores +∞ (it is always tried before any score matters). */
export function uctScore(child: Stats, parentVisits: number, c: number): number {
  if (child.visits === 0) return Number.POSITIVE_INFINITY;
  return child.valueSum / child.visits + c * Math.sqrt(Math.log(parentVisits) / child.visits);
}

/**
 * UCT with the PRM blended in (a child without a PRM score falls back to plain UCT):
 * - value-mix: (1 − w)·Q/N + w·prm + c·sqrt(ln N_parent / N): the PRM stands in for part of the value estimate;
 * - prior: Q/N + c·sqrt(ln N_parent / N) + w·c·prm·sqrt(N_parent)/(1 + N): a PUCT-style bonus that fades with visits.
 */
export function guidedScore(child: Stats, parentVisits: number, c: number, guide: SelectionGuide): number {
  const prm = child.prmScore;
  if (child.visits === 0 || guide.weight === 0 || prm === null || prm === undefined) return uctScore(child, parentVisits, c);
  const value = child.valueSum / child.visits;
  const explore = c * Math.sqrt(Math.log(parentVisits) / child.visits);
  if (guide.kind === "value-mix") return (1 - guide.weight) * value + guide.weight * prm + explore;
  return value + explore + (guide.weight * c * prm * Math.sqrt(parentVisits)) / (1 + child.visits);
}

function isGuided(guide: SelectionGuide | undefined): guide is SelectionGuide {
  return guide !== undefined && guide.weight > 0;
}

/**
 * Prior mode also steers which unexplored child is tried first: one draw from the mixture (1 − w)·uniform +
 * w·(prm / Σ prm). Children without a score get none of the PRM share; with no scores at all the draw is uniform.
 */
function drawUnexplored<T extends Stats>(unexplored: readonly T[], random: Random, guide: SelectionGuide): T {
  const scores = unexplored.map((child) => Math.max(0, child.prmScore ?? 0));
  const total = scores.reduce((a, b) => a + b, 0);
  const weights = scores.map((s) => (1 - guide.weight) / unexplored.length + (total > 0 ? (guide.weight * s) / total : guide.weight / unexplored.length));
  let point = random() * weights.reduce((a, b) => a + b, 0);
  for (const [i, weight] of weights.entries()) {
    point -= weight;
    if (point < 0) return unexplored[i] as T;
  }
  return unexplored[unexplored.length - 1] as T;
}

/**
 * Picks the next child to descend into. Among unexplored children the choice is uniform through the seeded `random`
 * (the reference draws with random.choice); among explored ones the highest UCT wins, ties going to the earlier
 * sibling (children are given in creation order), so equal scores never depend on anything but the tree.
 */
export function selectChild<T extends Stats>(children: readonly T[], parentVisits: number, c: number, random: Random, guide?: SelectionGuide): T {
  if (children.length === 0) throw new Error("selectChild needs at least one child");
  const unexplored = children.filter((child) => child.visits === 0);
  if (unexplored.length > 0) {
    if (isGuided(guide) && guide.kind === "prior") return drawUnexplored(unexplored, random, guide);
    return unexplored[randomInt(random, unexplored.length)] as T;
  }
  const score = isGuided(guide) ? (child: T) => guidedScore(child, parentVisits, c, guide) : (child: T) => uctScore(child, parentVisits, c);
  let best = children[0] as T;
  let bestScore = score(best);
  for (const child of children.slice(1)) {
    const childScore = score(child);
    if (childScore > bestScore) {
      best = child;
      bestScore = childScore;
    }
  }
  return best;
}
