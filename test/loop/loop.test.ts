// The self-play loop end to end: the scripted OpenAI server with vLLM's runtime-LoRA routes, the command backend
// running the test trainer (test/fixtures/fake-trainer.py) as real subprocesses, real sandbox and database.
// Two iterations in-process; then `o1c loop run` killed with SIGKILL mid-training and run again.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { importDataset } from "../../server/datasets/import-dataset.ts";
import { createLlmFactory } from "../../server/llm/create-llm-client.ts";
import type { LoopConfigInput } from "../../server/contracts/index.ts";
import { cancelLoop, createOrFindLoop, getLoopReport, runLoop } from "../../server/loop/index.ts";
import { createSandbox } from "../../server/sandbox/index.ts";
import { groupRuns } from "../../server/training/index.ts";
import type { Sandbox } from "../../server/sandbox/types.ts";
import { startRayJobsStandIn } from "../fixtures/ray-jobs-server.ts";
import { startScriptedOpenAiServer, type ScriptedServer } from "../../server/dev-tools/scripted-openai-server.ts";
import { scriptedProblemsFrom } from "../../server/dev-tools/scripted-problems.ts";
import { describeWithDataset } from "../helpers/datasets.ts";
import { testDatabaseUrl, uniqueName, useTestPrisma } from "../helpers/db.ts";
import { o1c } from "../helpers/o1c.ts";
import { FAKE_TRAINER_TEMPLATE, tempDir } from "../training/training-helpers.ts";

describeWithDataset("self-play loop", "mbpp.jsonl", (mbppPath) => {
  const prisma = useTestPrisma();
  const dataset = uniqueName("mbpp-loop");
  let server: ScriptedServer;
  let sandbox: Sandbox;
  const llms = createLlmFactory();

  beforeAll(async () => {
    await importDataset(prisma, { source: { path: mbppPath }, format: "mbpp", name: dataset });
    const problems = await prisma.problem.findMany({
      where: { dataset: { name: dataset }, ordinal: { lte: 10 } },
      include: { testCases: { select: { kind: true, input: true, expected: true, origin: true } }, dataset: false },
    });
    // The scripted TCG writes its cases from these. A TCG-DPO pair needs two valid cases of a problem and MBPP has one
    // visible test, so the TRAIN problems (1-6, the only ones a loop's TCG runs on) lend it all their tests; the
    // held-out problems lend only their visible test, so no held-out test text exists anywhere a loop could read.
    for (const p of problems) if (p.ordinal > 6) p.testCases = p.testCases.filter((t) => t.origin === "DATASET_VISIBLE");
    server = await startScriptedOpenAiServer({ problems: scriptedProblemsFrom(problems), models: ["base"], runtimeLora: true });
    sandbox = await createSandbox();
  }, 60_000);
  afterAll(async () => {
    await llms.close();
    await sandbox?.close();
    await server?.close();
  });

  async function loopConfig(name: string, extra: Partial<LoopConfigInput> = {}): Promise<LoopConfigInput> {
    return {
      name,
      dataset,
      trainProblems: "1-6",
      evalProblems: "7-9",
      iterations: 2,
      mode: "pseudocode",
      search: { rollouts: 6, children: 3 },
      llm: { baseUrl: server.url, model: "base" },
      training: { backend: "command", recipes: ["sft", "dpo"], baseModel: "Qwen/Qwen2.5-Coder-7B-Instruct", command: FAKE_TRAINER_TEMPLATE, outputRoot: await tempDir("loop") },
      publish: { kind: "vllm-lora" },
      ...extra,
    };
  }

  async function heldOutIds(): Promise<Map<string, string>> {
    const rows = await prisma.problem.findMany({ where: { dataset: { name: dataset }, ordinal: { gte: 7, lte: 9 } }, select: { id: true, statement: true } });
    return new Map(rows.map((r) => [r.id, r.statement]));
  }

  /** Every training input and export file of the loop: no record of a held-out problem, no held-out statement. */
  async function expectNoHeldOutIn(loopId: string, minFiles: number) {
    const heldOut = await heldOutIds();
    const loop = await prisma.selfPlayLoop.findUniqueOrThrow({ where: { id: loopId } });
    const jobs = await prisma.trainingJob.findMany({ where: { loopId } });
    const files = new Set<string>([
      ...jobs.flatMap((j) => (j.inputs as Array<{ path: string }>).map((i) => i.path)),
      ...(loop.state as Array<{ exports?: Record<string, { path: string }> }>).flatMap((s) => Object.values(s.exports ?? {}).map((e) => e.path)),
    ]);
    expect(files.size).toBeGreaterThanOrEqual(minFiles);
    let records = 0;
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      for (const statement of heldOut.values()) expect(text.includes(statement.trim().slice(0, 60)), `${file} holds a held-out statement`).toBe(false);
      for (const line of text.split("\n").filter(Boolean)) {
        const problemId = (JSON.parse(line) as { provenance: { problemId: string } }).provenance.problemId;
        expect(heldOut.has(problemId), `${file} has a record of held-out problem ${problemId}`).toBe(false);
        records += 1;
      }
    }
    expect(records).toBeGreaterThan(0);
  }

  it("runs two iterations: trains SFT then DPO from SFT, loads each adapter into vLLM and searches with it; held-out problems never reach training data", async () => {
    const name = uniqueName("loop");
    const { id } = await createOrFindLoop(prisma, await loopConfig(name));
    const report = await runLoop(prisma, id, { sandbox, createLlm: (e) => llms.create(e), trainingPollMs: 50 });
    expect(report.status, report.error ?? "").toBe("completed");
    expect(report.lineage).toBe(name);
    expect(report.iterations.map((i) => i.iteration)).toEqual([0, 1, 2]);
    expect(report.iterations.map((i) => i.model)).toEqual(["base", `${name}-it1`, `${name}-it2`]);
    expect(report.iterations).toHaveLength(3); // the loop below checks every iteration, not a possibly empty list
    expect(report.iterations[0]!.training).toEqual([]);
    expect(report.iterations[2]!.searchExperimentId).toBeNull(); // the last iteration trains nothing further
    for (const it of report.iterations) {
      expect([it.eval.pass1, it.eval.aspr]).toEqual([expect.any(Number), expect.any(Number)]);
    }
    for (const k of [1, 2]) {
      const training = report.iterations[k]!.training;
      expect(training.map((t) => [t.recipe, t.status])).toEqual([["sft", "succeeded"], ["dpo", "succeeded"]]);
      const dpo = await prisma.trainingJob.findUniqueOrThrow({ where: { id: training[1]!.jobId } });
      expect(dpo.initFrom).toBe(training[0]!.output);
      expect(server.loras.get(`${name}-it${k}`)).toBe(training[1]!.output);
      // The held-out evaluation of iteration k really asked for the adapter by name.
      const evalPrompts = server.requests.filter((r) => r.path === "/v1/chat/completions" && (r.body as { model?: string }).model === `${name}-it${k}`);
      expect(evalPrompts.length).toBeGreaterThan(0);
    }
    // D ∪ D′: policy 2's SFT data is iteration 0's export followed by iteration 1's.
    const loop = await prisma.selfPlayLoop.findUniqueOrThrow({ where: { id } });
    const states = loop.state as Array<{ iteration: number; exports?: Record<string, { records: number }> }>;
    const sft2 = await prisma.trainingJob.findUniqueOrThrow({ where: { id: report.iterations[2]!.training[0]!.jobId } });
    expect((sft2.inputs as Array<{ records: number }>)[0]!.records).toBe(states[0]!.exports!["sft.jsonl"]!.records + states[1]!.exports!["sft.jsonl"]!.records);
    await expectNoHeldOutIn(id, 6); // 2 exports × 2 iterations + each policy's training data
    // The held-out evaluations are the lineage's iterations; experiments searched only train or eval problems.
    const evals = await prisma.experiment.findMany({ where: { lineage: { name } }, orderBy: { iteration: "asc" }, select: { iteration: true, model: true, trees: { select: { problem: { select: { ordinal: true } } } } } });
    expect(evals.map((e) => [e.iteration, e.model])).toEqual([[0, "base"], [1, `${name}-it1`], [2, `${name}-it2`]]);
    for (const e of evals) expect(e.trees.map((t) => t.problem.ordinal).sort()).toEqual([7, 8, 9]);
  }, 300_000);

  it("refuses overlapping splits naming the field, and a changed plan under an existing name; nothing is written", async () => {
    const name = uniqueName("loop");
    await expect(createOrFindLoop(prisma, await loopConfig(name, { evalProblems: "5-8" }))).rejects.toThrow(/loop.json field evalProblems: 2 problem\(s\) are in both trainProblems and evalProblems/);
    expect(await prisma.selfPlayLoop.count({ where: { name } })).toBe(0);
    expect(await prisma.lineage.count({ where: { name } })).toBe(0);
    await expect(createOrFindLoop(prisma, await loopConfig(name, { training: { backend: "command", recipes: ["dpo", "sft"], outputRoot: "/tmp" } }))).rejects.toThrow("loop.json field training.recipes: dpo starts from sft's adapter: list sft first");
    await expect(createOrFindLoop(prisma, await loopConfig(name, { training: { backend: "command", recipes: ["sft"], command: "train {dataset}", outputRoot: "/tmp" } }))).rejects.toThrow("loop.json field training.command: unknown placeholder {dataset}");
    const config = await loopConfig(name);
    await createOrFindLoop(prisma, config);
    await expect(createOrFindLoop(prisma, { ...config, iterations: 3 })).rejects.toThrow(`loop '${name}' exists with a different plan (iterations differs)`);
  });

  it("o1c loop run killed with SIGKILL mid-training resumes at that stage: nothing finished is redone", async () => {
    const name = uniqueName("loop-kill");
    const file = path.join(await tempDir("loop-config"), "loop.json");
    // The test trainer sleeps between its progress lines so the kill lands while a job runs.
    const config = await loopConfig(name, { iterations: 1, training: { ...(await loopConfig(name)).training, recipes: ["sft"], env: { FAKE_TRAINER_SLEEP: "1" } } } as Partial<LoopConfigInput>);
    await writeFile(file, JSON.stringify(config));
    const first = spawn(process.execPath, ["bin/o1c.mjs", "loop", "run", "--config", file, "--json"], { env: { ...process.env, DATABASE_URL: testDatabaseUrl() }, stdio: "ignore" });
    const exited = new Promise((resolve) => first.once("exit", resolve));
    let running = null as null | { id: string; handle: string | null };
    for (let i = 0; i < 2400 && !running; i += 1) {
      running = await prisma.trainingJob.findFirst({ where: { loop: { name }, status: "RUNNING", handle: { not: null } }, select: { id: true, handle: true } });
      if (!running) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(running, "a training job started").not.toBeNull();
    first.kill("SIGKILL");
    await exited;
    const before = await prisma.selfPlayLoop.findUniqueOrThrow({ where: { name } });
    expect([before.status, before.iteration, before.stage]).toEqual(["RUNNING", 1, "train"]);
    const searched = (before.state as Array<{ searchExperimentId?: string }>)[0]!.searchExperimentId!;
    const treesBefore = await prisma.searchTree.findMany({ where: { experimentId: searched }, select: { id: true, attempts: true, finishedAt: true }, orderBy: { id: "asc" } });

    const second = await o1c(["loop", "run", "--config", file, "--json"]);
    expect(second.code, second.stderr).toBe(0);
    const report = JSON.parse(second.stdout) as Awaited<ReturnType<typeof getLoopReport>>;
    expect(report.status).toBe("completed");
    expect(report.iterations.map((i) => i.model)).toEqual(["base", `${name}-it1`]);
    const sft = report.iterations[1]!.training;
    expect(sft.map((t) => [t.attempt, t.status])).toEqual([[1, "failed"], [2, "succeeded"]]);
    expect(sft[0]!.error).toMatch(/interrupted by a restart/);
    // Iteration 0's search and evaluation were not redone: the same experiments, trees untouched.
    expect(report.iterations[0]!.searchExperimentId).toBe(searched);
    expect(await prisma.experiment.count({ where: { name: { startsWith: `${name} · ` } } })).toBe(3);
    const treesAfter = await prisma.searchTree.findMany({ where: { experimentId: searched }, select: { id: true, attempts: true, finishedAt: true }, orderBy: { id: "asc" } });
    expect(treesAfter).toEqual(treesBefore);
    await expectNoHeldOutIn(report.loopId, 2);
  }, 300_000);

  it("cancel stops the running training job's process group; running the loop again finishes it", async () => {
    const name = uniqueName("loop-cancel");
    const base = await loopConfig(name, { iterations: 1 });
    const { id } = await createOrFindLoop(prisma, { ...base, training: { ...base.training, recipes: ["sft"], env: { FAKE_TRAINER_SLEEP: "30" } } } as LoopConfigInput);
    const deps = { sandbox, createLlm: (e: Parameters<typeof llms.create>[0]) => llms.create(e), trainingPollMs: 50, heartbeatMs: 100 };
    const first = runLoop(prisma, id, deps);
    let job = null as null | { id: string; handle: string | null };
    for (let i = 0; i < 2400 && !job?.handle; i += 1) {
      job = await prisma.trainingJob.findFirst({ where: { loopId: id, status: "RUNNING", logTail: { contains: "fake-trainer: sft" } }, select: { id: true, handle: true } });
      if (!job?.handle) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await cancelLoop(prisma, id);
    const cancelled = await first;
    expect(cancelled.status, cancelled.error ?? "").toBe("cancelled");
    expect(cancelled.iterations[1]!.training.map((t) => t.status)).toEqual(["cancelled"]);
    expect(groupRuns(Number(job!.handle))).toBe(false);
    // Resumed with a fast trainer (the environment comes from the process here, the plan is unchanged).
    const resumed = await runLoop(prisma, id, { ...deps, trainingEnv: { FAKE_TRAINER_SLEEP: "0" } });
    expect(resumed.status, resumed.error ?? "").toBe("completed");
    expect(resumed.iterations[1]!.training.map((t) => [t.attempt, t.status])).toEqual([[1, "cancelled"], [2, "succeeded"]]);
  }, 300_000);

  it("a cancel whose killed trainer fails the stage before the heartbeat sees the cancel is still a cancel", async () => {
    const name = uniqueName("loop-cancel-race");
    const base = await loopConfig(name, { iterations: 1 });
    const { id } = await createOrFindLoop(prisma, { ...base, training: { ...base.training, recipes: ["sft"], env: { FAKE_TRAINER_SLEEP: "30" } } } as LoopConfigInput);
    // A heartbeat slower than the test: only the training stage can notice that its trainer was killed.
    const run = runLoop(prisma, id, { sandbox, createLlm: (e) => llms.create(e), trainingPollMs: 50, heartbeatMs: 600_000 });
    let job = null as null | { handle: string | null };
    for (let i = 0; i < 2400 && !job?.handle; i += 1) {
      job = await prisma.trainingJob.findFirst({ where: { loopId: id, status: "RUNNING", logTail: { contains: "fake-trainer: sft" } }, select: { handle: true } });
      if (!job?.handle) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await cancelLoop(prisma, id);
    const report = await run;
    expect(report.status, report.error ?? "").toBe("cancelled");
    expect(report.iterations[1]!.training.map((t) => t.status)).toEqual(["cancelled"]);
  }, 300_000);

  it("trains through a Ray cluster's Jobs API (the stand-in runs the entrypoint) and publishes the result", async () => {
    const ray = await startRayJobsStandIn();
    try {
      const name = uniqueName("loop-ray");
      const base = await loopConfig(name, { iterations: 1 });
      const config = { ...base, training: { backend: "ray", recipes: ["sft"], outputRoot: base.training.outputRoot, ray: { address: ray.url, entrypoint: FAKE_TRAINER_TEMPLATE, entrypointNumGpus: 1 } } } as LoopConfigInput;
      const { id } = await createOrFindLoop(prisma, config);
      const report = await runLoop(prisma, id, { sandbox, createLlm: (e) => llms.create(e), trainingPollMs: 50 });
      expect(report.status, report.error ?? "").toBe("completed");
      const [job] = report.iterations[1]!.training;
      expect(job).toMatchObject({ recipe: "sft", status: "succeeded" });
      expect(ray.jobs.get(`o1c-${job!.jobId}`)).toMatchObject({ status: "SUCCEEDED", metadata: { o1c_training_job: job!.jobId } });
      expect(report.iterations[1]!.model).toBe(`${name}-it1`);
      expect(server.loras.get(`${name}-it1`)).toBe(job!.output);
    } finally {
      await ray.close();
    }
  }, 300_000);

  it("with the tcg recipe, generates tests for the train split first and trains the TCG by SFT then DPO on them", async () => {
    const name = uniqueName("loop-tcg");
    const base = await loopConfig(name, { iterations: 1 });
    const { id } = await createOrFindLoop(prisma, { ...base, training: { ...base.training, recipes: ["sft", "tcg"] } } as LoopConfigInput);
    const report = await runLoop(prisma, id, { sandbox, createLlm: (e) => llms.create(e), trainingPollMs: 50 });
    expect(report.status, report.error ?? "").toBe("completed");
    const training = report.iterations[1]!.training;
    expect(training.map((t) => [t.recipe, t.status])).toEqual([["sft", "succeeded"], ["tcg-sft", "succeeded"], ["tcg-dpo", "succeeded"]]);
    const tcgDpo = await prisma.trainingJob.findUniqueOrThrow({ where: { id: training[2]!.jobId } });
    expect(tcgDpo.initFrom).toBe(training[1]!.output);
    const loop = await prisma.selfPlayLoop.findUniqueOrThrow({ where: { id } });
    const state0 = (loop.state as Array<{ tcgRunId?: string; exports?: Record<string, { records: number }> }>)[0]!;
    expect(state0.exports!["tcg-dpo.jsonl"]!.records).toBeGreaterThan(0);
    const tcgProblems = await prisma.tcgProblem.findMany({ where: { runId: state0.tcgRunId! }, select: { problem: { select: { ordinal: true } } } });
    expect(tcgProblems.map((p) => p.problem.ordinal).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    await expectNoHeldOutIn(id, 4);
  }, 300_000);
});
