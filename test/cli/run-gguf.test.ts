// `o1c run` on the in-process llama.cpp backend: a tiny random-weight GGUF (its text is noise, so no step ever holds
// code) must still drive a whole experiment to completion, with every node and token stored.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeTinyGguf } from "../fixtures/tiny-gguf.ts";
import { uniqueName, useTestPrisma } from "../helpers/db.ts";
import { o1c } from "../helpers/o1c.ts";

describe("o1c run --gguf", () => {
  const prisma = useTestPrisma();
  let dir: string;
  let gguf: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "o1c-gguf-"));
    gguf = path.join(dir, "tiny.gguf");
    // The pseudocode prompt alone is ~1,900 tokens: give the model a context that holds it.
    await writeTinyGguf(gguf, { seed: 3, contextLength: 4096 });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("runs an experiment end to end on a local GGUF model", async () => {
    const name = uniqueName("gguf-run");
    const config = path.join(dir, "experiment.json");
    await writeFile(
      config,
      JSON.stringify({
        name,
        dataset: "starter",
        problems: { kind: "range", from: 1, to: 2 },
        mode: "pseudocode",
        llm: { gguf, threads: 1 },
        sampling: { maxTokens: 24 },
        search: { rollouts: 2, children: 2, maxDepth: 2 },
      }),
    );
    const { code, stdout, stderr } = await o1c(["run", "--config", config, "--json"]);
    expect(code, stderr).toBe(0);
    const metrics = JSON.parse(stdout) as { problems: number; failedProblems: number; completionTokens: number };
    expect(metrics, stdout).toMatchObject({ problems: 2, failedProblems: 0 });
    expect(metrics.completionTokens).toBeGreaterThan(0);
    const experiment = await prisma.experiment.findFirstOrThrow({ where: { name } });
    expect(experiment).toMatchObject({ status: "COMPLETED", model: "tiny.gguf", llmBaseUrl: `gguf:${gguf}` });
    expect(await prisma.treeNode.count({ where: { tree: { experimentId: experiment.id } } })).toBeGreaterThan(2);
  }, 120_000);
});
