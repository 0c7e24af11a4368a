// Selection: an unexplored child (N = 0) first, else the child with the highest UCT score.
import { randomInt, type Random } from "./rng.ts";
import type { SearchNode } from "./search-node.ts";

type Stats = Pick<SearchNode, "visits" | "valueSum">;

/** UCT = Q/N + c·sqrt(ln N_parent / N). An unvisited child scores +∞ (it is always tried before any score matters). */
export function uctScore(child: Stats, parentVisits: number, c: number): number {
  if (child.visits === 0) return Number.POSITIVE_INFINITY;
  return child.valueSum / child.visits + c * Math.sqrt(Math.log(parentVisits) / child.visits);
}

/**
 * Picks the next child to descend into. Among unexplored children the choice is uniform through the seeded `random`
 * (the reference draws with random.choice); among explored ones the highest UCT wins, ties going to the earlier
 * sibling (children are given in creation order), so equal scores never depend on anything but the tree.
 */
export function selectChild<T extends Stats>(children: readonly T[], parentVisits: number, c: number, random: Random): T {
  if (children.length === 0) throw new Error("selectChild needs at least one child");
  const unexplored = children.filter((child) => child.visits === 0);
  if (unexplored.length > 0) return unexplored[randomInt(random, unexplored.length)] as T;
  let best = children[0] as T;
  let bestScore = uctScore(best, parentVisits, c);
  for (const child of children.slice(1)) {
    const score = uctScore(child, parentVisits, c);
    if (score > bestScore) {
      best = child;
      bestScore = score;
    }
  }
  return best;
}
