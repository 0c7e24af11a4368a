// Self-play lineages through the tRPC router (createCaller) on the real database: creating and validating, attaching
// and detaching, a config with a lineage section, and the comparison read model on hand-made experiments.
import type { Prisma } from "../../server/db/generated/client.ts";
import { beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../../server/api/root.ts";
import { createCallerFactory } from "../../server/api/trpc.ts";
import { ValidationError } from "../../server/errors.ts";
import type { IterationRow } from "../../server/lineage/lineage-service.ts";
import { totalTcgCounts } from "../../server/tcg/tcg-report.ts";
import { uniqueName, useTestPrisma } from "../helpers/db.ts";
import { addJudgements, addTcgRun, createExperimentFromInput, experimentConfig, finish, finishScored, importTinyDataset, metrics } from "./lineage-fixtures.ts";

describe("lineages router", () => {
  const prisma = useTestPrisma();
  const caller = createCallerFactory(appRouter)({ prisma });
  const dataset = uniqueName("lineage-ds");
  let datasetId: string;

  beforeAll(async () => {
    datasetId = await importTinyDataset(prisma, dataset);
  });

  it("creates a lineage; a blank, too long or taken name is a BAD_REQUEST naming the field", async () => {
    const name = uniqueName("self-play");
    const created = await caller.lineages.create({ name: `  ${name} `, description: "Qwen 7B, MBPP" });
    expect(created).toMatchObject({ name, description: "Qwen 7B, MBPP" });
    await expect(caller.lineages.create({ name: "   " })).rejects.toMatchObject({ code: "BAD_REQUEST", message: "name: name the lineage" });
    await expect(caller.lineages.create({ name: "x".repeat(101) })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/^name: at most 100/) });
    await expect(caller.lineages.create({ name })).rejects.toMatchObject({ code: "BAD_REQUEST", message: `name: a lineage named '${name}' already exists` });
    expect(await prisma.lineage.count({ where: { name } })).toBe(1);
  });

  it("attaches an experiment as iteration k, re-attaches within the lineage, refuses another lineage's, detaches", async () => {
    const lineage = await caller.lineages.create({ name: uniqueName("attach") });
    const other = await caller.lineages.create({ name: uniqueName("other") });
    const { id: experimentId } = await createExperimentFromInput(prisma, experimentConfig(dataset, "pseudocode", "m0"));
    expect((await caller.lineages.attachable()).map((e) => e.id)).toContain(experimentId);

    for (const iteration of [-1, 1.5]) {
      await expect(caller.lineages.attach({ lineageId: lineage.id, experimentId, iteration })).rejects.toMatchObject({
        code: "BAD_REQUEST",
        message: "iteration: must be a whole number ≥ 0 (0 = the base policy)",
      });
    }
    await expect(caller.lineages.attach({ lineageId: lineage.id, experimentId: "nope", iteration: 0 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(caller.lineages.attach({ lineageId: "nope", experimentId, iteration: 0 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await caller.lineages.ofExperiment({ experimentId })).toBeNull();

    await caller.lineages.attach({ lineageId: lineage.id, experimentId, iteration: 0 });
    await caller.lineages.attach({ lineageId: lineage.id, experimentId, iteration: 1, trainedOn: " sft.jsonl from iteration 0 " });
    expect(await caller.lineages.ofExperiment({ experimentId })).toEqual({
      lineage: { id: lineage.id, name: lineage.name },
      iteration: 1,
      trainedOn: "sft.jsonl from iteration 0",
    });
    expect((await caller.lineages.attachable()).map((e) => e.id)).not.toContain(experimentId);
    await expect(caller.lineages.attach({ lineageId: other.id, experimentId, iteration: 0 })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining(`already in lineage '${lineage.name}'; detach it first`),
    });
    const listed = (await caller.lineages.list()).find((l) => l.id === lineage.id);
    expect(listed).toMatchObject({ iterations: 1, experiments: 1, latestIteration: 1 });

    await caller.lineages.detach({ experimentId });
    expect(await prisma.experiment.findUniqueOrThrow({ where: { id: experimentId }, select: { lineageId: true, iteration: true, trainedOn: true } })).toEqual({
      lineageId: null,
      iteration: null,
      trainedOn: null,
    });
    await expect(caller.lineages.detach({ experimentId })).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await caller.lineages.list()).find((l) => l.id === lineage.id)).toMatchObject({ iterations: 0, experiments: 0, latestIteration: null });
  });

  it("a config's lineage section creates the lineage once and reuses it; a bad section writes nothing", async () => {
    const name = uniqueName("from-config");
    const first = await createExperimentFromInput(prisma, experimentConfig(dataset, "vanilla", "base", { lineage: { name, iteration: 0 } }));
    const second = await createExperimentFromInput(prisma, experimentConfig(dataset, "pseudocode", "base", { lineage: { name, iteration: 0 } }));
    const third = await createExperimentFromInput(prisma, experimentConfig(dataset, "pseudocode", "it1", { lineage: { name, iteration: 1, trainedOn: "dpo.jsonl" } }));
    const lineages = await prisma.lineage.findMany({ where: { name } });
    expect(lineages).toHaveLength(1);
    const rows = await prisma.experiment.findMany({ where: { id: { in: [first.id, second.id, third.id] } }, select: { id: true, lineageId: true, iteration: true, trainedOn: true } });
    expect(rows.every((r) => r.lineageId === lineages[0]!.id)).toBe(true);
    expect(rows.find((r) => r.id === third.id)).toMatchObject({ iteration: 1, trainedOn: "dpo.jsonl" });

    // Two launches that name the same new lineage at the same moment still make one lineage.
    const raced = uniqueName("raced");
    await Promise.all(["vanilla", "pseudocode"].map((mode) => createExperimentFromInput(prisma, experimentConfig(dataset, mode as "vanilla", "base", { lineage: { name: raced, iteration: 0 } }))));
    expect(await prisma.experiment.count({ where: { lineage: { name: raced } } })).toBe(2);

    const before = await prisma.experiment.count({ where: { datasetId } });
    const fresh = uniqueName("never");
    for (const [lineage, field] of [
      [{ name: fresh, iteration: -1 }, "lineage.iteration"],
      [{ name: fresh, iteration: 2.5 }, "lineage.iteration"],
      [{ name: " ", iteration: 0 }, "lineage.name"],
      [{ name: fresh }, "lineage.iteration"],
    ] as const) {
      const error = await createExperimentFromInput(prisma, experimentConfig(dataset, "vanilla", "m", { lineage: lineage as never }), "exp.json").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).where).toBe(`exp.json field ${field}`);
    }
    // A valid section with a bad dataset: the lineage is not created either.
    await expect(createExperimentFromInput(prisma, experimentConfig("no-such-dataset", "vanilla", "m", { lineage: { name: fresh, iteration: 0 } }))).rejects.toThrow(/no dataset named/);
    expect(await prisma.lineage.count({ where: { name: fresh } })).toBe(0);
    expect(await prisma.experiment.count({ where: { datasetId } })).toBe(before);
  });

  it("compares iterations: one row per experiment grouped by iteration, TCG validity, annotations, deltas, running rows", async () => {
    const name = uniqueName("compare");
    const inLineage = (iteration: number, trainedOn?: string) => ({ lineage: { name, iteration, trainedOn } });
    const base = await createExperimentFromInput(prisma, experimentConfig(dataset, "pseudocode", "base-7b", inLineage(0)));
    const baseVanilla = await createExperimentFromInput(prisma, experimentConfig(dataset, "vanilla", "base-7b", inLineage(0)));
    const it1 = await createExperimentFromInput(prisma, experimentConfig(dataset, "pseudocode", "iter1-7b", inLineage(1, "iteration 0: sft.jsonl + dpo.jsonl")));
    const it2 = await createExperimentFromInput(prisma, experimentConfig(dataset, "pseudocode", "iter2-7b"));
    await finishScored(prisma, base.id, { pass1: 0.5, aspr: 0.4, tokensPerProblem: 1000 });
    await finishScored(prisma, baseVanilla.id, { pass1: 0.5, aspr: 0.3, tokensPerProblem: 600 });
    await finishScored(prisma, it1.id, { pass1: 1, aspr: 0.55, tokensPerProblem: 900 });
    await finish(prisma, it2.id, "RUNNING", null);
    const lineage = (await caller.lineages.list()).find((l) => l.name === name)!;
    await caller.lineages.attach({ lineageId: lineage.id, experimentId: it2.id, iteration: 2, trainedOn: "iteration 1 exports" });

    // TCG: the latest completed run on this dataset with the experiment's model name speaks for it.
    const day = (d: number) => new Date(Date.UTC(2025, 0, d));
    await addTcgRun(prisma, datasetId, "base-7b", "COMPLETED", { validityRate: 0.5 }, day(1));
    const counts = { generated: 12, parsed: 11, valid: 7, invalid: 3, duplicates: 1, error: null, promptTokens: 50, completionTokens: 90 };
    await addTcgRun(prisma, datasetId, "base-7b", "COMPLETED", { ...totalTcgCounts([counts]) }, day(2));
    await addTcgRun(prisma, datasetId, "base-7b", "RUNNING", null, null);
    const it1Run = await addTcgRun(prisma, datasetId, "iter1-7b", "COMPLETED", { validityRate: 0.9 }, day(3));
    await addTcgRun(prisma, datasetId, "iter2-7b", "FAILED", null, day(4));

    await addJudgements(prisma, base.id, [
      { source: "HUMAN", annotator: "alice" },
      { source: "HUMAN", annotator: "bob" },
      { source: "SEARCH", annotator: "" },
    ]);
    await addJudgements(prisma, base.id, [{ source: "HUMAN", annotator: "alice" }]);

    const comparison = await caller.lineages.get({ id: lineage.id });
    expect(comparison.name).toBe(name);
    expect(comparison.iterations.map((g) => [g.iteration, g.rows.map((r) => r.experimentId)])).toEqual([
      [0, [base.id, baseVanilla.id]],
      [1, [it1.id]],
      [2, [it2.id]],
    ]);
    const row = (id: string) => comparison.iterations.flatMap((g) => g.rows).find((r) => r.experimentId === id)!;

    expect(row(base.id)).toMatchObject<Partial<IterationRow>>({
      mode: "pseudocode",
      model: "base-7b",
      endpoint: "http://127.0.0.1:9/v1",
      status: "COMPLETED",
      pass1: 0.5,
      aspr: 0.4,
      tokensPerProblem: 1000,
      judgements: 3,
      annotators: 2,
      trainedOn: null,
    });
    expect(row(base.id).tcg?.validityRate).toBeCloseTo(0.7);
    expect(row(base.id).delta).toEqual({ previous: null, commonProblems: null, sameProblems: null, pass1: null, aspr: null, tokensPerProblem: null, tcgValidity: null });
    expect(row(baseVanilla.id)).toMatchObject({ judgements: 0, annotators: 0, delta: { previous: null } });

    const one = row(it1.id);
    expect(one).toMatchObject({ trainedOn: "iteration 0: sft.jsonl + dpo.jsonl", tcg: { runId: it1Run.id, validityRate: 0.9 } });
    expect(one.delta.previous).toEqual({ experimentId: base.id, iteration: 0 });
    expect(one.delta).toMatchObject({ commonProblems: 2, sameProblems: true });
    expect(one.delta.pass1).toBeCloseTo(0.5);
    expect(one.delta.aspr).toBeCloseTo(0.15);
    expect(one.delta.tokensPerProblem).toBe(-100);
    expect(one.delta.tcgValidity).toBeCloseTo(0.2);

    expect(row(it2.id)).toMatchObject({
      status: "RUNNING",
      trainedOn: "iteration 1 exports",
      problems: null,
      pass1: null,
      aspr: null,
      tokensPerProblem: null,
      tcg: null,
      delta: { previous: { experimentId: it1.id, iteration: 1 }, commonProblems: null, sameProblems: null, pass1: null, aspr: null, tokensPerProblem: null, tcgValidity: null },
    });
    await expect(caller.lineages.get({ id: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("an iteration that failed as a whole (its LLM unreachable) is not comparable, not a drop to 0%", async () => {
    const name = uniqueName("outage");
    const base = await createExperimentFromInput(prisma, experimentConfig(dataset, "pseudocode", "base-7b", { lineage: { name, iteration: 0 } }));
    const next = await createExperimentFromInput(prisma, experimentConfig(dataset, "pseudocode", "iter1-7b", { lineage: { name, iteration: 1 } }));
    await finishScored(prisma, base.id, { pass1: 0.5, aspr: 0.4, tokensPerProblem: 1000 });
    await prisma.searchTree.updateMany({ where: { experimentId: next.id }, data: { status: "FAILED", error: "every request failed to connect: ECONNREFUSED" } });
    // Its own metrics count the failed searches as misses, as the experiment page does.
    await prisma.experiment.update({ where: { id: next.id }, data: { status: "FAILED", metrics: metrics(0, 0, 0) as unknown as Prisma.InputJsonValue, finishedAt: new Date() } });
    const lineage = (await caller.lineages.list()).find((l) => l.name === name)!;
    const row = (await caller.lineages.get({ id: lineage.id })).iterations.flatMap((g) => g.rows).find((r) => r.experimentId === next.id)!;
    expect(row).toMatchObject({ status: "FAILED", pass1: 0 });
    expect(row.delta).toMatchObject({ previous: { experimentId: base.id, iteration: 0 }, commonProblems: 0, pass1: null, aspr: null, tokensPerProblem: null });

    // One search of the next iteration recovers: the Δ is over that problem alone.
    const [first] = await prisma.searchTree.findMany({ where: { experimentId: next.id }, orderBy: { problem: { ordinal: "asc" } } });
    const judged = (await prisma.searchTree.findFirstOrThrow({ where: { experimentId: base.id, problemId: first!.problemId } })).metrics;
    await prisma.searchTree.update({ where: { id: first!.id }, data: { status: "DONE", metrics: judged as Prisma.InputJsonValue, error: null } });
    const recovered = (await caller.lineages.get({ id: lineage.id })).iterations.flatMap((g) => g.rows).find((r) => r.experimentId === next.id)!;
    expect(recovered.delta).toMatchObject({ commonProblems: 1, sameProblems: false, pass1: 0 });

    // In an experiment that completed, a failed search is a miss, as in its own metrics (a policy that overruns its
    // context fails searches too): both problems are compared.
    await prisma.experiment.update({ where: { id: next.id }, data: { status: "COMPLETED" } });
    const completed = (await caller.lineages.get({ id: lineage.id })).iterations.flatMap((g) => g.rows).find((r) => r.experimentId === next.id)!;
    expect(completed.delta).toMatchObject({ commonProblems: 2, sameProblems: true });
  });
});
