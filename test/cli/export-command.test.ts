// `o1c export` refuses an export that would hold no record, as the download route does: the same reason, exit 1, and
// no file (not an empty one, not a temporary one). A hand-built experiment, so which records exist is known exactly.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportResponse } from "../../server/exports/export-response.ts";
import { createHandExperiment, HAND_TREE, type HandExperiment } from "../exports/hand-built-experiment.ts";
import { useTestPrisma } from "../helpers/db.ts";
import { o1c } from "../helpers/o1c.ts";

/** The hand tree with every terminal below reward 1: no path passes its search-visible tests, so SFT has nothing. */
const NOTHING_PASSES = HAND_TREE.map((node) => (node.reward === 1 ? { ...node, reward: 0 } : node));

describe("o1c export", () => {
  const prisma = useTestPrisma();
  let nothingPasses: HandExperiment;
  let onePasses: HandExperiment;
  let dir: string;

  beforeAll(async () => {
    nothingPasses = await createHandExperiment(prisma, { nodes: NOTHING_PASSES });
    onePasses = await createHandExperiment(prisma);
    dir = await mkdtemp(path.join(tmpdir(), "o1c-export-cli-"));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("refuses an SFT export where nothing passes, with the download's reason, and writes no file", async () => {
    const out = path.join(dir, "empty-sft.jsonl");
    const cli = await o1c(["export", "--experiment", nothingPasses.experimentId, "--format", "sft", "--out", out]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toBe("");
    const reason = `experiment '${nothingPasses.experimentName}' has no SFT records: no complete path's final code passes all its search-visible tests yet`;
    expect(cli.stderr).toContain(`o1c export: error: ${reason}\n`);
    const download = await exportResponse(prisma, nothingPasses.experimentId, new URLSearchParams({ format: "sft" }));
    expect(await download.json()).toEqual({ error: reason });
    expect(await readdir(dir)).toEqual([]);
  });

  it("with --allow-empty writes the empty export as an empty file and exits 0", async () => {
    const out = path.join(dir, "allowed-empty-sft.jsonl");
    const cli = await o1c(["export", "--experiment", nothingPasses.experimentId, "--format", "sft", "--allow-empty", "--out", out]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toBe(`Wrote 0 SFT records to ${out}\n`);
    expect(await readFile(out, "utf8")).toBe("");
    await rm(out);
  });

  it("still writes an export that has records", async () => {
    const out = path.join(dir, "sft.jsonl");
    const cli = await o1c(["export", "--experiment", onePasses.experimentId, "--format", "sft", "--out", out]);
    expect(cli.code, cli.stderr).toBe(0);
    const lines = (await readFile(out, "utf8")).trimEnd().split("\n");
    expect(lines.length).toBeGreaterThan(0);
    expect(cli.stdout).toBe(`Wrote ${lines.length} SFT records to ${out}\n`);
  });
});
