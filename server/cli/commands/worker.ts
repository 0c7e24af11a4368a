import { prepareDatabase } from "../../bootstrap.ts";
import { closeDatabase, redactDatabaseUrl } from "../../db/index.ts";
import { createLlmFactory } from "../../llm/index.ts";
import { openTreeQueue, startTreeWorker } from "../../engine/index.ts";
import { createSandbox } from "../../sandbox/index.ts";
import { CliUsageError, parseCommandArgs, type Command } from "../command.ts";

export const workerCommand: Command = {
  name: "worker",
  usage: "worker [--concurrency N]",
  summary: "search queued trees (run any number, on any machines sharing DATABASE_URL)",
  help: [
    "Usage: o1c worker [--concurrency N] [--stale-seconds S] [--poll-ms P]",
    "",
    "Pulls tree jobs from the job queue in the database and searches them until stopped (Ctrl-C / SIGTERM: the running",
    "trees stop between steps and go back to the queue). Experiments launched from the dashboard or `o1c run` are",
    "shared by every worker pointed at the same DATABASE_URL. A worker that dies (kill -9, lost machine) stops",
    "heartbeating its trees; after the stale time another worker resumes them from their stored state.",
    "",
    "  --concurrency N    trees searched at once (default 16; LLM requests are capped at 64 in flight per process)",
    "  --stale-seconds S  a tree claim without a heartbeat for S seconds is taken over (default 30)",
    "  --poll-ms P        how often an idle worker looks for jobs (default 500)",
  ].join("\n"),
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      concurrency: { type: "string" },
      "stale-seconds": { type: "string" },
      "poll-ms": { type: "string" },
    }, false);
    const concurrency = positiveNumber(values.concurrency, "--concurrency", 16, true);
    const staleMs = positiveNumber(values["stale-seconds"], "--stale-seconds", 30, false) * 1000;
    const pollMs = positiveNumber(values["poll-ms"], "--poll-ms", 500, true);
    const log = (message: string) => console.error(`[worker] ${message}`);
    const db = await prepareDatabase();
    const queue = await openTreeQueue(db.url, { onError: (e) => log(`job queue: ${e.message}`) });
    const sandbox = await createSandbox();
    const llms = createLlmFactory();
    const worker = startTreeWorker(db.prisma, queue, { sandbox, createLlm: (e) => llms.create(e), concurrency, staleMs, pollMs, log });
    console.error(`o1c worker ${worker.workerId}: ${concurrency} trees at once (database: ${db.mode}, ${redactDatabaseUrl(db.url)})`);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    });
    console.error("Stopping: the running trees go back to the queue…");
    try {
      await worker.close();
      await queue.close();
      await llms.close();
      await sandbox.close();
    } finally {
      await closeDatabase();
    }
    const s = worker.stats();
    console.error(`jobs ${s.jobs}: ${Object.entries(s.outcomes).map(([k, v]) => `${k} ${v}`).join(", ")}; recovered ${s.recovered}`);
    return 0;
  },
};

function positiveNumber(raw: string | undefined, flag: string, fallback: number, integer: boolean): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!(Number.isFinite(value) && value > 0 && (!integer || Number.isInteger(value)))) {
    throw new CliUsageError(`${flag} must be a positive ${integer ? "integer" : "number"}, got '${raw}'`);
  }
  return value;
}
