// Exports stream: trees are read one at a time as records are pulled, and neither the file writer nor the HTTP body
// reads ahead of its consumer. Counted on the queries themselves (a Prisma query extension), not on timing.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "../../server/db/client.ts";
import { parseExportOptions } from "../../server/exports/export-options.ts";
import { exportResponse } from "../../server/exports/export-response.ts";
import { streamExport } from "../../server/exports/stream-export.ts";
import { jsonlReadableStream, writeJsonlFile } from "../../server/exports/write-jsonl.ts";
import { useTestPrisma } from "../helpers/db.ts";
import { createHandExperiment, type HandExperiment } from "./hand-built-experiment.ts";

const TREES = 60; // more than one page of the tree reader (50)

describe("streaming exports", () => {
  const prisma = useTestPrisma();
  let hand: HandExperiment;
  let nodeReads = 0;
  // The same client, with every TreeNode.findMany counted: the exporter reads one tree's nodes per call.
  const counting = prisma.$extends({
    query: {
      treeNode: {
        findMany({ args, query }) {
          nodeReads += 1;
          return query(args);
        },
      },
    },
  }) as unknown as Db;
  let dir: string;

  beforeAll(async () => {
    hand = await createHandExperiment(prisma, { problems: TREES, stepPadding: 2_000 });
    dir = await mkdtemp(path.join(tmpdir(), "o1c-export-stream-"));
  }, 60_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("reads the next tree only when the records of the previous one are used up", async () => {
    nodeReads = 0;
    const records = streamExport(counting, parseExportOptions({ experiment: hand.experimentId, format: "prm" }));
    // Each hand-built tree gives 4 PRM records (one per terminal).
    for (let i = 0; i < 4; i++) await records.next();
    expect(nodeReads).toBe(1);
    await records.next();
    expect(nodeReads).toBe(2);
    let rest = 0;
    while (!(await records.next()).done) rest++;
    expect(rest + 5).toBe(TREES * 4);
    expect(nodeReads).toBe(TREES);
  });

  it("the HTTP body pulls one record per read: a stalled browser stalls the database reads", async () => {
    nodeReads = 0;
    const records = countingPulls(streamExport(counting, parseExportOptions({ experiment: hand.experimentId, format: "sft" })));
    const body = jsonlReadableStream(records);
    const reader = body.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toMatch(/^\{"prompt":/);
    // A stream that reads ahead asks for the next record as soon as the first is queued, in the promise jobs that
    // follow; one turn of the event loop runs them all. No time window: the pulls are counted, not waited for.
    await new Promise((resolve) => setImmediate(resolve));
    expect(records.pulls).toBe(1); // nothing read ahead while the consumer waits
    expect(nodeReads).toBe(1);
    await reader.read();
    expect(records.pulls).toBe(2);
    await reader.cancel();
  });

  it("a download cancelled while a tree is being read stops there, and is not logged as a failed export", async () => {
    const consoleError = vi.spyOn(console, "error");
    try {
      nodeReads = 0;
      const response = await exportResponse(counting, hand.experimentId, new URLSearchParams({ format: "prm" }));
      const reader = response.body!.getReader();
      for (let i = 0; i < 4; i++) await reader.read(); // the first tree's 4 records
      const fifth = reader.read();
      await new Promise((resolve) => setImmediate(resolve)); // its pull starts the second tree's reads
      const cancelled = reader.cancel(); // the browser goes away while they are under way
      await cancelled;
      await fifth;
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(consoleError).not.toHaveBeenCalled();
      expect(nodeReads).toBe(2); // no third tree
    } finally {
      consoleError.mockRestore();
    }
  });

  it("the download link's check reads as far as the first record and streams nothing", async () => {
    nodeReads = 0;
    const check = await exportResponse(counting, hand.experimentId, new URLSearchParams({ format: "prm", check: "1" }));
    expect(check.status).toBe(204);
    expect(check.body).toBeNull();
    expect(nodeReads).toBe(1);
  });

  it("writes a large export to a file, and no temporary file remains", async () => {
    const out = path.join(dir, "big.jsonl");
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    async function* watched() {
      for await (const record of streamExport(prisma, parseExportOptions({ experiment: hand.experimentId, format: "prm" }))) {
        peak = Math.max(peak, process.memoryUsage().heapUsed);
        yield record;
      }
    }
    const count = await writeJsonlFile(watched(), out);
    const size = (await readFile(out)).byteLength;
    expect(count).toBe(TREES * 4);
    expect(await readdir(dir)).toEqual(["big.jsonl"]);
    // A figure, not an assertion (GC timing makes heap numbers noisy); the query counts above are the real check.
    console.log(`[export] ${count} PRM records, ${(size / 1e6).toFixed(1)} MB file, peak heap growth ${((peak - before) / 1e6).toFixed(1)} MB`);
  });

  it("a failure part-way removes the temporary file and leaves no output", async () => {
    const out = path.join(dir, "broken.jsonl");
    async function* failing() {
      yield { prompt: "a" };
      throw new Error("database went away");
    }
    await expect(writeJsonlFile(failing(), out)).rejects.toThrow("database went away");
    expect((await readdir(dir)).filter((f) => f.includes("broken"))).toEqual([]);
  });
});

/** The generator, counting how often the next record was asked for. */
function countingPulls<T>(records: AsyncGenerator<T>): AsyncGenerator<T> & { pulls: number } {
  const counted = {
    pulls: 0,
    next: (...args: [] | [unknown]) => {
      counted.pulls += 1;
      return records.next(...args);
    },
    return: (value: T | PromiseLike<T>) => records.return(value),
    throw: (error: unknown) => records.throw(error),
    [Symbol.asyncIterator]() {
      return counted;
    },
    [Symbol.asyncDispose]: () => records[Symbol.asyncDispose](),
  };
  return counted;
}
