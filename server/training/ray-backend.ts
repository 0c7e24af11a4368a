// The Ray backend: Ray's Jobs REST API on the cluster's dashboard (default port 8265). A job is submitted with a
// submission id derived from our job id, so after a restart it is found again by that id (and never submitted
// twice); its status is polled, its log (Ray returns the whole log) tailed, and cancel asks Ray to stop it.
import type { RunningTraining, StoredRun, TrainingBackend, TrainingExit, TrainingLaunch } from "./backend.ts";

export interface RayBackendOptions {
  /** The dashboard address, e.g. http://head:8265. */
  address: string;
  /** Ray's runtime_env (working_dir, pip, env_vars, …), passed through. */
  runtimeEnv?: Record<string, unknown>;
  entrypointNumGpus?: number;
  entrypointNumCpus?: number;
  pollMs?: number;
  /** Bearer token for a dashboard behind an authenticating proxy. */
  token?: string;
}

type RayStatus = "PENDING" | "RUNNING" | "STOPPED" | "SUCCEEDED" | "FAILED";
const FINISHED: readonly RayStatus[] = ["STOPPED", "SUCCEEDED", "FAILED"];

interface RayJobDetails {
  status: RayStatus;
  message?: string | null;
  error_type?: string | null;
  driver_exit_code?: number | null;
}

export class RayApiError extends Error {}

export function submissionIdFor(jobId: string): string {
  return `o1c-${jobId}`;
}

export function createRayBackend(options: RayBackendOptions): TrainingBackend {
  const base = options.address.replace(/\/+$/, "");
  const pollMs = options.pollMs ?? 2_000;

  async function call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<{ status: number; json: T | null; text: string }> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: { "content-type": "application/json", ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new RayApiError(`Ray dashboard at ${base} is unreachable (${method} ${path}): ${(error as Error).message}`);
    }
    const text = await response.text();
    let json: T | null = null;
    try {
      json = text ? (JSON.parse(text) as T) : null;
    } catch {
      json = null;
    }
    return { status: response.status, json, text };
  }

  async function details(submissionId: string): Promise<RayJobDetails | null> {
    const reply = await call<RayJobDetails>("GET", `/api/jobs/${encodeURIComponent(submissionId)}`);
    if (reply.status === 404) return null;
    if (reply.status !== 200 || !reply.json?.status) throw new RayApiError(`GET /api/jobs/${submissionId} answered ${reply.status}: ${reply.text.slice(0, 300)}`);
    return reply.json;
  }

  function follow(submissionId: string, log: TrainingLaunch["log"]): RunningTraining {
    let stopRequested = false;
    let following = true;
    const done = (async (): Promise<TrainingExit> => {
      for (;;) {
        if (!following) return new Promise<TrainingExit>(() => {}); // another process follows it now
        const job = await details(submissionId);
        if (!job) return { ok: false, exitCode: null, message: `Ray no longer knows job ${submissionId}` };
        const logs = await call<{ logs?: string }>("GET", `/api/jobs/${encodeURIComponent(submissionId)}/logs`);
        if (logs.status === 200 && typeof logs.json?.logs === "string") log.replace(logs.json.logs);
        if (FINISHED.includes(job.status)) return exitOf(job, stopRequested);
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    })();
    return {
      handle: submissionId,
      done,
      async cancel() {
        stopRequested = true;
        const reply = await call<{ stopped?: boolean }>("POST", `/api/jobs/${encodeURIComponent(submissionId)}/stop`);
        if (reply.status !== 200) throw new RayApiError(`POST /api/jobs/${submissionId}/stop answered ${reply.status}: ${reply.text.slice(0, 300)}`);
        await done;
      },
      stopFollowing() {
        following = false;
      },
    };
  }

  return {
    name: "ray",
    async start(launch) {
      const submissionId = submissionIdFor(launch.jobId);
      // A submit whose answer was lost (or a restart right after it) must not start a second run.
      if (!(await details(submissionId))) {
        const reply = await call<{ submission_id?: string }>("POST", "/api/jobs/", {
          entrypoint: launch.command,
          submission_id: submissionId,
          metadata: { o1c_training_job: launch.jobId },
          ...(options.runtimeEnv ? { runtime_env: options.runtimeEnv } : {}),
          ...(options.entrypointNumGpus !== undefined ? { entrypoint_num_gpus: options.entrypointNumGpus } : {}),
          ...(options.entrypointNumCpus !== undefined ? { entrypoint_num_cpus: options.entrypointNumCpus } : {}),
        });
        if (reply.status !== 200) throw new RayApiError(`Ray refused the job (POST /api/jobs/ answered ${reply.status}): ${reply.text.slice(0, 500)}`);
      }
      return follow(submissionId, launch.log);
    },
    async reattach(run: StoredRun) {
      const submissionId = run.handle ?? submissionIdFor(run.jobId);
      if (!(await details(submissionId))) return { lost: `Ray at ${base} has no job ${submissionId}` };
      return follow(submissionId, run.log);
    },
  };
}

function exitOf(job: RayJobDetails, stopRequested: boolean): TrainingExit {
  const exitCode = job.driver_exit_code ?? null;
  if (job.status === "SUCCEEDED") return { ok: true, exitCode, message: null };
  if (job.status === "STOPPED") return { ok: false, exitCode, message: stopRequested ? "cancelled" : `stopped on the Ray cluster${job.message ? `: ${job.message}` : ""}` };
  return { ok: false, exitCode, message: `Ray job failed${job.error_type ? ` (${job.error_type})` : ""}${job.message ? `: ${job.message}` : ""}` };
}
