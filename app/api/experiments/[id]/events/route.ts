// Server-Sent Events: tails an experiment's event log. Each event carries its sequence number as the SSE id, so a
// browser that reconnects sends Last-Event-ID and resumes exactly after the last event it saw: nothing is lost and
// nothing repeats. The stream reads the log only when LISTEN/NOTIFY says the experiment has new events
// (tailExperimentEvents, server/experiments/event-tail.ts), on a PostgreSQL server and on embedded PGlite alike, so
// an open stream with nothing happening costs the database nothing.
import { getDatabase } from "@/server/db";
import { NotFoundError } from "@/server/errors";
import { tailExperimentEvents } from "@/server/experiments";
import { errorResponse } from "@/server/http";

export const dynamic = "force-dynamic";

const HEARTBEAT_MS = 15_000;

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const db = await getDatabase();
  const experiment = await db.prisma.experiment.findUnique({ where: { id }, select: { id: true } });
  if (!experiment) return errorResponse(new NotFoundError(`no experiment ${id}`));
  const after = startingSeq(req);
  const encoder = new TextEncoder();

  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let lastWrite = Date.now();
      const send = (text: string) => {
        controller.enqueue(encoder.encode(text));
        lastWrite = Date.now();
      };
      try {
        send("retry: 1000\n\n");
        for await (const event of tailExperimentEvents(db, id, after, { signal: req.signal, idleMs: HEARTBEAT_MS })) {
          if (event) send(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify({ seq: event.seq, type: event.type, payload: event.payload })}\n\n`);
          else if (Date.now() - lastWrite >= HEARTBEAT_MS) send(": keep-alive\n\n");
        }
      } catch {
        // Database gone or stream closed: the browser reconnects with Last-Event-ID.
      }
      try {
        controller.close();
      } catch {
        // already closed by the client
      }
    },
  });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" },
  });
}

function startingSeq(req: Request): number {
  const raw = req.headers.get("last-event-id") ?? new URL(req.url).searchParams.get("after") ?? "0";
  const seq = Number(raw);
  return Number.isInteger(seq) && seq >= 0 ? seq : 0;
}
