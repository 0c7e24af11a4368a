// Fail fast on an LLM server that cannot be reached at all. A transient failure normally sends a tree back to the
// queue with backoff (a server restarting mid-run comes back), but an experiment launched against a wrong URL or a
// server that is not running would then sit "running 0/N" for many minutes before ending. So when a tree gives up on
// a connection failure (refused, DNS, unreachable — not a slow server, which is a timeout) and no LLM answer at all has
// arrived since the experiment started, within its first minutes, the whole experiment ends FAILED with the reason.
import { Prisma, queryRows, type Db } from "../db/index.ts";
import type { ExperimentConfig } from "../contracts/index.ts";
import { LlmError } from "../llm/index.ts";

/** Only this early in an experiment does one unreachable server fail it; later, the usual retries with backoff. */
export const FAIL_FAST_WINDOW_MS = 5 * 60_000;

/** A transport-level failure to connect (after the client's own retries), as opposed to timeouts or HTTP errors. */
export function isConnectFailure(error: unknown): error is LlmError {
  return error instanceof LlmError && error.kind === "connection";
}

/**
 * True when the experiment started less than FAIL_FAST_WINDOW_MS ago (by the database's clock, like the claims) and
 * none of its trees has a node the LLM produced since then: every request so far has failed.
 */
export async function nothingAnsweredSinceStart(prisma: Db, experimentId: string): Promise<boolean> {
  const [row] = await queryRows<{ early: boolean; answered: boolean }>(prisma, Prisma.sql`
    SELECT e."startedAt" > now() - make_interval(secs => ${FAIL_FAST_WINDOW_MS / 1000}) AS early,
           EXISTS (SELECT 1 FROM "TreeNode" n JOIN "SearchTree" t ON t."id" = n."treeId"
                   WHERE t."experimentId" = e."id" AND n."depth" > 0 AND n."createdAt" >= e."startedAt") AS answered
    FROM "Experiment" e WHERE e."id" = ${experimentId}`);
  return Boolean(row?.early) && !row?.answered;
}

/** "every request to http://127.0.0.1:9/v1 failed to connect: ECONNREFUSED" (the transport's code when it has one). */
export function connectFailureReason(error: LlmError, config: ExperimentConfig): string {
  const code = transportCode(error);
  const where = config.llm.baseUrls?.join(", ") ?? config.llm.baseUrl ?? error.url;
  return `every request to ${where} failed to connect: ${code ?? error.reason} — check that the server is running and the base URL is right`;
}

/** The system error code (ECONNREFUSED, ENOTFOUND, EHOSTUNREACH…) somewhere down the error's cause chain. */
function transportCode(error: unknown): string | null {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return code;
  }
  return null;
}
