// One unit of work for any worker: claim a tree, run or resume its search, and record how it ended. Used by the
// in-process runner (run-experiment.ts) and by queue workers (queue/tree-worker.ts) alike, so both follow the same
// claim rules and the same experiment lifecycle (the first claim starts the experiment, the last tree completes it).
import type { Db } from "../db/index.ts";
import { AppError } from "../errors.ts";
import { type LlmClient, LlmUnavailableError, type Semaphore } from "../llm/index.ts";
import type { Sandbox } from "../sandbox/index.ts";
import type { ClaimKeeper } from "./claim-keeper.ts";
import { appendEventsTx, completeExperimentIfFinished, failExperiment } from "../experiments/index.ts";
import { connectFailureReason, isConnectFailure, nothingAnsweredSinceStart } from "./connection-fail-fast.ts";
import { parseExperimentConfig, type ExperimentConfig, type LlmEndpoint } from "../contracts/index.ts";
import { runTree } from "./run-tree.ts";
import { ClaimLostError, DEFAULT_STALE_MS, assertClaimTx, claimTree, releaseTree, type TreeClaim } from "./tree-claim.ts";

export interface TreeWorkDeps {
  sandbox: Sandbox;
  createLlm: (endpoint: LlmEndpoint) => LlmClient & { stats?: () => { retries: number } };
  keeper: ClaimKeeper;
  workerId: string;
  staleMs?: number;
  /** Shutdown of this worker: the tree stops between steps and stays resumable. */
  signal?: AbortSignal;
  /**
   * Bounds how many trees are being claimed and loaded at once. Without it a worker that takes 160 jobs runs all
   * their claims and loads interleaved (~10 queries each) and the first LLM request waits for all of them; with it
   * the first trees are searching (their requests in flight) while the rest load.
   */
  startupGate?: Semaphore;
  /** Experiment configs this worker has read, by experiment id. */
  configs?: Map<string, Promise<ExperimentConfig>>;
  now?: () => number;
}

export type TreeOutcome =
  /** Searched and judged. */
  | { kind: "done" }
  /** Recorded as FAILED with its error (retry budget spent, or an error no retry can fix). */
  | { kind: "failed"; error: string }
  /** Failed with a transient error and handed back (status PENDING): the caller schedules another attempt. */
  | { kind: "retry"; error: string }
  /** Stopped by a cancel of the experiment or a shutdown of this worker; resumable. */
  | { kind: "stopped" }
  /** Nothing to do here: finished, not runnable, or held by another live worker (or taken over from this one). */
  | { kind: "skipped" }
  /**
   * A write was refused while the claim was still this worker's: the stored tree is behind what the worker wrote (a
   * database crash lost asynchronous progress commits, tree-store.ts). Released, and handed back through the queue
   * to resume from what is stored: nobody else would, since no claim of it is left to go stale.
   */
  | { kind: "requeued" }
  /** Not claimed: its experiment already runs as many trees as its `concurrency` allows. Try again later. */
  | { kind: "deferred" };

export interface TreeAttempt {
  /** Transient failures may be handed back this many more times before the tree is FAILED. */
  retriesLeft: number;
}

export async function processTree(prisma: Db, treeId: string, deps: TreeWorkDeps, attempt: TreeAttempt): Promise<TreeOutcome> {
  const now = deps.now ?? Date.now;
  let openGate: () => void = () => {};
  try {
    if (deps.startupGate) openGate = await deps.startupGate.acquire(deps.signal);
  } catch (error) {
    if (deps.signal?.aborted) return { kind: "stopped" }; // shut down while waiting: nothing was claimed
    throw error;
  }
  try {
    return await claimAndSearch(prisma, treeId, deps, attempt, now, openGate);
  } finally {
    openGate();
  }
}

async function claimAndSearch(
  prisma: Db,
  treeId: string,
  deps: TreeWorkDeps,
  attempt: TreeAttempt,
  now: () => number,
  openGate: () => void,
): Promise<TreeOutcome> {
  const claimed = await claimTree(prisma, treeId, deps.workerId, deps.staleMs ?? DEFAULT_STALE_MS);
  if (claimed.kind === "at-limit") return { kind: "deferred" };
  if (claimed.kind === "unavailable") return { kind: "skipped" };
  const claim = claimed.claim;
  const held = deps.keeper.hold(claim);
  let llm: ReturnType<TreeWorkDeps["createLlm"]> | null = null;
  let config: ExperimentConfig | null = null;
  let outcome: TreeOutcome;
  try {
    config = await experimentConfig(prisma, claim.experimentId, deps.configs);
    llm = deps.createLlm(config.llm);
    const signal = deps.signal ? AbortSignal.any([held.signal, deps.signal]) : held.signal;
    const job = { experimentId: claim.experimentId, treeId, config, claimToken: claim.token, firstClaim: claim.attempts === 1 };
    const client = llm;
    const result = await runTree(prisma, job, { sandbox: deps.sandbox, llm, signal, now, onSearchStarting: openGate, llmRetries: () => client.stats?.().retries ?? 0 });
    outcome = result.status === "done" ? { kind: "done" } : held.signal.reason instanceof ClaimLostError ? { kind: "skipped" } : { kind: "stopped" };
  } catch (error) {
    outcome = await recordFailure(prisma, claim, error, held.signal, deps.signal, attempt, config);
  } finally {
    held.release();
  }
  // Hands the tree back; a lost claim makes this a no-op (the new holder owns the tree and its counters). A done tree
  // was released by its finishing write.
  if (outcome.kind !== "done") {
    const released = await releaseTree(prisma, claim, llm?.stats?.().retries ?? 0).catch(() => false);
    if (outcome.kind === "skipped" && released) outcome = { kind: "requeued" };
  }
  if (outcome.kind === "done" || outcome.kind === "failed") await completeExperimentIfFinished(prisma, claim.experimentId, now());
  return outcome;
}

/** An experiment's config never changes once created, so a worker reads and validates it once. */
function experimentConfig(prisma: Db, experimentId: string, cache: Map<string, Promise<ExperimentConfig>> | undefined): Promise<ExperimentConfig> {
  const known = cache?.get(experimentId);
  if (known) return known;
  const reading = prisma.experiment
    .findUniqueOrThrow({ where: { id: experimentId }, select: { config: true } })
    .then((experiment) => parseExperimentConfig(experiment.config, `experiment ${experimentId} config`));
  cache?.set(experimentId, reading);
  reading.catch(() => cache?.delete(experimentId)); // a failed read is tried again by the next tree
  return reading;
}

async function recordFailure(
  prisma: Db,
  claim: TreeClaim,
  error: unknown,
  held: AbortSignal,
  shutdown: AbortSignal | undefined,
  attempt: TreeAttempt,
  config: ExperimentConfig | null,
): Promise<TreeOutcome> {
  if (error instanceof ClaimLostError || held.reason instanceof ClaimLostError) return { kind: "skipped" };
  // An edge failing because we were stopping (an aborted LLM request) is a stop, not a failure.
  if (held.aborted || shutdown?.aborted) return { kind: "stopped" };
  const message = error instanceof Error ? error.message : String(error);
  // An unreachable server at the start fails the whole experiment now rather than after every retry's backoff.
  const failFast =
    config !== null && isConnectFailure(error) && (await nothingAnsweredSinceStart(prisma, claim.experimentId).catch(() => false))
      ? connectFailureReason(error, config)
      : null;
  const retry = failFast === null && attempt.retriesLeft > 0 && isTransient(error);
  try {
    await prisma.$transaction(async (tx) => {
      await assertClaimTx(tx, claim.treeId, claim.token);
      await tx.searchTree.update({
        where: { id: claim.treeId },
        data: retry
          ? { status: "PENDING", error: `attempt ${claim.attempts} failed, will retry: ${message}` }
          : { status: "FAILED", error: message, finishedAt: new Date() },
      });
      if (!retry) await appendEventsTx(tx, claim.experimentId, [{ type: "tree.failed", payload: { treeId: claim.treeId, error: message } }]);
    });
  } catch (writeError) {
    if (writeError instanceof ClaimLostError) return { kind: "skipped" };
    // The database itself is failing (e.g. restarting): hand the tree back through the queue; its claim goes stale
    // if even the release fails, and a worker's stale-claim sweep re-enqueues it.
    return { kind: "retry", error: `${message} (and recording it failed: ${(writeError as Error).message})` };
  }
  // Best effort: if this write fails (database trouble), the tree is recorded and the experiment ends the usual way.
  if (failFast !== null) await failExperiment(prisma, claim.experimentId, failFast).catch(() => false);
  return retry ? { kind: "retry", error: message } : { kind: "failed", error: message };
}

/**
 * Worth another attempt later: the LLM server stayed unavailable through the client's own retries, or something
 * outside the app's typed errors failed (database connection, network). Configuration and validation errors are not.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof LlmUnavailableError) return true;
  return !(error instanceof AppError);
}
