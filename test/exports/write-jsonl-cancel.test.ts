// A download the browser abandons (a closed tab, an aborted fetch) cancels the JSONL response stream. That is a clean
// stop, not a failed export: nothing is logged, the record being read when it happened is dropped, and no further
// record (no further database read) is asked for. An error before the cancel is still reported.
import { afterEach, describe, expect, it, vi } from "vitest";
import { firstRecordOrRefuse, type ExportRecord } from "../../server/exports/stream-export.ts";
import { jsonlReadableStream } from "../../server/exports/write-jsonl.ts";

/**
 * Records that each wait for the test to finish their "query" (`finish`, or `fail`), so a cancel can land while one is
 * in flight. Counts the records asked for and notes when the generator was closed.
 */
function gatedRecords() {
  const state = { asked: 0, closed: false, finish: () => {}, fail: (_error: Error) => {} };
  async function* records() {
    try {
      for (let n = 1; ; n++) {
        state.asked += 1;
        await new Promise<void>((resolve, reject) => {
          state.finish = resolve;
          state.fail = reject;
        });
        yield { n };
      }
    } finally {
      state.closed = true;
    }
  }
  return { state, records: records() };
}

/**
 * Lets every pending promise job run. The stream calls pull a promise job after a read (after its start settles), so
 * this is what puts a read's query in flight; after a cancel, it is whatever the stream would still do.
 */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("a cancelled JSONL download", () => {
  afterEach(() => vi.restoreAllMocks());

  it("stops quietly when cancelled while a record is being read, and reads no further record", async () => {
    const consoleError = vi.spyOn(console, "error");
    const onError = vi.fn();
    const { state, records } = gatedRecords();
    const reader = jsonlReadableStream(records, onError).getReader();

    const first = reader.read();
    await settle();
    state.finish();
    expect(new TextDecoder().decode((await first).value)).toBe('{"n":1}\n');

    const second = reader.read();
    await settle(); // the second record's query is now in flight
    expect(state.asked).toBe(2);
    const cancelled = reader.cancel(); // the browser goes away mid-query
    state.finish(); // the query answers after the cancel
    await expect(cancelled).resolves.toBeUndefined();
    await expect(second).resolves.toEqual({ done: true, value: undefined });
    await settle();

    expect(onError).not.toHaveBeenCalled();
    expect(consoleError).not.toHaveBeenCalled();
    expect(state.asked).toBe(2); // no third record, no third query
    expect(state.closed).toBe(true); // the generator's cleanup ran
  });

  it("does not report a query that fails because the download was cancelled", async () => {
    const onError = vi.fn();
    const { state, records } = gatedRecords();
    const reader = jsonlReadableStream(records, onError).getReader();
    const read = reader.read();
    await settle();
    expect(state.asked).toBe(1);
    const cancelled = reader.cancel();
    state.fail(new Error("connection closed"));
    await expect(cancelled).resolves.toBeUndefined();
    await expect(read).resolves.toEqual({ done: true, value: undefined });
    await settle();
    expect(onError).not.toHaveBeenCalled();
    expect(state.asked).toBe(1);
  });

  it("stops quietly when cancelled between records", async () => {
    const onError = vi.fn();
    const { state, records } = gatedRecords();
    const reader = jsonlReadableStream(records, onError).getReader();
    const first = reader.read();
    await settle();
    state.finish();
    await first;
    await reader.cancel();
    await settle();
    expect(onError).not.toHaveBeenCalled();
    expect(state.asked).toBe(1);
    expect(state.closed).toBe(true);
  });

  it("still reports a failure that is not a cancel, once, and errors the stream", async () => {
    const onError = vi.fn();
    const { state, records } = gatedRecords();
    const reader = jsonlReadableStream(records, onError).getReader();
    const read = reader.read();
    await settle();
    state.fail(new Error("database went away"));
    await expect(read).rejects.toThrow("database went away");
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: "database went away" }));
  });
});

describe("an export's records after the first was peeked", () => {
  it("close their source when the consumer stops at the first record (the download check)", async () => {
    const { state, records } = gatedRecords();
    const first = firstRecordOrRefuse(records as AsyncGenerator<ExportRecord>, () => new Error("empty"));
    await settle();
    state.finish();
    const peeked = (await first)();
    expect(await peeked.next()).toEqual({ done: false, value: { n: 1 } });
    await peeked.return(undefined);
    expect(state.closed).toBe(true);
    expect(state.asked).toBe(1);
  });
});
