// Who runs a loop: one process at a time holds its claim ("host:pid:uuid") and heartbeats it. Another process may
// take the loop over when the holder's heartbeat is stale — at once when the holder ran on this host and its pid is
// gone (kill -9, a crash), so a restarted `o1c loop run` resumes without waiting.
import { randomUUID } from "node:crypto";
import os from "node:os";
import type { Db } from "../db/index.ts";
import { ConflictError } from "../errors.ts";

export const LOOP_STALE_MS = 30_000;

export function newHolderId(): string {
  return `${os.hostname()}:${process.pid}:loop-${randomUUID().slice(0, 8)}`;
}

/** The holder ran on this host and its process no longer exists. */
export function holderIsDeadHere(holder: string): boolean {
  const [host, pid] = holder.split(":");
  if (host !== os.hostname() || !pid || !/^\d+$/.test(pid) || Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** Takes the loop for `holder` by compare-and-set; the previous holder (if it was dead) is returned. */
export async function claimLoop(prisma: Db, loopId: string, holder: string, staleMs = LOOP_STALE_MS): Promise<{ previous: string | null }> {
  const loop = await prisma.selfPlayLoop.findUniqueOrThrow({ where: { id: loopId }, select: { claimedBy: true, heartbeatAt: true, name: true } });
  const previous = loop.claimedBy;
  if (previous) {
    const age = loop.heartbeatAt ? Date.now() - loop.heartbeatAt.getTime() : Infinity;
    if (age < staleMs && !holderIsDeadHere(previous)) {
      throw new ConflictError(`loop '${loop.name}' is being run by ${previous} (heartbeat ${Math.round(age / 1000)} s ago); cancel it or wait for that process`);
    }
  }
  const taken = await prisma.selfPlayLoop.updateMany({ where: { id: loopId, claimedBy: previous }, data: { claimedBy: holder, heartbeatAt: new Date() } });
  if (taken.count === 0) throw new ConflictError(`loop '${loop.name}' was claimed by another process meanwhile`);
  return { previous };
}
