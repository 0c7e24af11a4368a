// Who may write a tree. A worker claims a tree by compare-and-set (only when nobody holds it, or the holder's
// heartbeat is stale), keeps the claim alive with heartbeats, and every write transaction of the tree first checks
// the claim is still its own: a worker that stalled (GC pause, network partition) and lost the tree to another
// worker has its writes refused instead of interleaving them with the new holder's. Times come from the database's
// clock, so workers on several machines agree on what "stale" means.
import { randomUUID } from "node:crypto";
import { type Db, Prisma, queryRows } from "../db/index.ts";
import { ConflictError } from "../errors.ts";

type Tx = Prisma.TransactionClient;

/** The tree was claimed by another worker (ours went stale): stop, and write nothing more. */
export class ClaimLostError extends ConflictError {
  constructor(readonly treeId: string) {
    super(`lost the claim on tree ${treeId} (another worker resumed it after this one's heartbeat went stale)`);
  }
}

export interface TreeClaim {
  treeId: string;
  experimentId: string;
  token: string;
  /** Claims of this tree so far, this one included. */
  attempts: number;
}

/** A claim older than this (no heartbeat) may be taken over. */
export const DEFAULT_STALE_MS = 30_000;

export type ClaimResult =
  | { kind: "claimed"; claim: TreeClaim }
  /** Its experiment already holds as many live claims as its `concurrency` allows: try again later. */
  | { kind: "at-limit" }
  /** Finished, not runnable (cancelled, completed), or another worker's claim is still fresh. */
  | { kind: "unavailable" };

/**
 * Claims an unfinished tree of a queued or running experiment for `workerId`, unless the experiment already runs
 * `config.concurrency` trees (live claims: a stale one is about to be taken over and does not count). The count and the
 * claim are serialised per experiment by a transaction-scoped advisory lock, so racing claims cannot overshoot the
 * limit (the claim's own snapshot is taken after the lock). The claimed tree is marked running with its
 * `tree.started` event; only the first claims, which find the experiment still queued, also move it QUEUED → RUNNING
 * by compare-and-set and log `experiment.started` before `tree.started`.
 *
 * One statement: the SQL function o1c_claim_tree (migration 20261205000000_claim_tree_function) takes the lock and
 * then counts and claims in a statement of its own. As a client-side transaction this was four round trips with the
 * lock held across two of them, so claims of one experiment (every worker's) queued behind each other's event loops.
 */
export async function claimTree(prisma: Db, treeId: string, workerId: string, staleMs = DEFAULT_STALE_MS): Promise<ClaimResult> {
  const token = randomUUID();
  const [result] = await queryRows<{ experimentId: string; problemId: string; attempts: number; experimentStatus: string; atLimit: boolean }>(
    prisma,
    Prisma.sql`SELECT * FROM o1c_claim_tree(${treeId}::text, ${token}::text, ${workerId}::text, ${staleMs / 1000}::float8)`,
  );
  if (!result) return { kind: "unavailable" };
  if (result.atLimit) return { kind: "at-limit" };
  if (result.experimentStatus === "queued") await startExperiment(prisma, result.experimentId, treeId, result.problemId);
  return { kind: "claimed", claim: { treeId, experimentId: result.experimentId, token, attempts: result.attempts } };
}

/**
 * QUEUED → RUNNING by compare-and-set: of the first claims racing here, one logs `experiment.started`; each logs its
 * `tree.started` after it. One statement, so one implicit transaction and one round trip on the plain pool (as a
 * Prisma interactive transaction it was four, each several times the CPU: every first claim of a worker's batch takes
 * this path, since they all find the experiment still queued). `started` is the compare-and-set; `running` takes the
 * event's seq only when that did not match (a row is updated once per statement).
 */
async function startExperiment(prisma: Db, experimentId: string, treeId: string, problemId: string): Promise<void> {
  const treeStarted = JSON.stringify({ treeId, problemId });
  await queryRows<unknown>(prisma, Prisma.sql`
    WITH started AS (
      UPDATE "Experiment" SET "status" = 'running', "startedAt" = now(), "error" = NULL, "eventSeq" = "eventSeq" + 2
      WHERE "id" = ${experimentId} AND "status" = 'queued'
      RETURNING "eventSeq"
    ), running AS (
      UPDATE "Experiment" SET "eventSeq" = "eventSeq" + 1
      WHERE "id" = ${experimentId} AND NOT EXISTS (SELECT 1 FROM started)
      RETURNING "eventSeq"
    ), events AS (
      SELECT "eventSeq" - 1 AS seq, 'experiment.started' AS type, '{}'::jsonb AS payload FROM started
      UNION ALL SELECT "eventSeq", 'tree.started', ${treeStarted}::jsonb FROM started
      UNION ALL SELECT "eventSeq", 'tree.started', ${treeStarted}::jsonb FROM running
    )
    INSERT INTO "ExperimentEvent" ("experimentId", "seq", "type", "payload")
    SELECT ${experimentId}, seq, type, payload FROM events`);
}

/** First statement of every write transaction of a claimed tree: refreshes the heartbeat, or refuses the write. */
export async function assertClaimTx(tx: Tx, treeId: string, token: string): Promise<void> {
  const changed = await tx.$executeRaw`
    UPDATE "SearchTree" SET "heartbeatAt" = now() WHERE "id" = ${treeId} AND "claimToken" = ${token}`;
  if (changed === 0) throw new ClaimLostError(treeId);
}

/**
 * Gives the tree up (finished, failed, or handed back to the queue), adding the LLM retries of this attempt. Returns
 * whether the claim was still this one (false: another worker took the tree over, and nothing was written).
 */
export async function releaseTree(prisma: Db, claim: TreeClaim, llmRetries: number): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(prisma, Prisma.sql`
    UPDATE "SearchTree" SET "claimToken" = NULL, "claimedBy" = NULL, "llmRetries" = "llmRetries" + ${llmRetries}::int
    WHERE "id" = ${claim.treeId} AND "claimToken" = ${claim.token}
    RETURNING "id"`);
  return rows.length > 0;
}

export interface HeartbeatResult {
  /** Trees whose claim is gone (taken over, or the tree was deleted). */
  lost: string[];
  /** Trees whose experiment was cancelled, or failed as a whole (e.g. its LLM server unreachable), meanwhile. */
  cancelled: string[];
}

/** One statement for all of a worker's claims: refreshes them and reports which were lost or cancelled. */
export async function heartbeatClaims(prisma: Db, claims: readonly TreeClaim[]): Promise<HeartbeatResult> {
  if (claims.length === 0) return { lost: [], cancelled: [] };
  const rows = await queryRows<{ id: string; status: string }>(prisma, Prisma.sql`
    UPDATE "SearchTree" AS t SET "heartbeatAt" = now()
    FROM (SELECT unnest(${claims.map((c) => c.treeId)}::text[]) AS id, unnest(${claims.map((c) => c.token)}::text[]) AS token) AS c,
         "Experiment" AS e
    WHERE t."id" = c.id AND t."claimToken" = c.token AND e."id" = t."experimentId"
    RETURNING t."id", e."status"::text AS status`);
  const alive = new Map(rows.map((r) => [r.id, r.status]));
  return {
    lost: claims.filter((c) => !alive.has(c.treeId)).map((c) => c.treeId),
    cancelled: rows.filter((r) => r.status === "cancelled" || r.status === "failed").map((r) => r.id),
  };
}

/** Unfinished trees of running experiments whose holder stopped heartbeating (crashed, killed, partitioned). */
export async function findStaleTrees(prisma: Db, staleMs = DEFAULT_STALE_MS): Promise<{ id: string; experimentId: string }[]> {
  return prisma.$queryRaw<{ id: string; experimentId: string }[]>`
    SELECT t."id", t."experimentId" FROM "SearchTree" AS t JOIN "Experiment" AS e ON e."id" = t."experimentId"
    WHERE e."status" = 'running' AND t."status" IN ('pending', 'running', 'cancelled')
      AND t."claimToken" IS NOT NULL AND t."heartbeatAt" < now() - make_interval(secs => ${staleMs / 1000})
    LIMIT 1000`;
}
