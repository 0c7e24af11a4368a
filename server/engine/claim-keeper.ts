// Keeps a worker's tree claims alive: one heartbeat statement per interval for all of them (tree-claim.ts), which
// also reports a cancelled experiment. A claim found lost or cancelled aborts that tree's signal, so its search stops
// between steps; a failed heartbeat (database restarting) is retried at the next tick — if the outage outlasts the
// stale time another worker may take the tree over, and this worker's next write is then refused.
import type { Db } from "../db/index.ts";
import { ClaimLostError, heartbeatClaims, type TreeClaim } from "./tree-claim.ts";

export class ExperimentCancelledError extends Error {
  constructor(experimentId: string) {
    super(`experiment ${experimentId} was cancelled or failed`);
  }
}

export interface HeldClaim {
  /** Aborts with ClaimLostError or ExperimentCancelledError. */
  signal: AbortSignal;
  release(): void;
}

export interface ClaimKeeper {
  hold(claim: TreeClaim): HeldClaim;
  readonly size: number;
  close(): void;
}

export function createClaimKeeper(prisma: Db, options: { intervalMs: number; onError?: (error: unknown) => void }): ClaimKeeper {
  const held = new Map<string, { claim: TreeClaim; controller: AbortController }>();
  let beating = false;

  async function beat() {
    if (beating || held.size === 0) return;
    beating = true;
    try {
      const entries = [...held.values()];
      const { lost, cancelled } = await heartbeatClaims(prisma, entries.map((e) => e.claim));
      for (const treeId of lost) held.get(treeId)?.controller.abort(new ClaimLostError(treeId));
      for (const treeId of cancelled) {
        const entry = held.get(treeId);
        entry?.controller.abort(new ExperimentCancelledError(entry.claim.experimentId));
      }
    } catch (error) {
      options.onError?.(error);
    } finally {
      beating = false;
    }
  }

  const timer = setInterval(() => void beat(), options.intervalMs);
  timer.unref();

  return {
    hold(claim) {
      const controller = new AbortController();
      held.set(claim.treeId, { claim, controller });
      return { signal: controller.signal, release: () => void held.delete(claim.treeId) };
    },
    get size() {
      return held.size;
    },
    close() {
      clearInterval(timer);
      held.clear();
    },
  };
}
