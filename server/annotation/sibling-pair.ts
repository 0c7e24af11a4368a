// Loads two nodes that are meant to be a sibling pair of one experiment, and says which field is wrong when not.
import type { Db } from "../db/index.ts";
import { NotFoundError, ValidationError } from "../errors.ts";

export interface PairNode {
  id: string;
  parentId: string | null;
  treeId: string;
}

/** Both nodes exist, belong to the experiment, differ, and share a parent (so neither is a root). */
export async function loadSiblingPair(
  prisma: Db,
  experimentId: string,
  ids: { first: string; second: string },
  fields: { first: string; second: string },
): Promise<[PairNode, PairNode]> {
  const experiment = await prisma.experiment.findUnique({ where: { id: experimentId }, select: { id: true } });
  if (!experiment) throw new NotFoundError(`no experiment ${experimentId}`);
  if (ids.first === ids.second) throw new ValidationError(`is the same node as ${fields.first}; a pair needs two siblings`, fields.second);
  const nodes = await prisma.treeNode.findMany({
    where: { id: { in: [ids.first, ids.second] } },
    select: { id: true, parentId: true, treeId: true, tree: { select: { experimentId: true } } },
  });
  const first = checkNode(nodes.find((n) => n.id === ids.first), ids.first, experimentId, fields.first);
  const second = checkNode(nodes.find((n) => n.id === ids.second), ids.second, experimentId, fields.second);
  if (first.parentId !== second.parentId) {
    throw new ValidationError(`node ${second.id} is not a sibling of ${first.id} (their parents differ)`, fields.second);
  }
  return [first, second];
}

function checkNode(
  node: { id: string; parentId: string | null; treeId: string; tree: { experimentId: string } } | undefined,
  id: string,
  experimentId: string,
  field: string,
): PairNode {
  if (!node) throw new ValidationError(`no node ${id}`, field);
  if (node.tree.experimentId !== experimentId) throw new ValidationError(`node ${id} belongs to another experiment`, field);
  if (node.parentId === null) throw new ValidationError(`node ${id} is a root: it has no siblings to compare with`, field);
  return { id: node.id, parentId: node.parentId, treeId: node.treeId };
}
