// Training jobs on the command backend (real subprocesses of the test trainer, test/fixtures/fake-trainer.py) and
// the Ray backend (a stand-in speaking Ray's Jobs REST API over real HTTP that really runs the entrypoint).
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cancelTrainingJob,
  createCommandBackend,
  createRayBackend,
  createTrainingJob,
  describeInputFile,
  getTrainingJob,
  groupRuns,
  runTrainingJob,
  submissionIdFor,
} from "../../server/training/index.ts";
import { startRayJobsStandIn, type RayJobsStandIn } from "../fixtures/ray-jobs-server.ts";
import { useTestPrisma } from "../helpers/db.ts";
import { FAKE_TRAINER_TEMPLATE, SFT_RECORDS, tempDir, writeJsonl } from "./training-helpers.ts";

const prisma = useTestPrisma();

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 600; i += 1) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}


async function newJob(dir: string, template = FAKE_TRAINER_TEMPLATE, backend: "command" | "ray" = "command") {
  const data = await describeInputFile("data", await writeJsonl(path.join(dir, "sft.jsonl"), SFT_RECORDS), { test: true });
  return createTrainingJob(prisma, { recipe: "sft", backend, template, data, baseModel: "base-model", outputPath: path.join(dir, "adapter"), iteration: 1 });
}

describe("command backend", () => {
  it("runs the trainer, keeps its log tail and the inputs' sha256, and succeeds on exit 0 with an adapter", async () => {
    const dir = await tempDir("train");
    const job = await newJob(dir);
    const inputs = job.inputs as Array<{ sha256: string; records: number; path: string }>;
    expect(inputs[0]).toMatchObject({ records: 2, path: path.join(dir, "sft.jsonl") });
    expect(inputs[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    const done = await runTrainingJob(prisma, job.id, { backend: createCommandBackend(), pollMs: 50 });
    expect(done.status, done.error ?? "").toBe("SUCCEEDED");
    expect(done.exitCode).toBe(0);
    expect(done.logTail).toContain("step 3/3");
    expect(existsSync(path.join(dir, "adapter", "adapter_config.json"))).toBe(true);
    const seen = JSON.parse(readFileSync(path.join(dir, "adapter", "o1c-fake-trainer.json"), "utf8")) as { sha256: string };
    expect(seen.sha256).toBe(inputs[0]!.sha256);
  });

  it("a non-zero exit fails the job with its code and output", async () => {
    const job = await newJob(await tempDir("train"));
    const done = await runTrainingJob(prisma, job.id, { backend: createCommandBackend({ env: { FAKE_TRAINER_FAIL: "1" } }), pollMs: 50 });
    expect(done).toMatchObject({ status: "FAILED", exitCode: 3, error: "the trainer exited with code 3" });
    expect(done.logTail).toContain("failing as asked");
  });

  it("exit 0 without an adapter is a failure that says so", async () => {
    const dir = await tempDir("train");
    const job = await newJob(dir, "echo trained nothing {output}");
    const done = await runTrainingJob(prisma, job.id, { backend: createCommandBackend(), pollMs: 50 });
    expect(done.status).toBe("FAILED");
    expect(done.error).toContain("wrote no adapter (adapter_config.json)");
  });

  it("placeholders are substituted quoted: a hostile path stays one argument", async () => {
    const dir = await tempDir("train quote's $(x)");
    const marker = path.join(dir, "injected");
    const hostile = path.join(dir, `a'; touch ${marker}; echo '`);
    const data = await describeInputFile("data", await writeJsonl(path.join(dir, "sft.jsonl"), SFT_RECORDS), {});
    const job = await createTrainingJob(prisma, { recipe: "sft", backend: "command", template: "printf '%s|' {output} {base_model}", data, baseModel: hostile, outputPath: path.join(dir, "out") });
    const done = await runTrainingJob(prisma, job.id, { backend: createCommandBackend(), pollMs: 50 });
    expect(done.logTail).toBe(`${path.join(dir, "out")}|${hostile}|`);
    expect(existsSync(marker)).toBe(false);
  });

  it("a bad template names the field and creates no job", async () => {
    const dir = await tempDir("train");
    const data = await describeInputFile("data", await writeJsonl(path.join(dir, "sft.jsonl"), SFT_RECORDS), {});
    const before = await prisma.trainingJob.count();
    const make = (template: string) => createTrainingJob(prisma, { recipe: "sft", backend: "command", template, templateField: "loop.json field training.command", data, baseModel: "m", outputPath: dir });
    await expect(make("train {dataset}")).rejects.toThrow("loop.json field training.command: unknown placeholder {dataset}");
    await expect(make("train '{data}'")).rejects.toThrow("do not quote {data}");
    expect(await prisma.trainingJob.count()).toBe(before);
  });

  it("cancel kills the trainer's process group", async () => {
    const job = await newJob(await tempDir("train"));
    const running = runTrainingJob(prisma, job.id, { backend: createCommandBackend({ env: { FAKE_TRAINER_SLEEP: "30" } }), pollMs: 50 });
    const started = await waitFor(() => getTrainingJob(prisma, job.id), (j) => j.handle !== null && j.logTail.includes("fake-trainer: sft"), "the trainer's first line");
    await cancelTrainingJob(prisma, job.id);
    const done = await running;
    expect(done.status).toBe("CANCELLED");
    expect(groupRuns(Number(started.handle))).toBe(false);
  });

  it("after a restart, a job whose process lost its supervisor is stopped and marked failed, saying why", async () => {
    const job = await newJob(await tempDir("train"));
    // What a killed server leaves behind: the row RUNNING and its trainer's process group still alive.
    const orphan = spawn("/bin/sh", ["-c", "sleep 60"], { detached: true, stdio: "ignore" });
    await prisma.trainingJob.update({ where: { id: job.id }, data: { status: "RUNNING", handle: String(orphan.pid), startedAt: new Date() } });
    const done = await runTrainingJob(prisma, job.id, { backend: createCommandBackend(), pollMs: 50 });
    expect(done.status).toBe("FAILED");
    expect(done.error).toMatch(/interrupted by a restart: the trainer process \(group \d+\) had lost its supervisor/);
    expect(groupRuns(orphan.pid!)).toBe(false);
    const gone = await newJob(await tempDir("train"));
    await prisma.trainingJob.update({ where: { id: gone.id }, data: { status: "RUNNING", handle: String(orphan.pid) } });
    expect((await runTrainingJob(prisma, gone.id, { backend: createCommandBackend() })).error).toMatch(/was gone/);
  });
});

describe("ray backend (stand-in Jobs API over HTTP)", () => {
  let ray: RayJobsStandIn;
  beforeAll(async () => {
    ray = await startRayJobsStandIn();
  });
  afterAll(() => ray?.close());

  it("submits the entrypoint with a submission id, follows status and logs to success", async () => {
    const dir = await tempDir("ray");
    const job = await newJob(dir, FAKE_TRAINER_TEMPLATE, "ray");
    const done = await runTrainingJob(prisma, job.id, { backend: createRayBackend({ address: ray.url, pollMs: 50, runtimeEnv: { env_vars: { FAKE_TRAINER_SLEEP: "0" } } }), pollMs: 50 });
    expect(done.status, done.error ?? "").toBe("SUCCEEDED");
    expect(done.handle).toBe(submissionIdFor(job.id));
    expect(done.logTail).toContain("step 3/3");
    expect(ray.jobs.get(submissionIdFor(job.id))).toMatchObject({ metadata: { o1c_training_job: job.id }, status: "SUCCEEDED", driver_exit_code: 0 });
    expect(existsSync(path.join(dir, "adapter", "adapter_config.json"))).toBe(true);
  });

  it("a failing entrypoint fails the job with Ray's error type", async () => {
    const job = await newJob(await tempDir("ray"), "exit 7", "ray");
    const done = await runTrainingJob(prisma, job.id, { backend: createRayBackend({ address: ray.url, pollMs: 50 }), pollMs: 50 });
    expect(done).toMatchObject({ status: "FAILED", exitCode: 7 });
    expect(done.error).toContain("JOB_ENTRYPOINT_COMMAND_ERROR");
  });

  it("after a restart the job is found again by its submission id, not submitted twice; cancel stops it", async () => {
    const job = await newJob(await tempDir("ray"), FAKE_TRAINER_TEMPLATE, "ray");
    const backend = createRayBackend({ address: ray.url, pollMs: 50, runtimeEnv: { env_vars: { FAKE_TRAINER_SLEEP: "30" } } });
    const stopping = new AbortController();
    const first = runTrainingJob(prisma, job.id, { backend, pollMs: 50, signal: stopping.signal });
    await waitFor(() => getTrainingJob(prisma, job.id), (j) => j.logTail.includes("fake-trainer: sft"), "the Ray job's first line");
    stopping.abort(); // the server stops following; the Ray job keeps running
    expect((await first).status).toBe("RUNNING");
    const polls = () => ray.requests.filter((r) => r === `GET /api/jobs/${submissionIdFor(job.id)}`).length;
    // The stopped follower polls no more (a poll it had in flight may still land).
    const afterFirst = polls();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(polls()).toBeLessThanOrEqual(afterFirst + 1);
    const pollsBefore = polls();
    const second = runTrainingJob(prisma, job.id, { backend, pollMs: 50 });
    await waitFor(() => Promise.resolve(polls()), (n) => n > pollsBefore + 3, "the restarted follower's polls");
    await cancelTrainingJob(prisma, job.id);
    expect((await second).status).toBe("CANCELLED");
    expect(ray.requests.filter((r) => r === "POST /api/jobs/").length).toBe(ray.jobs.size);
    expect(ray.jobs.get(submissionIdFor(job.id))!.status).toBe("STOPPED");
  });

  it("an unreachable dashboard fails the job naming the address", async () => {
    const job = await newJob(await tempDir("ray"), "true", "ray");
    const done = await runTrainingJob(prisma, job.id, { backend: createRayBackend({ address: "http://127.0.0.1:9", pollMs: 50 }), pollMs: 50 });
    expect(done.status).toBe("FAILED");
    expect(done.error).toContain("Ray dashboard at http://127.0.0.1:9 is unreachable");
  });
});
