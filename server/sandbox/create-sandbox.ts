// Builds a Sandbox: checks that isolation is available (or that the unsafe opt-in is set), starts the worker pool.
import { spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ValidationError } from "../errors.ts";
import { forkserverScriptPath, loadForkserverScript } from "./forkserver-script.ts";
import { WorkerStartError } from "./forkserver-worker.ts";
import {
  bubblewrapLaunch,
  bubblewrapMissing,
  defaultRunAs,
  findBubblewrap,
  pythonMissing,
  requestedIsolation,
  type RunAs,
  type SpawnStrategy,
  unisolatedLaunch,
  userNamespacesUnavailable,
  type WorkerLaunch,
} from "./isolation.ts";
import { DEFAULT_LIMITS, DEFAULT_WATCHDOG_GRACE_MS, resolveLimits } from "./limits.ts";
import { checkCompiles, runProgram, type RunContext } from "./run-program.ts";
import type { CompileResult, Isolation, RunLimits, RunRequest, RunResult, Sandbox } from "./types.ts";
import { SandboxClosedError, WorkerPool } from "./worker-pool.ts";

export interface SandboxOptions {
  /** Worker processes; default: one per core (os.availableParallelism()). */
  workers?: number;
  /** Defaults for every run; each request may override them. */
  limits?: Partial<RunLimits>;
  /** Where O1C_SANDBOX is read (default process.env). */
  env?: Record<string, string | undefined>;
  /** Default: /usr/bin/bwrap, else bwrap on PATH. */
  bwrapPath?: string;
  /** Default: /usr/bin/python3 (not the PATH python3, which may be a pyenv shim). Must live under /usr. */
  pythonPath?: string;
  /** Default: O1C_SANDBOX_FORKSERVER, else forkserver.py next to this module. */
  forkserverPath?: string;
  /** uid/gid of the workers; default nobody (65534) when the app runs as root, else unchanged. */
  runAs?: RunAs;
  /** How long a worker may take to start and pass its self-test. */
  startTimeoutMs?: number;
  /** Worker restarts and failed restarts, for logs. */
  onEvent?: (message: string) => void;
  /** How long past a job's own deadline a worker may stay silent before it is killed and replaced (default 10 s;
   * the forkserver enforces every deadline itself, so this only catches a forkserver that stopped answering). */
  watchdogGraceMs?: number;
  /** Force how programs enter their namespaces (default: "clone", falling back to "unshare" if the self-test
   * fails). For tests and diagnosis. */
  strategy?: SpawnStrategy;
  /** Send every finished assert test to the judge's replay, even those whose verdict Node reads off the recorded
   * call (decidedAsRecorded in verdict.ts). For checking that shortcut against the judge, and the benchmark. */
  judgeEveryAssert?: boolean;
}

const DEFAULT_PYTHON = "/usr/bin/python3";

/**
 * Starts a sandbox isolated with bubblewrap. Throws IsolationUnavailableError naming what is missing (bubblewrap,
 * user namespaces, python3) and how to install it. Runs without isolation only when O1C_SANDBOX=unsafe-no-isolation;
 * `sandbox.isolation` then says "unsafe-none" so the UI and CLI can show it.
 */
export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox(requestedIsolation(options.env ?? process.env), options);
}

/** Starts a sandbox with the given isolation, bypassing the O1C_SANDBOX opt-in. Only for the benchmark's bare
 * baseline and tests; product code calls createSandbox. */
export async function startSandbox(isolation: Isolation, options: SandboxOptions = {}): Promise<PooledSandbox> {
  const workers = options.workers ?? os.availableParallelism();
  if (!Number.isInteger(workers) || workers < 1) throw new ValidationError("must be a positive integer", "workers");
  const defaults = resolveLimits(DEFAULT_LIMITS, options.limits);
  const python = options.pythonPath ?? DEFAULT_PYTHON;
  if (!existsSync(python)) throw pythonMissing(python);
  const script = loadForkserverScript(forkserverScriptPath(options.forkserverPath, options.env ?? process.env));
  const runAs = options.runAs ?? defaultRunAs();
  let workdir: string | null = null;
  let launch: WorkerLaunch;
  if (isolation === "bubblewrap") {
    const bwrap = findBubblewrap(options.bwrapPath, (options.env ?? process.env).PATH);
    if (!bwrap) throw bubblewrapMissing(options.bwrapPath);
    launch = bubblewrapLaunch(bwrap, python, script, runAs, options.strategy);
  } else {
    workdir = unisolatedWorkdir(runAs);
    launch = unisolatedLaunch(python, script, runAs, workdir);
  }
  const pool = new WorkerPool({ size: workers, launch, startTimeoutMs: options.startTimeoutMs ?? 20_000, onEvent: options.onEvent });
  try {
    await pool.start();
  } catch (error) {
    if (workdir) rmSync(workdir, { recursive: true, force: true });
    if (isolation === "bubblewrap" && error instanceof WorkerStartError) {
      if (error.selfTestFailed) throw userNamespacesUnavailable(error.message);
      const refused = probeUserNamespaces(launch.command, runAs);
      if (refused !== null) throw userNamespacesUnavailable(refused);
    }
    throw error;
  }
  return new PooledSandbox(pool, isolation, defaults, workdir, options.watchdogGraceMs ?? DEFAULT_WATCHDOG_GRACE_MS, options.judgeEveryAssert ?? false);
}

/** After a worker failed to start: can bubblewrap create user namespaces at all, as the workers' uid? null if it
 * can, else what it said. (A behavioural check rather than reading its error text.) */
function probeUserNamespaces(bwrap: string, runAs: RunAs | undefined): string | null {
  const probe = spawnSync(bwrap, ["--unshare-user", "--unshare-pid", "--ro-bind", "/", "/", "/bin/true"], {
    uid: runAs?.uid,
    gid: runAs?.gid,
    encoding: "utf8",
    timeout: 10_000,
  });
  if (probe.status === 0) return null;
  return (probe.stderr || probe.error?.message || `bwrap exited with status ${probe.status}`).trim();
}

/** Without namespaces there is no private /tmp: programs share one scratch directory owned by the worker uid. */
function unisolatedWorkdir(runAs: RunAs | undefined): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "o1c-sandbox-unsafe-"));
  if (runAs) chownSync(dir, runAs.uid, runAs.gid);
  return dir;
}

export class PooledSandbox implements Sandbox {
  private readonly context: RunContext;
  private closed: Promise<void> | null = null;
  /** Runs in progress: a run may need several jobs (a resumed test list, stdio tests), so close() waits for runs,
   * not just for the jobs queued at that moment. */
  private readonly active = new Set<Promise<unknown>>();

  constructor(
    private readonly pool: WorkerPool,
    readonly isolation: Isolation,
    defaults: RunLimits,
    private readonly workdir: string | null,
    watchdogGraceMs: number,
    judgeEveryAssert = false,
  ) {
    this.context = { exec: (request, watchdogMs, queueing) => pool.exec(request, watchdogMs, queueing), drivers: new Map(), defaults, isolation, watchdogGraceMs, judgeEveryAssert };
  }

  get workers(): number {
    return this.pool.size;
  }

  /** Process ids of the workers (for memory measurements). */
  workerPids(): number[] {
    return this.pool.workerPids();
  }

  /** How the workers' programs enter their namespaces ("clone", "unshare"; "fork" without isolation). */
  get strategy(): string | null {
    return this.pool.strategy;
  }

  /** Workers replaced since start. */
  get restarts(): number {
    return this.pool.restarts;
  }

  run(request: RunRequest): Promise<RunResult> {
    return this.track(() => runProgram(this.context, request));
  }

  compiles(code: string): Promise<CompileResult> {
    return this.track(() => checkCompiles(this.context, code));
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      await Promise.allSettled([...this.active]);
      await this.pool.close();
      if (this.workdir) rmSync(this.workdir, { recursive: true, force: true });
    })();
    return this.closed;
  }

  private track<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new SandboxClosedError());
    const promise = work();
    this.active.add(promise);
    void promise.then(
      () => this.active.delete(promise),
      () => this.active.delete(promise),
    );
    return promise;
  }
}
