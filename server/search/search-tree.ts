// The node list with a children index. The whole state of a search is this list plus the rollout counter, so a tree
// rebuilt from persisted nodes continues exactly where it stopped.
import { ValidationError } from "../errors.ts";
import { copyNode, createRootNode, type SearchNode } from "./search-node.ts";

export type NewChild = Pick<
  SearchNode,
  "actionKind" | "stepText" | "code" | "prior" | "prmScore" | "isTerminal" | "reward" | "promptTokens" | "completionTokens"
> &
  Partial<Pick<SearchNode, "copies">>;

export class SearchTree {
  private readonly byId = new Map<string, SearchNode>();
  private readonly children = new Map<string, SearchNode[]>();
  private nextSeq = 0;

  private constructor(readonly root: SearchNode) {
    this.insert(root);
  }

  static create(): SearchTree {
    return new SearchTree(createRootNode());
  }

  /** Rebuilds a tree from persisted nodes (any order); throws ValidationError if they do not form one tree. */
  static fromNodes(nodes: readonly SearchNode[]): SearchTree {
    const sorted = [...nodes].sort((a, b) => a.seq - b.seq);
    const [root, ...rest] = sorted;
    if (!root || root.parentId !== null || root.seq !== 0 || root.depth !== 0) {
      throw new ValidationError("needs a root (parentId null, seq 0, depth 0) as its first node", "search state nodes");
    }
    const tree = new SearchTree(copyNode(root));
    for (const node of rest) {
      const where = `search state node seq ${node.seq}`;
      if (node.seq === tree.nextSeq - 1) throw new ValidationError("duplicate seq", where);
      if (tree.byId.has(node.id)) throw new ValidationError(`duplicate id "${node.id}"`, where);
      if (node.parentId === null) throw new ValidationError("a second root", where);
      const parent = tree.byId.get(node.parentId);
      if (!parent) throw new ValidationError(`parent "${node.parentId}" is missing or created later`, where);
      if (node.depth !== parent.depth + 1) throw new ValidationError(`depth ${node.depth} under a parent at ${parent.depth}`, where);
      tree.insert(copyNode(node));
    }
    return tree;
  }

  private insert(node: SearchNode): void {
    this.byId.set(node.id, node);
    this.children.set(node.id, []);
    if (node.parentId !== null) this.children.get(node.parentId)?.push(node);
    this.nextSeq = node.seq + 1;
  }

  get(id: string): SearchNode {
    const node = this.byId.get(id);
    if (!node) throw new Error(`no node "${id}" in this tree`);
    return node;
  }

  /** In creation order. */
  childrenOf(id: string): readonly SearchNode[] {
    return this.children.get(id) ?? [];
  }

  /** Root first, `id` last. */
  pathTo(id: string): SearchNode[] {
    const path: SearchNode[] = [];
    for (let node: SearchNode | undefined = this.get(id); node; node = node.parentId === null ? undefined : this.get(node.parentId)) {
      path.push(node);
    }
    return path.reverse();
  }

  addChild(parent: SearchNode, fields: NewChild): SearchNode {
    const seq = this.nextSeq;
    // Field by field, in copyNode's order (one hidden class for every node; see copyNode).
    const node = {
      id: String(seq),
      parentId: parent.id,
      depth: parent.depth + 1,
      stepIndex: this.childrenOf(parent.id).length,
      seq,
      actionKind: fields.actionKind,
      stepText: fields.stepText,
      code: fields.code,
      visits: 0,
      valueSum: 0,
      prior: fields.prior,
      prmScore: fields.prmScore,
      isTerminal: fields.isTerminal,
      reward: fields.reward,
      copies: fields.copies ?? 1,
      promptTokens: fields.promptTokens,
      completionTokens: fields.completionTokens,
    } satisfies Required<SearchNode>;
    this.insert(node);
    return node;
  }

  /**
   * Live nodes in creation order (the search mutates visits and valueSum). The map's insertion order is seq order:
   * fromNodes inserts by rising seq and addChild always takes the next seq.
   */
  nodes(): SearchNode[] {
    return [...this.byId.values()];
  }

  /** Copies, safe to hand out. */
  snapshot(): SearchNode[] {
    return this.nodes().map(copyNode);
  }
}
