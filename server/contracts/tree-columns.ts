// The tree explorer's payload: one tree's nodes as columns (one array per field, nodes in seq order), built by
// PostgreSQL as one JSON text (server/experiments/tree-view.ts) and decoded in the browser. Against an array of
// objects it is about half the bytes (no repeated keys, action kinds as a small dictionary, parents as indexes), and
// neither the server nor tRPC's serializer walks 100,000 objects: the text passes through as one string. Step text
// and code are not in it; the inspector fetches them per node (experiments.node).

export interface PassCount {
  passed: number;
  total: number;
}

export interface TreeNodeView {
  id: string;
  parentId: string | null;
  seq: number;
  depth: number;
  /** "root" | "structure" | "refine" | "code" | "vanilla" | … */
  actionKind: string;
  /** N: how many rollouts passed through this node. */
  visits: number;
  /** Q: the sum of rewards backpropagated through this node; value = Q/N (null when N = 0). */
  valueSum: number;
  isTerminal: boolean;
  /** Terminal reward from the search-visible tests. */
  reward: number | null;
  prmScore: number | null;
  /** A terminal's results on the search-visible tests. */
  visible: PassCount | null;
  /** A terminal's results on the hidden tests, judged after the search (null until judged). */
  hidden: PassCount | null;
}

/** Columns, all of the same length (the node count); null entries where the field is null. */
export interface TreeColumns {
  /** Prepended to every entry of `id` ("" when the ids have no common prefix). */
  idPrefix: string;
  id: string[];
  /** Index of the parent in these columns; -1 for the root. */
  parent: number[];
  seq: number[];
  depth: number[];
  /** Index into `kinds`. */
  kind: number[];
  kinds: string[];
  visits: number[];
  valueSum: number[];
  /** 1 for a terminal, else 0. */
  terminal: number[];
  reward: Array<number | null>;
  prm: Array<number | null>;
  /** Passed and total search-visible (dataset-visible and generated) test executions; null when none ran. */
  visiblePassed: Array<number | null>;
  visibleTotal: Array<number | null>;
  hiddenPassed: Array<number | null>;
  hiddenTotal: Array<number | null>;
}

const COLUMN_NAMES = ["id", "parent", "seq", "depth", "kind", "visits", "valueSum", "terminal", "reward", "prm", "visiblePassed", "visibleTotal", "hiddenPassed", "hiddenTotal"] as const;

/** The nodes from a tree payload's JSON text; throws naming the column when the text is not a well-formed payload. */
export function decodeTreeColumns(text: string): TreeNodeView[] {
  const columns = JSON.parse(text) as TreeColumns;
  const count = columns.id?.length ?? 0;
  for (const name of COLUMN_NAMES) {
    if (!Array.isArray(columns[name]) || columns[name].length !== count) throw new Error(`tree payload: column "${name}" is missing or not ${count} long`);
  }
  if (!Array.isArray(columns.kinds)) throw new Error(`tree payload: column "kinds" is missing`);
  if (typeof columns.idPrefix !== "string") throw new Error(`tree payload: "idPrefix" is missing`);
  const ids = columns.idPrefix === "" ? columns.id : columns.id.map((suffix) => columns.idPrefix + suffix);
  const nodes = new Array<TreeNodeView>(count);
  for (let i = 0; i < count; i++) {
    // Parents are indexes into seq order: columns in any other order would attach nodes to the wrong parents.
    if (i > 0 && columns.seq[i]! < columns.seq[i - 1]!) throw new Error(`tree payload: nodes out of seq order at index ${i}`);
    const p = columns.parent[i]!;
    nodes[i] = {
      id: ids[i]!,
      parentId: p < 0 ? null : ids[p]!,
      seq: columns.seq[i]!,
      depth: columns.depth[i]!,
      actionKind: columns.kinds[columns.kind[i]!]!,
      visits: columns.visits[i]!,
      valueSum: columns.valueSum[i]!,
      isTerminal: columns.terminal[i] === 1,
      reward: columns.reward[i]!,
      prmScore: columns.prm[i]!,
      visible: tally(columns.visiblePassed[i]!, columns.visibleTotal[i]!),
      hidden: tally(columns.hiddenPassed[i]!, columns.hiddenTotal[i]!),
    };
  }
  return nodes;
}

function tally(passed: number | null, total: number | null): PassCount | null {
  return total === null || total === 0 ? null : { passed: passed ?? 0, total };
}
