// Runs loops inside `o1c serve` for the Self-play page: start or resume one in the background (its sandbox and LLM
// clients are made outside Next's bundle, like the experiment runner's), and at start-up pick up the loops a killed
// server left running. Route handlers reach it through loop-runner-registry.ts without bundling any of this.
import type { Db } from "../db/index.ts";
import { ConflictError } from "../errors.ts";
import { createLlmFactory } from "../llm/index.ts";
import type { Sandbox } from "../sandbox/index.ts";
import { holderIsDeadHere } from "./loop-claim.ts";
import type { LoopRunner } from "./loop-runner-registry.ts";
import { runLoop } from "./run-loop.ts";


export function createLoopRunner(prisma: Db, options: { sandbox: () => Promise<Sandbox>; log?: (line: string) => void }): LoopRunner {
  const log = options.log ?? console.error;
  const llms = createLlmFactory();
  const stopping = new AbortController();
  const loops = new Map<string, Promise<unknown>>();
  let sandbox: Promise<Sandbox> | null = null;

  function start(loopId: string) {
    if (stopping.signal.aborted) throw new ConflictError("the server is stopping; start the loop again after it restarts");
    // A loop just cancelled may still be stopping its trainer here: the resumed run starts once that one has ended
    // (and a loop still running just finds itself completed, or its claim held, when its turn comes).
    const previous = loops.get(loopId) ?? Promise.resolve();
    const run = (async () => {
      await previous;
      sandbox ??= options.sandbox();
      return runLoop(prisma, loopId, { sandbox: await sandbox, createLlm: (e) => llms.create(e), signal: stopping.signal, log: (line) => log(`[loop ${loopId}] ${line}`) });
    })()
      .catch((error) => log(`[loop ${loopId}] could not run: ${(error as Error).message}`))
      .finally(() => {
        if (loops.get(loopId) === run) loops.delete(loopId);
      });
    loops.set(loopId, run);
  }

  return {
    start,
    async resumeInterrupted() {
      const candidates = await prisma.selfPlayLoop.findMany({ where: { status: "RUNNING" }, select: { id: true, claimedBy: true } });
      const resumable = candidates.filter((l) => l.claimedBy === null || holderIsDeadHere(l.claimedBy)).map((l) => l.id);
      for (const id of resumable) start(id);
      return resumable;
    },
    running: () => [...loops.keys()],
    async close() {
      stopping.abort();
      await Promise.allSettled(loops.values());
      await llms.close();
      await (await sandbox?.catch(() => null))?.close();
    },
  };
}
