// Persistence of one search tree: a SearchObserver that buffers what rollouts create and change, and writes it in ONE
// transaction at the end of a rollout (nodes, their test executions, updated Q/N along the paths, the tree's counters
// and a progress event). A tree in the database is therefore always a whole number of rollouts (plus, after a
// cancel, the nodes of the interrupted one), which is exactly the state the search resumes from. When rollouts come
// faster than `minFlushIntervalMs` (a fast LLM), several are written together: fewer transactions and events, and a
// crash loses at most that interval of work.
//
// Asynchronous commits: a writer that knows the tree's stored rolloutsDone (its claim loaded it) commits its progress
// writes without waiting for the WAL flush (synchronous_commit off for that transaction). Every write of an
// experiment's events takes the Experiment row's lock (event-log.ts: gap-free seqs), and a synchronous commit holds it
// through the WAL flush (1-3 ms here, more under I/O load): the trees' writes and claims queued behind one another's
// flushes (`o1c bench engine`: most sampled waits of the bench database were this convoy). A database crash may lose
// the last such commits (only ever a suffix of the WAL), so each write is guarded by the rolloutsDone this writer last
// stored: after a lost commit the next write (or the finishing one, which commits synchronously and so makes every
// earlier commit durable) finds another count, writes nothing and fails like a lost claim; the worker, finding the
// claim still its own, releases the tree and hands it back through the queue (tree-job.ts, outcome "requeued"), and it
// resumes from what is stored — a whole number of rollouts, as always. (A flush
// that finishes no rollout, the part-rollout of a cancel, moves no count: if it is lost, so is only that part, which
// a resume does without.) The progress events these writes append reach readers only once durable
// (experiments/event-log.ts), so a lost commit's event seq, handed out again, was never seen by anyone.
import { Prisma, queryRows, type Db, type ExecutionStatus, type TestKind, type TestOrigin, type TestSuite, type ValidationStatus } from "../db/index.ts";
import { NotFoundError } from "../errors.ts";
import type { EventType } from "../experiments/index.ts";
import type { Evaluation, SearchNode, SearchObserver } from "../search/index.ts";
import type { CodeEvaluation, ExecutionRecord, TopLevelOutput } from "../judging/index.ts";
import { ClaimLostError } from "./tree-claim.ts";

/** Database ids are unique across trees; the search's ids (`${seq}`) only within one. */
export function nodeDbId(treeId: string, searchId: string): string {
  return `${treeId}:${searchId}`;
}

export interface TreeRecorder extends SearchObserver<CodeEvaluation> {
  /** Writes whatever is buffered (the observer also writes at the end of rollouts, see FlushTiming). */
  flush(): Promise<void>;
  /** The rolloutsDone this recorder last stored (ref.storedRolloutsDone until its first write; undefined without it). */
  storedRolloutsDone(): number | undefined;
}

export interface TreeRef {
  experimentId: string;
  treeId: string;
  problemId: string;
  /** The writer's claim on the tree (tree-claim.ts): each flush checks it first and is refused once it is lost. */
  claimToken?: string;
  /**
   * The tree's rolloutsDone as stored when this writer started (or last wrote). Given, writes are refused unless the
   * stored count is still this, and progress writes commit asynchronously (see the top of this file).
   */
  storedRolloutsDone?: number;
}

export interface FlushTiming {
  now: () => number;
  /** A rollout that ends sooner than this after the last write is written with the next one (0: every rollout). */
  minFlushIntervalMs: number;
}

export function createTreeRecorder(prisma: Db, ref: TreeRef, timing: FlushTiming = { now: Date.now, minFlushIntervalMs: 0 }): TreeRecorder {
  const created = new Map<string, Pending>();
  const touched = new Map<string, { visits: number; valueSum: number }>();
  let rolloutsDone: number | null = null;
  let stored = ref.storedRolloutsDone;
  let lastFlushAt = timing.now();

  async function flush() {
    if (created.size === 0 && touched.size === 0 && rolloutsDone === null) return;
    lastFlushAt = timing.now();
    const nodes = [...created.values()];
    const updates = [...touched.entries()].filter(([id]) => !created.has(id));
    const progress = rolloutsDone;
    created.clear();
    touched.clear();
    rolloutsDone = null;
    const claimed = await writeBatch(prisma, { ...ref, storedRolloutsDone: stored }, nodes, updates, progress);
    if (!claimed) throw new ClaimLostError(ref.treeId);
    if (stored !== undefined && progress !== null) stored = progress;
  }

  return {
    onNodeCreated(node: SearchNode, evaluation: Evaluation<CodeEvaluation> | null) {
      created.set(node.id, { node: { ...node }, executions: evaluation?.details?.executions ?? [], topLevel: evaluation?.details?.topLevel ?? null });
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
      if (timing.now() - lastFlushAt >= timing.minFlushIntervalMs) await flush();
    },
    flush,
    storedRolloutsDone: () => stored,
  };
}

type Pending = { node: SearchNode; executions: ExecutionRecord[]; topLevel: TopLevelOutput | null };

/** The enum's stored spelling (the schema maps PASS to "pass", OUTPUT_LIMIT to "output-limit", ...). */
const EXECUTION_STATUS_VALUE: Record<ExecutionStatus, string> = {
  PASS: "pass",
  FAIL: "fail",
  ERROR: "error",
  TIMEOUT: "timeout",
  MEMORY: "memory",
  OUTPUT_LIMIT: "output-limit",
  CRASH: "crash",
};

/** A node's top-level output from the hidden judging (kept only where the search's evaluation stored none). */
export type NodeTopLevel = TopLevelOutput & { nodeId: string };

/** An execution ready to store: which node's code ran, and the record. */
export type NodeExecution = ExecutionRecord & { nodeId: string };

/**
 * Writes a batch as ONE statement (so ONE implicit transaction and one round trip): the tree row is updated first —
 * heartbeat, counters, and the claim check — and every other part (nodes, executions, Q/N updates, the progress event
 * and its sequence number) only happens if that row matched. Returns false, having written nothing, when the claim
 * was lost. Raw SQL here because this is the engine's hot path, and Prisma's per-query planning cost several times
 * the statement itself (see `o1c bench engine`).
 */
async function writeBatch(
  prisma: Db,
  ref: TreeRef,
  nodes: readonly Pending[],
  updates: readonly [string, { visits: number; valueSum: number }][],
  rolloutsDone: number | null,
): Promise<boolean> {
  const rows = await queryRows<{ claimed: number }>(prisma, batchStatement(ref, nodes, updates, rolloutsDone));
  return (rows[0]?.claimed ?? 0) > 0;
}

/**
 * writeBatch's statement. Apart from the async write, and the columns built in one loop: the engine's hottest
 * function was also V8's costliest to optimise (hundreds of ms of background compiling for a statement with a map per
 * column, each compiled inline), paid again whenever its code was thrown away.
 */
function batchStatement(
  ref: TreeRef,
  nodes: readonly Pending[],
  updates: readonly [string, { visits: number; valueSum: number }][],
  rolloutsDone: number | null,
): Prisma.Sql {
  const { treeId } = ref;
  const c = nodeColumns(treeId, nodes);
  const payload = { treeId, problemId: ref.problemId, rolloutsDone, nodes: c.summaries, updates: updateRows(treeId, updates) };
  const u = updateColumns(payload.updates);
  return Prisma.sql`
    WITH ${claimedTreeUpdate(ref, { asyncCommit: true }, Prisma.sql`
        "rolloutsDone" = COALESCE(${rolloutsDone}::int, "rolloutsDone"),
        "promptTokens" = "promptTokens" + ${c.promptTokenSum}::int,
        "completionTokens" = "completionTokens" + ${c.completionTokenSum}::int,
        "llmCalls" = "llmCalls" + ${c.expansions}::int`)},
    new_nodes AS (
      INSERT INTO "TreeNode" ("id", "treeId", "parentId", "seq", "depth", "stepIndex", "actionKind", "stepText", "code",
                              "visits", "valueSum", "prior", "prmScore", "isTerminal", "reward", "copies", "promptTokens", "completionTokens",
                              "topLevelStdout", "topLevelStderr")
      SELECT v.id, tree."id", v.parent_id, v.seq, v.depth, v.step_index, v.action_kind, v.step_text, v.code,
             v.visits, v.value_sum, v.prior, v.prm_score, v.is_terminal, v.reward, v.copies, v.prompt_tokens, v.completion_tokens,
             v.top_level_stdout, v.top_level_stderr
      FROM tree, unnest(${c.id}::text[], ${c.parentId}::text[],
                        ${c.seq}::int[], ${c.depth}::int[], ${c.stepIndex}::int[],
                        ${c.actionKind}::text[], ${c.stepText}::text[], ${c.code}::text[],
                        ${c.visits}::int[], ${c.valueSum}::float8[], ${c.prior}::float8[],
                        ${c.prmScore}::float8[], ${c.isTerminal}::boolean[], ${c.reward}::float8[],
                        ${c.copies}::int[], ${c.promptTokens}::int[], ${c.completionTokens}::int[],
                        ${c.topLevelStdout}::text[], ${c.topLevelStderr}::text[])
        AS v(id, parent_id, seq, depth, step_index, action_kind, step_text, code, visits, value_sum, prior, prm_score,
             is_terminal, reward, copies, prompt_tokens, completion_tokens, top_level_stdout, top_level_stderr)
    ),
    ${executionsInsert(c.executions)},
    visit_updates AS (
      UPDATE "TreeNode" AS t SET "visits" = v.visits, "valueSum" = v.value_sum
      FROM tree, unnest(${u.id}::text[], ${u.visits}::int[], ${u.valueSum}::float8[]) AS v(id, visits, value_sum)
      WHERE t."id" = v.id
    ),
    ${eventAppend(ref.experimentId, "tree.progress", payload)}
    SELECT count(*)::int AS claimed FROM tree`;
}

/** The new nodes as one array per column (the statement unnests them), with their summaries, executions and sums. */
function nodeColumns(treeId: string, nodes: readonly Pending[]) {
  const c = {
    id: [] as string[],
    parentId: [] as Array<string | null>,
    seq: [] as number[],
    depth: [] as number[],
    stepIndex: [] as number[],
    actionKind: [] as string[],
    stepText: [] as string[],
    code: [] as Array<string | null>,
    visits: [] as number[],
    valueSum: [] as number[],
    prior: [] as Array<number | null>,
    prmScore: [] as Array<number | null>,
    isTerminal: [] as boolean[],
    reward: [] as Array<number | null>,
    copies: [] as number[],
    promptTokens: [] as number[],
    completionTokens: [] as number[],
    topLevelStdout: [] as Array<string | null>,
    topLevelStderr: [] as Array<string | null>,
    summaries: [] as ReturnType<typeof nodeSummary>[],
    executions: [] as NodeExecution[],
    promptTokenSum: 0,
    completionTokenSum: 0,
    /** Requests the batch's nodes came from: one per distinct parent. */
    expansions: 0,
  };
  const parents = new Set<string>();
  for (const { node, executions, topLevel } of nodes) {
    const id = nodeDbId(treeId, node.id);
    c.id.push(id);
    c.parentId.push(node.parentId === null ? null : nodeDbId(treeId, node.parentId));
    c.seq.push(node.seq);
    c.depth.push(node.depth);
    c.stepIndex.push(node.stepIndex);
    c.actionKind.push(node.actionKind);
    c.stepText.push(node.stepText);
    c.code.push(node.code);
    c.visits.push(node.visits);
    c.valueSum.push(node.valueSum);
    c.prior.push(node.prior);
    c.prmScore.push(node.prmScore);
    c.isTerminal.push(node.isTerminal);
    c.reward.push(node.reward);
    c.copies.push(node.copies);
    c.promptTokens.push(node.promptTokens);
    c.completionTokens.push(node.completionTokens);
    c.topLevelStdout.push(topLevel?.stdout ?? null);
    c.topLevelStderr.push(topLevel?.stderr ?? null);
    c.summaries.push(nodeSummary(treeId, node));
    for (const e of executions) c.executions.push({ nodeId: id, ...e });
    c.promptTokenSum += node.promptTokens;
    c.completionTokenSum += node.completionTokens;
    if (node.parentId !== null) parents.add(node.parentId);
  }
  c.expansions = parents.size;
  return c;
}

function updateRows(treeId: string, updates: readonly [string, { visits: number; valueSum: number }][]) {
  return updates.map(([id, v]) => ({ id: nodeDbId(treeId, id), visits: v.visits, valueSum: v.valueSum }));
}

function updateColumns(rows: ReadonlyArray<{ id: string; visits: number; valueSum: number }>) {
  const u = { id: [] as string[], visits: [] as number[], valueSum: [] as number[] };
  for (const row of rows) {
    u.id.push(row.id);
    u.visits.push(row.visits);
    u.valueSum.push(row.valueSum);
  }
  return u;
}

/**
 * Marks a searched tree DONE with its metrics, stores the hidden-test executions and appends `tree.finished`, in one
 * statement guarded by the claim like writeBatch: a tree is judged wholly or not at all. With `release`, the same
 * statement also gives the claim up. Executions already stored
 * (a tree judged by an older version one code at a time, then resumed) are skipped.
 */
export async function writeTreeFinished(
  prisma: Db,
  ref: TreeRef,
  finished: {
    finishedAt: Date;
    finalNodeId: string | null;
    metrics: object;
    executions: readonly NodeExecution[];
    topLevel?: readonly NodeTopLevel[];
    /** Also gives the claim up, adding this attempt's LLM retries (what releaseTree does, without its own round trip). */
    release?: { llmRetries: number };
  },
): Promise<void> {
  const top = finished.topLevel ?? [];
  const release = finished.release
    ? Prisma.sql`, "claimToken" = NULL, "claimedBy" = NULL, "llmRetries" = "llmRetries" + ${finished.release.llmRetries}::int`
    : Prisma.empty;
  const rows = await queryRows<{ claimed: number }>(prisma, Prisma.sql`
    WITH ${claimedTreeUpdate(ref, { asyncCommit: false }, Prisma.sql`
        "status" = 'done', "finishedAt" = ${finished.finishedAt}, "finalNodeId" = ${finished.finalNodeId},
        "metrics" = ${JSON.stringify(finished.metrics)}::jsonb${release}`)},
    ${executionsInsert(finished.executions)},
    top_level AS (
      UPDATE "TreeNode" AS t SET "topLevelStdout" = v.stdout, "topLevelStderr" = v.stderr
      FROM tree, unnest(${top.map((x) => x.nodeId)}::text[], ${top.map((x) => x.stdout)}::text[], ${top.map((x) => x.stderr)}::text[])
        AS v(id, stdout, stderr)
      WHERE t."id" = v.id AND t."topLevelStdout" IS NULL AND t."topLevelStderr" IS NULL
    ),
    ${eventAppend(ref.experimentId, "tree.finished", { treeId: ref.treeId, metrics: finished.metrics })}
    SELECT count(*)::int AS claimed FROM tree`);
  if ((rows[0]?.claimed ?? 0) === 0) throw new ClaimLostError(ref.treeId);
}

/**
 * CTE `tree`: the tree's row updated with `set` (and the heartbeat) when the claim holds and the stored rolloutsDone is
 * still the writer's; empty otherwise. With `asyncCommit`, the statement's transaction commits without waiting for
 * the WAL flush (set_config(..., true) lasts until that commit); only for a guarded writer (see the top of this file).
 */
function claimedTreeUpdate(ref: TreeRef, options: { asyncCommit: boolean }, set: Prisma.Sql): Prisma.Sql {
  const token = ref.claimToken ?? null;
  const stored = ref.storedRolloutsDone ?? null;
  const commit = options.asyncCommit && stored !== null ? "off" : null;
  return Prisma.sql`tree AS (
      UPDATE "SearchTree" SET
        "heartbeatAt" = CASE WHEN ${token}::text IS NULL THEN "heartbeatAt" ELSE now() END,
        ${set}
      FROM (SELECT set_config('synchronous_commit', COALESCE(${commit}::text, current_setting('synchronous_commit')), true)) AS commit_mode
      WHERE "id" = ${ref.treeId} AND (${token}::text IS NULL OR "claimToken" = ${token}::text)
        AND (${stored}::int IS NULL OR "rolloutsDone" = ${stored}::int)
      RETURNING "id"
    )`;
}

/** CTE inserting executions, only when `tree` matched. */
function executionsInsert(executions: readonly NodeExecution[]): Prisma.Sql {
  const e = executions;
  return Prisma.sql`new_executions AS (
      INSERT INTO "Execution" ("id", "nodeId", "testCaseId", "status", "errorType", "errorMessage", "stdout", "stderr", "durationMs")
      SELECT gen_random_uuid()::text, v.node_id, v.test_case_id, v.status::"ExecutionStatus", v.error_type, v.error_message,
             v.stdout, v.stderr, v.duration_ms
      FROM tree, unnest(${e.map((x) => x.nodeId)}::text[], ${e.map((x) => x.testCaseId)}::text[],
                        ${e.map((x) => EXECUTION_STATUS_VALUE[x.status])}::text[], ${e.map((x) => x.errorType ?? null)}::text[],
                        ${e.map((x) => x.errorMessage ?? null)}::text[], ${e.map((x) => x.stdout ?? null)}::text[],
                        ${e.map((x) => x.stderr ?? null)}::text[], ${e.map((x) => x.durationMs)}::float8[])
        AS v(node_id, test_case_id, status, error_type, error_message, stdout, stderr, duration_ms)
      ON CONFLICT ("nodeId", "testCaseId") DO NOTHING
    )`;
}

/** CTEs appending one event (next seq of the experiment, as event-log.ts hands them out), only when `tree` matched. */
function eventAppend(experimentId: string, type: EventType, payload: object): Prisma.Sql {
  return Prisma.sql`event_seq AS (
      UPDATE "Experiment" SET "eventSeq" = "eventSeq" + 1 FROM tree WHERE "Experiment"."id" = ${experimentId} RETURNING "eventSeq"
    ), new_event AS (
      INSERT INTO "ExperimentEvent" ("experimentId", "seq", "type", "payload")
      SELECT ${experimentId}, event_seq."eventSeq", ${type}, ${JSON.stringify(payload)}::jsonb FROM event_seq
    )`;
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
export async function loadTreeState(prisma: Db, treeId: string, knownRolloutsDone?: number): Promise<{ nodes: SearchNode[]; rolloutsDone: number }> {
  const rolloutsDone =
    knownRolloutsDone ?? (await prisma.searchTree.findUniqueOrThrow({ where: { id: treeId }, select: { rolloutsDone: true } })).rolloutsDone;
  // Raw (and only the columns the search needs): every claimed tree asks, most of them to learn it has no nodes yet.
  const rows = await queryRows<SearchNode>(prisma, Prisma.sql`
    SELECT "id", "parentId", "depth", "stepIndex", "seq", "actionKind", "stepText", "code", "visits", "valueSum", "prior",
           "prmScore", "isTerminal", "reward", "copies", "promptTokens", "completionTokens"
    FROM "TreeNode" WHERE "treeId" = ${treeId} ORDER BY "seq"`);
  const searchId = (dbId: string) => dbId.slice(treeId.length + 1);
  // Database ids ("<treeId>:<seq>") become the search's own ("<seq>").
  const nodes = rows.map((r): SearchNode => ({ ...r, id: searchId(r.id), parentId: r.parentId === null ? null : searchId(r.parentId) }));
  return { nodes, rolloutsDone };
}

/** A stored test case as the search and the judge read it (enum values in Prisma's spelling: DATASET_VISIBLE, ASSERT…). */
export interface TreeTestCase {
  id: string;
  kind: TestKind;
  input: string;
  expected: string | null;
  atol: number | null;
  origin: TestOrigin;
  validation: ValidationStatus;
  suite: TestSuite;
  /** The test-generation run that wrote it (generated tests only). */
  tcgRunId: string | null;
}

export interface TreeProblem {
  rolloutsDone: number;
  problem: {
    id: string;
    ordinal: number;
    statement: string;
    entryPoint: string | null;
    signature: string | null;
    testSetupCode: string;
    /** By origin (dataset-visible, dataset-hidden, generated), then ordinal. */
    testCases: TreeTestCase[];
  };
}

/**
 * The tree's problem and test cases in one query. The stored enum spellings ("dataset-visible", "assert") become
 * Prisma's names (DATASET_VISIBLE, ASSERT): each @map in the schema is the lower-case, hyphenated name.
 */
export async function loadTreeProblem(prisma: Db, treeId: string): Promise<TreeProblem> {
  const rows = await queryRows<Omit<TreeProblem["problem"], "testCases" | "id"> & { problemId: string; rolloutsDone: number; testCases: TreeTestCase[] }>(prisma, Prisma.sql`
    SELECT t."rolloutsDone", p."id" AS "problemId", p."ordinal", p."statement", p."entryPoint", p."signature", p."testSetupCode",
           COALESCE(json_agg(json_build_object(
             'id', c."id", 'kind', upper(c."kind"::text), 'input', c."input", 'expected', c."expected", 'atol', c."atol",
             'origin', upper(replace(c."origin"::text, '-', '_')), 'validation', upper(c."validation"::text),
             'suite', upper(c."suite"::text), 'tcgRunId', c."tcgRunId")
             ORDER BY c."origin", c."ordinal") FILTER (WHERE c."id" IS NOT NULL), '[]') AS "testCases"
    FROM "SearchTree" t JOIN "Problem" p ON p."id" = t."problemId" LEFT JOIN "TestCase" c ON c."problemId" = p."id"
    WHERE t."id" = ${treeId}
    GROUP BY t."id", p."id"`);
  const row = rows[0];
  if (!row) throw new NotFoundError(`no tree ${treeId}`);
  const { rolloutsDone, problemId, ...problem } = row;
  return { rolloutsDone, problem: { id: problemId, ...problem } };
}

/** Every node's PRM score in one statement (rollout mode's soft labels, keyed by the search's node id). */
export async function writePrmScores(tx: Prisma.TransactionClient, treeId: string, byNode: ReadonlyMap<string, number | null>): Promise<void> {
  const scores = [...byNode.entries()];
  if (scores.length === 0) return;
  await tx.$executeRaw`
    UPDATE "TreeNode" AS t SET "prmScore" = v.score
    FROM (SELECT unnest(${scores.map(([id]) => nodeDbId(treeId, id))}::text[]) AS id,
                 unnest(${scores.map(([, s]) => s)}::float8[]) AS score) AS v
    WHERE t."id" = v.id`;
}
