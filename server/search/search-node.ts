// One node of a search tree, in the shape it is persisted (prisma TreeNode) so a tree can be resumed from storage.

export interface SearchNode {
  /** `${seq}`: deterministic, unique within a tree. */
  id: string;
  parentId: string | null;
  depth: number;
  /** Position among its siblings (the choice index of the request that created it). */
  stepIndex: number;
  /** Creation order within the tree; the root is 0. */
  seq: number;
  /** "root" for the root; otherwise the reasoning mode's word for the step. */
  actionKind: string;
  stepText: string;
  code: string | null;
  /** N: rollouts backpropagated through this node. */
  visits: number;
  /** Q: sum of the rewards backpropagated through this node. */
  valueSum: number;
  prior: number | null;
  /** The process reward model's score for this step (see server/prm), null when there is no PRM or it failed. */
  prmScore: number | null;
  isTerminal: boolean;
  /** Reward from the search-visible tests; set on terminal nodes when they are created, null otherwise. */
  reward: number | null;
  /**
   * How many of its request's n samples produced exactly this step text (≥ 1). Identical samples are one node: a copy
   * would split the visits of one step between twins and pair a step with itself in preference data.
   */
  copies: number;
  /** Prompt tokens of the request that created this node and its siblings, billed to the first sibling only. */
  promptTokens: number;
  completionTokens: number;
}

/** The stored step fields every view of a node shares (export, annotation pair, explorer): declared once, here. */
export type StepNodeFields = Pick<
  SearchNode,
  "id" | "parentId" | "depth" | "seq" | "actionKind" | "stepText" | "code" | "visits" | "valueSum" | "prmScore" | "isTerminal" | "reward"
>;

export const ROOT_ACTION_KIND = "root";

export function createRootNode(): SearchNode {
  return {
    id: "0",
    parentId: null,
    depth: 0,
    stepIndex: 0,
    seq: 0,
    actionKind: ROOT_ACTION_KIND,
    stepText: "",
    code: null,
    visits: 0,
    valueSum: 0,
    prior: null,
    prmScore: null,
    isTerminal: false,
    reward: null,
    copies: 1,
    promptTokens: 0,
    completionTokens: 0,
  };
}

/** v = Q/N; null before the first visit. */
export function nodeValue(node: Pick<SearchNode, "visits" | "valueSum">): number | null {
  return node.visits === 0 ? null : node.valueSum / node.visits;
}

/**
 * Every SearchNode is built with its fields in this one order (the root, addChild's children, copies, and so nodes
 * loaded from storage, which SearchTree.fromNodes copies): V8 gives them all one hidden class, so the search's
 * functions see one node shape, where spreads of differently ordered objects made several.
 */
export function copyNode(node: SearchNode): SearchNode {
  return {
    id: node.id,
    parentId: node.parentId,
    depth: node.depth,
    stepIndex: node.stepIndex,
    seq: node.seq,
    actionKind: node.actionKind,
    stepText: node.stepText,
    code: node.code,
    visits: node.visits,
    valueSum: node.valueSum,
    prior: node.prior,
    prmScore: node.prmScore,
    isTerminal: node.isTerminal,
    reward: node.reward,
    copies: node.copies,
    promptTokens: node.promptTokens,
    completionTokens: node.completionTokens,
  } satisfies Required<SearchNode>; // a field added to SearchNode, even an optional one, must be copied here
}
