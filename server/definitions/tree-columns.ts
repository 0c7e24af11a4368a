// The tree explorer's payload: one tree's nodes as columns (one array per field, nodes in seq order), built by
// PostgreSQL as one JSON text (server/experiments/tree-view.ts) and decoded in the browser. Against an array of
// objects it is a fraction of the bytes (no repeated keys, action kinds as a small dictionary, parents as indexes,
// ids rebuilt from seq, all-null columns as one null: ~23 bytes a node at 100,000 nodes), and
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

/**
 * Columns, all `count` long, in seq order. To keep a 100,000-node payload small, a column that can be derived or is
 * all null travels as one null (see each field).
 */
export interface TreeColumns {
  count: number;
  /** Prepended to every entry of `id` ("" when the ids have no common prefix). */
  idPrefix: string;
  /** null: every id is `idPrefix` followed by the node's seq (the engine's "<treeId>:<seq>"). */
  id: string[] | null;
  /** Index of the parent in these columns; -1 for the root. */
  parent: number[];
  /** null: seq is the index (0, 1, 2, …). */
  seq: number[] | null;
  depth: number[];
  /** Index into `kinds`. */
  kind: number[];
  kinds: string[];
  visits: number[];
  valueSum: number[];
  /** 1 for a terminal, else 0. */
  terminal: number[];
  /** The nullable columns: null when every entry is null. */
  reward: Array<number | null> | null;
  prm: Array<number | null> | null;
  /** Passed and total search-visible (dataset-visible and generated) test executions; null when none ran. */
  visiblePassed: Array<number | null> | null;
  visibleTotal: Array<number | null> | null;
  hiddenPassed: Array<number | null> | null;
  hiddenTotal: Array<number | null> | null;
}

const REQUIRED_COLUMNS = ["parent", "depth", "kind", "visits", "valueSum", "terminal"] as const;
const OPTIONAL_COLUMNS = ["id", "seq", "reward", "prm", "visiblePassed", "visibleTotal", "hiddenPassed", "hiddenTotal"] as const;

/** The nodes from a tree payload's JSON text; throws naming the column when the text is not a well-formed payload. */
export function decodeTreeColumns(text: string): TreeNodeView[] {
  const columns = JSON.parse(text) as TreeColumns;
  const count = columns.count;
  if (!Number.isInteger(count) || count < 0) throw new Error(`tree payload: "count" is missing`);
  for (const name of REQUIRED_COLUMNS) {
    if (!Array.isArray(columns[name]) || columns[name].length !== count) throw new Error(`tree payload: column "${name}" is missing or not ${count} long`);
  }
  for (const name of OPTIONAL_COLUMNS) {
    const column = columns[name];
    if (column !== null && (!Array.isArray(column) || column.length !== count)) throw new Error(`tree payload: column "${name}" is neither null nor ${count} long`);
  }
  if (!Array.isArray(columns.kinds)) throw new Error(`tree payload: column "kinds" is missing`);
  if (typeof columns.idPrefix !== "string") throw new Error(`tree payload: "idPrefix" is missing`);
  const seqs = columns.seq;
  const ids = columns.id === null ? idsFromSeq(columns.idPrefix, seqs, count) : columns.idPrefix === "" ? columns.id : columns.id.map((suffix) => columns.idPrefix + suffix);
  const { reward, prm, visiblePassed, visibleTotal, hiddenPassed, hiddenTotal } = columns;
  const nodes = new Array<TreeNodeView>(count);
  for (let i = 0; i < count; i++) {
    // Parents are indexes into seq order: columns in any other order would attach nodes to the wrong parents.
    if (seqs !== null && i > 0 && seqs[i]! < seqs[i - 1]!) throw new Error(`tree payload: nodes out of seq order at index ${i}`);
    const p = columns.parent[i]!;
    nodes[i] = {
      id: ids[i]!,
      parentId: p < 0 ? null : ids[p]!,
      seq: seqs === null ? i : seqs[i]!,
      depth: columns.depth[i]!,
      actionKind: columns.kinds[columns.kind[i]!]!,
      visits: columns.visits[i]!,
      valueSum: columns.valueSum[i]!,
      isTerminal: columns.terminal[i] === 1,
      reward: reward === null ? null : reward[i]!,
      prmScore: prm === null ? null : prm[i]!,
      visible: visibleTotal === null ? null : tally(visiblePassed![i]!, visibleTotal[i]!),
      hidden: hiddenTotal === null ? null : tally(hiddenPassed![i]!, hiddenTotal[i]!),
    };
  }
  return nodes;
}

function idsFromSeq(prefix: string, seqs: number[] | null, count: number): string[] {
  const ids = new Array<string>(count);
  for (let i = 0; i < count; i++) ids[i] = prefix + (seqs === null ? i : seqs[i]!);
  return ids;
}

function tally(passed: number | null, total: number | null): PassCount | null {
  return total === null || total === 0 ? null : { passed: passed ?? 0, total };
}
