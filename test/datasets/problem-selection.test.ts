// A problem selection beyond the dataset is refused with the dataset's size, before anything is written; the form
// shows the same summary before launch (issue 15 §4: 970–2000 on 974 problems launched quietly with 5).
import { describe, expect, it } from "vitest";
import { summarizeProblemSelection } from "../../server/contracts/index.ts";
import { importDataset } from "../../server/datasets/import-dataset.ts";
import { selectProblemIds } from "../../server/datasets/problem-selection.ts";
import { uniqueName, useTestPrisma } from "../helpers/db.ts";

describe("summarizeProblemSelection", () => {
  it("says how many problems a selection picks", () => {
    expect(summarizeProblemSelection({ kind: "range", from: 970, to: 974 }, 974)).toEqual({ ok: true, count: 5, text: "5 problems selected: positions 970–974 of 974" });
    expect(summarizeProblemSelection({ kind: "all" }, 974)).toMatchObject({ ok: true, count: 974 });
    expect(summarizeProblemSelection({ kind: "sample", count: 20, seed: 1 }, 974)).toMatchObject({ ok: true, count: 20 });
  });

  it("refuses a range past the end, an oversized sample and an empty dataset, giving the dataset's size", () => {
    expect(summarizeProblemSelection({ kind: "range", from: 970, to: 2000 }, 974)).toEqual({
      ok: false,
      error: "positions 970–2000 go past the end of the dataset: it has 974 problems (positions 1–974)",
    });
    expect(summarizeProblemSelection({ kind: "sample", count: 2000, seed: 1 }, 974)).toEqual({ ok: false, error: "cannot sample 2000 problems: the dataset has 974 problems" });
    expect(summarizeProblemSelection({ kind: "all" }, 0)).toMatchObject({ ok: false });
  });
});

describe("selectProblemIds", () => {
  const prisma = useTestPrisma();

  it("refuses 2–9 on a 3-problem dataset with its size, and selects 2–3", async () => {
    const name = uniqueName("three");
    const lines = [1, 2, 3].map((i) => JSON.stringify({ id: `t${i}`, statement: `Return ${i}.`, entry_point: `f${i}`, reference_solution: `def f${i}():\n    return ${i}\n`, tests: [`assert f${i}() == ${i}`] }));
    await importDataset(prisma, { source: { fileName: "three.jsonl", bytes: new TextEncoder().encode(lines.join("\n")) }, format: "jsonl", name });
    const dataset = await prisma.dataset.findFirstOrThrow({ where: { name } });
    await expect(selectProblemIds(prisma, dataset.id, { kind: "range", from: 2, to: 9 }, "experiment.json")).rejects.toThrow(
      "experiment.json field problems: positions 2–9 go past the end of the dataset: it has 3 problems (positions 1–3)",
    );
    expect(await selectProblemIds(prisma, dataset.id, { kind: "range", from: 2, to: 3 }, "experiment.json")).toHaveLength(2);
  });
});
