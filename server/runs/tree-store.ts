// Persistence of one search tree: a SearchObserver that buffers what a rollout creates and changes, and writes it
// in ONE transaction when the rollout completes (nodes, their test executions, updated Q/N along the path, the
// tree's counters and a progress event). A tree in the database is therefore always a whole number of rollouts
// (plus, after a cancel, the nodes of the interrupted one), which is exactly the state the search resumes from.
import type { Db } from "../db/client.ts";
import type { ExecutionStatus, Prisma } from "../db/generated/client.ts";
import type { Evaluation } from "../search/evaluator.ts";
import type { SearchNode } from "../search/search-node.ts";
import type { SearchObserver } from "../search/search-observer.ts";
import { appendEventsTx } from "./event-log.ts";
import { assertClaimTx } from "./tree-claim.ts";

/** One test run of a node's code, ready to store. */
export interface ExecutionRecord {
  testCaseId: string;
  status: ExecutionStatus;
  errorType?: string | null;
  errorMessage?: string | null;
  stdout?: string | null;
  stderr?: string | null;
  durationMs: number;
}

/** Database ids are unique across trees; the search's ids (`${seq}`) only within one. */
export function nodeDbId(treeId: string, searchId: string): string {
  return `${treeId}:${searchId}`;
}

export interface TreeRecorder extends SearchObserver<ExecutionRecord[]> {
  /** Writes whatever is buffered (also called by the observer at each rollout's end). */
  flush(): Promise<void>;
}

export interface TreeRef {
  experimentId: string;
  treeId: string;
  problemId: string;
  /** The writer's claim on the tree (tree-claim.ts): each flush checks it first and is refused once it is lost. */
  claimToken?: string;
}

export function createTreeRecorder(prisma: Db, ref: TreeRef): TreeRecorder {
  const created = new Map<string, { node: SearchNode; executions: ExecutionRecord[] }>();
  const touched = new Map<string, { visits: number; valueSum: number }>();
  let rolloutsDone: number | null = null;

  async function flush() {
    if (created.size === 0 && touched.size === 0 && rolloutsDone === null) return;
    const nodes = [...created.values()];
    const updates = [...touched.entries()].filter(([id]) => !created.has(id));
    const progress = rolloutsDone;
    created.clear();
    touched.clear();
    rolloutsDone = null;
    await prisma.$transaction(async (tx) => {
      if (ref.claimToken) await assertClaimTx(tx, ref.treeId, ref.claimToken);
      await insertNodes(tx, ref.treeId, nodes);
      await updateVisits(tx, ref.treeId, updates);
      await updateTreeCounters(tx, ref.treeId, nodes, progress);
      await appendEventsTx(tx, ref.experimentId, [
        {
          type: "tree.progress",
          payload: {
            treeId: ref.treeId,
            problemId: ref.problemId,
            rolloutsDone: progress,
            nodes: nodes.map(({ node }) => nodeSummary(ref.treeId, node)),
            updates: updates.map(([id, v]) => ({ id: nodeDbId(ref.treeId, id), visits: v.visits, valueSum: v.valueSum })),
          },
        },
      ]);
    });
  }

  return {
    onNodeCreated(node: SearchNode, evaluation: Evaluation<ExecutionRecord[]> | null) {
      created.set(node.id, { node: { ...node }, executions: evaluation?.details ?? [] });
    },
    onBackpropagated(path: readonly SearchNode[]) {
      for (const node of path) {
        const pending = created.get(node.id);
        if (pending) {
          pending.node.visits = node.visits;
          pending.node.valueSum = node.valueSum;
        } else {
          touched.set(node.id, { visits: node.visits, valueSum: node.valueSum });
        }
      }
    },
    async onRolloutDone(rolloutIndex: number) {
      rolloutsDone = rolloutIndex + 1;
      await flush();
    },
    flush,
  };
}

type Tx = Prisma.TransactionClient;

async function insertNodes(tx: Tx, treeId: string, nodes: { node: SearchNode; executions: ExecutionRecord[] }[]) {
  if (nodes.length === 0) return;
  await tx.treeNode.createMany({
    data: nodes.map(({ node }) => ({
      id: nodeDbId(treeId, node.id),
      treeId,
      parentId: node.parentId === null ? null : nodeDbId(treeId, node.parentId),
      seq: node.seq,
      depth: node.depth,
      stepIndex: node.stepIndex,
      actionKind: node.actionKind,
      stepText: node.stepText,
      code: node.code,
      visits: node.visits,
      valueSum: node.valueSum,
      prior: node.prior,
      prmScore: node.prmScore,
      isTerminal: node.isTerminal,
      reward: node.reward,
      promptTokens: node.promptTokens,
      completionTokens: node.completionTokens,
    })),
  });
  const executions = nodes.flatMap(({ node, executions }) => executions.map((e) => toExecutionRow(nodeDbId(treeId, node.id), e)));
  if (executions.length > 0) await tx.execution.createMany({ data: executions });
}

export function toExecutionRow(nodeId: string, e: ExecutionRecord): Prisma.ExecutionCreateManyInput {
  return {
    nodeId,
    testCaseId: e.testCaseId,
    status: e.status,
    errorType: e.errorType ?? null,
    errorMessage: e.errorMessage ?? null,
    stdout: e.stdout ?? null,
    stderr: e.stderr ?? null,
    durationMs: e.durationMs,
  };
}

/** One statement for all of a rollout's Q/N changes. */
async function updateVisits(tx: Tx, treeId: string, updates: [string, { visits: number; valueSum: number }][]) {
  if (updates.length === 0) return;
  await tx.$executeRaw`
    UPDATE "TreeNode" AS t SET "visits" = v.visits, "valueSum" = v.value_sum
    FROM (SELECT unnest(${updates.map(([id]) => nodeDbId(treeId, id))}::text[]) AS id,
                 unnest(${updates.map(([, v]) => v.visits)}::int[]) AS visits,
                 unnest(${updates.map(([, v]) => v.valueSum)}::float8[]) AS value_sum) AS v
    WHERE t."id" = v.id`;
}

async function updateTreeCounters(tx: Tx, treeId: string, nodes: { node: SearchNode }[], rolloutsDone: number | null) {
  const expansions = new Set(nodes.map(({ node }) => node.parentId).filter((id) => id !== null)).size;
  await tx.searchTree.update({
    where: { id: treeId },
    data: {
      ...(rolloutsDone === null ? {} : { rolloutsDone }),
      promptTokens: { increment: nodes.reduce((s, { node }) => s + node.promptTokens, 0) },
      completionTokens: { increment: nodes.reduce((s, { node }) => s + node.completionTokens, 0) },
      llmCalls: { increment: expansions },
    },
  });
}

/** What the live tree view needs to draw a node (step text and code are fetched on demand). */
export function nodeSummary(treeId: string, node: SearchNode) {
  return {
    id: nodeDbId(treeId, node.id),
    parentId: node.parentId === null ? null : nodeDbId(treeId, node.parentId),
    seq: node.seq,
    depth: node.depth,
    actionKind: node.actionKind,
    visits: node.visits,
    valueSum: node.valueSum,
    isTerminal: node.isTerminal,
    reward: node.reward,
    prmScore: node.prmScore,
  };
}

/** The persisted state of a tree in the search's own terms, for resumeSearch. */
export async function loadTreeState(prisma: Db, treeId: string): Promise<{ nodes: SearchNode[]; rolloutsDone: number }> {
  const tree = await prisma.searchTree.findUniqueOrThrow({ where: { id: treeId }, select: { rolloutsDone: true } });
  const rows = await prisma.treeNode.findMany({ where: { treeId }, orderBy: { seq: "asc" } });
  const searchId = (dbId: string) => dbId.slice(treeId.length + 1);
  const nodes = rows.map((r) => ({
    id: searchId(r.id),
    parentId: r.parentId === null ? null : searchId(r.parentId),
    depth: r.depth,
    stepIndex: r.stepIndex,
    seq: r.seq,
    actionKind: r.actionKind,
    stepText: r.stepText,
    code: r.code,
    visits: r.visits,
    valueSum: r.valueSum,
    prior: r.prior,
    prmScore: r.prmScore,
    isTerminal: r.isTerminal,
    reward: r.reward,
    promptTokens: r.promptTokens,
    completionTokens: r.completionTokens,
  }));
  return { nodes, rolloutsDone: tree.rolloutsDone };
}
