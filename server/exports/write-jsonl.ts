// Writing records as JSONL (one JSON object per line) without holding them: to a file, or as a web ReadableStream for
// an HTTP response. Both pull the next record only when the sink has room (the file stream's drain, the response
// stream's pull), so a slow disk or a slow browser slows the database reads instead of filling memory.
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

export function jsonLine(record: unknown): string {
  return `${JSON.stringify(record)}\n`;
}

/**
 * Writes every record to `file`, atomically: into a temporary file beside it, renamed over `file` only once the last
 * record is written. Any error (a bad option found late, the database gone) removes the temporary file, so a failed
 * export leaves no file and never a truncated one. Returns the number of records.
 */
export async function writeJsonlFile(records: AsyncIterable<unknown>, file: string): Promise<number> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  let count = 0;
  async function* lines() {
    for await (const record of records) {
      yield jsonLine(record);
      count += 1;
    }
  }
  try {
    // pipeline() waits for 'drain' before pulling the next line, and destroys both ends on any error.
    await pipeline(Readable.from(lines()), createWriteStream(temp, { flags: "wx" }));
    await rename(temp, file);
    return count;
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * A byte stream of JSONL; each pull reads one more record. `onError` sees a failure after the first byte.
 *
 * The consumer may cancel at any time (the browser closes the tab or aborts the request), often while a pull is
 * waiting on the database. A cancel is a clean stop, not a failure: the record that arrives afterwards is dropped
 * rather than enqueued (the controller is closed by then, and enqueueing would throw), an error that arrives
 * afterwards (a query cut off with the request) is not reported, and the generator is closed so no further record,
 * and no further query, is asked for.
 */
export function jsonlReadableStream(records: AsyncGenerator<unknown>, onError?: (error: unknown) => void): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cancelled = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let next: IteratorResult<unknown>;
        try {
          next = await records.next();
        } catch (error) {
          if (cancelled) return;
          onError?.(error);
          controller.error(error);
          return;
        }
        if (cancelled) return;
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(jsonLine(next.value)));
      },
      async cancel() {
        cancelled = true;
        await stopQuietly(records);
      },
    },
    // Nothing buffered ahead: the next record is read only when the consumer asks for it.
    { highWaterMark: 0 },
  );
}

/**
 * Closes the generator (its `finally` blocks run once the record being read, if any, has arrived). Nobody is left to
 * tell about a failure in that cleanup: the client that cancelled has gone, so it is dropped, not logged as a failed
 * export.
 */
async function stopQuietly(records: AsyncGenerator<unknown>): Promise<void> {
  await records.return(undefined).catch(() => undefined);
}
