// Server-Sent Events: tails an experiment's event log. Each event carries its sequence number as the SSE id, so a
// browser that reconnects sends Last-Event-ID and resumes exactly after the last event it saw: nothing is lost and
// nothing repeats. The log is polled (cheap: an indexed range read) rather than pushed, which works the same on a
// PostgreSQL server and on embedded PGlite.
import { getPrisma } from "@/server/db";
import { NotFoundError } from "@/server/errors";
import { listEventsAfter } from "@/server/experiments";
import { errorResponse } from "@/server/http";

export const dynamic = "force-dynamic";

const POLL_MS = 200;
const HEARTBEAT_MS = 15_000;

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const prisma = await getPrisma();
  const experiment = await prisma.experiment.findUnique({ where: { id }, select: { id: true } });
  if (!experiment) return errorResponse(new NotFoundError(`no experiment ${id}`));
  let after = startingSeq(req);
  const encoder = new TextEncoder();

  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let lastWrite = Date.now();
      const send = (text: string) => {
        controller.enqueue(encoder.encode(text));
        lastWrite = Date.now();
      };
      send("retry: 1000\n\n");
      while (!req.signal.aborted) {
        try {
          const events = await listEventsAfter(prisma, id, after, 500);
          for (const event of events) {
            send(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify({ seq: event.seq, type: event.type, payload: event.payload })}\n\n`);
            after = event.seq;
          }
          if (events.length === 500) continue; // more waiting: don't sleep
          if (Date.now() - lastWrite > HEARTBEAT_MS) send(": keep-alive\n\n");
        } catch {
          break; // database gone or stream closed: the browser reconnects with Last-Event-ID
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
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
