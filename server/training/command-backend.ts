// The command backend: the rendered command runs under /bin/sh as a local process in its own process group
// (detached), so cancel can kill the whole tree a launcher like `accelerate launch` starts. stdout and stderr go to
// the job's log tail; the exit code decides success.
//
// After a restart the pipes are gone and the exit code of a process that is not our child cannot be read, so a job
// that was running cannot be followed honestly: its process group is stopped if it still runs, and the job reports
// why (the loop then starts a new attempt).
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import type { RunningTraining, StoredRun, TrainingBackend, TrainingExit, TrainingLaunch } from "./backend.ts";

const KILL_GRACE_MS = 5_000;

export interface CommandBackendOptions {
  /** Working directory of the commands (default: the process's). */
  cwd?: string;
  env?: Record<string, string>;
}

export function createCommandBackend(options: CommandBackendOptions = {}): TrainingBackend {
  return {
    name: "command",
    async start(launch) {
      return spawnCommand(launch, options);
    },
    async reattach(run) {
      return { lost: await stopOrphan(run) };
    },
  };
}

function spawnCommand(launch: TrainingLaunch, options: CommandBackendOptions): RunningTraining {
  const child = spawn("/bin/sh", ["-c", launch.command], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env, PYTHONUNBUFFERED: "1" },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => launch.log.append(chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => launch.log.append(chunk));
  let cancelled = false;
  const done = new Promise<TrainingExit>((resolve) => {
    child.once("error", (error) => resolve({ ok: false, exitCode: null, message: `could not start /bin/sh: ${error.message}` }));
    child.once("close", (code, signal) => {
      if (cancelled) resolve({ ok: false, exitCode: code, message: "cancelled" });
      else if (code === 0) resolve({ ok: true, exitCode: 0, message: null });
      else resolve({ ok: false, exitCode: code, message: signal ? `the trainer was killed by ${signal}` : `the trainer exited with code ${code}` });
    });
  });
  // Stopping following needs nothing: the child's events only update this process's view.
  if (child.pid === undefined) return { handle: "", done, cancel: async () => {}, stopFollowing: () => {} };
  const pgid = child.pid;
  return {
    handle: String(pgid),
    done,
    async cancel() {
      cancelled = true;
      await killGroup(pgid, done);
    },
    stopFollowing: () => {},
  };
}

/** SIGTERM to the group, SIGKILL after a grace period if it is still there. */
async function killGroup(pgid: number, exited: Promise<unknown>): Promise<void> {
  if (!signalGroup(pgid, "SIGTERM")) return;
  const timer = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), KILL_GRACE_MS).unref());
  if ((await Promise.race([exited.then(() => "exited" as const), timer])) === "timeout") signalGroup(pgid, "SIGKILL");
  await exited;
}

/**
 * Whether any process of the group still runs. A zombie (exited, not yet reaped — e.g. a trainer whose shell died
 * first, waiting for init) answers kill(-pgid, 0) but runs nothing; /proc tells them apart on Linux.
 */
export function groupRuns(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return true; // no /proc: trust kill(-pgid, 0)
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses, so read after the last ')'.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(pgrp) === pgid && state !== "Z") return true;
    } catch {
      /* the process ended while we looked */
    }
  }
  return false;
}

function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is gone
  }
}

async function stopOrphan(run: StoredRun): Promise<string> {
  const pgid = Number(run.handle);
  if (!run.handle || !Number.isInteger(pgid) || pgid <= 0) return "the server stopped before the trainer process started";
  if (run.host !== null && run.host !== os.hostname()) {
    return `the trainer ran on ${run.host}; a command job can only be followed by the process that started it`;
  }
  if (!groupRuns(pgid)) return `interrupted by a restart: the trainer process (group ${pgid}) was gone`;
  signalGroup(pgid, "SIGTERM");
  const deadline = Date.now() + KILL_GRACE_MS;
  while (groupRuns(pgid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  signalGroup(pgid, "SIGKILL");
  return `interrupted by a restart: the trainer process (group ${pgid}) had lost its supervisor, its output and exit code cannot be followed, so it was stopped`;
}
