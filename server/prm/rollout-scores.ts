// Rollout mode: no model scores steps during the search; afterwards every node's prmScore becomes its Math-Shepherd
// soft label (rollout-labels.ts), the share of completions below it that pass all search-visible tests. A node with
// no terminal below it keeps null.
import type { Prisma } from "../db/generated/client.ts";
import { nodeDbId } from "../runs/tree-store.ts";
import type { SearchNode } from "../search/search-node.ts";
import { computeRolloutLabels, passesVisibleTests } from "./rollout-labels.ts";

/** Soft labels keyed by the search's node id. */
export function rolloutPrmScores(nodes: readonly SearchNode[]): Map<string, number | null> {
  const labels = computeRolloutLabels(nodes, passesVisibleTests);
  return new Map(nodes.map((node) => [node.id, labels.get(node.id)?.soft ?? null]));
}

/** One statement for the whole tree; `scores` as rolloutPrmScores gives them. */
export async function writeRolloutPrmScores(tx: Prisma.TransactionClient, treeId: string, byNode: ReadonlyMap<string, number | null>): Promise<void> {
  const scores = [...byNode.entries()];
  if (scores.length === 0) return;
  await tx.$executeRaw`
    UPDATE "TreeNode" AS t SET "prmScore" = v.score
    FROM (SELECT unnest(${scores.map(([id]) => nodeDbId(treeId, id))}::text[]) AS id,
                 unnest(${scores.map(([, s]) => s)}::float8[]) AS score) AS v
    WHERE t."id" = v.id`;
}
