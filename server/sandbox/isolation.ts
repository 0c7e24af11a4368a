// How a worker process is launched: inside bubblewrap (the default), or bare after an explicit unsafe opt-in.
// The per-program namespaces, /tmp, /proc, rlimits and capability drop happen inside the forkserver (forkserver.py);
// bubblewrap gives the worker as a whole an empty root with read-only /usr, no network and no environment of ours.
import { existsSync, lstatSync, readlinkSync } from "node:fs";
import path from "node:path";
import { AppError, ValidationError } from "../errors.ts";
import type { Isolation } from "./types.ts";

/** The value of O1C_SANDBOX that runs generated code without any isolation. Deliberately long and loud. */
export const UNSAFE_OPT_IN = "unsafe-no-isolation";

/** uid/gid the workers run as when the app runs as root: the kernel exempts uid 0 from RLIMIT_NPROC, and a uid of
 * its own means an escaped program would own nothing of ours. */
export const NOBODY = { uid: 65534, gid: 65534 };

export type IsolationRequirement = "bubblewrap" | "user-namespaces" | "python3";

export class IsolationUnavailableError extends AppError {
  constructor(
    readonly missing: IsolationRequirement,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface RunAs {
  uid: number;
  gid: number;
}

export interface WorkerLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  runAs?: RunAs;
  mode: "isolated" | "none";
}

const OPT_OUT_HINT =
  `To run generated code with NO isolation at all (only on a throwaway machine), set O1C_SANDBOX=${UNSAFE_OPT_IN}; ` +
  "the app then labels the sandbox unsafe.";

/** Reads O1C_SANDBOX: unset or "bubblewrap" means isolated; only the exact opt-in string disables isolation. */
export function requestedIsolation(env: Record<string, string | undefined>): Isolation {
  const value = env.O1C_SANDBOX?.trim() ?? "";
  if (value === "" || value === "bubblewrap") return "bubblewrap";
  if (value === UNSAFE_OPT_IN) return "unsafe-none";
  throw new ValidationError(`must be unset, "bubblewrap" or "${UNSAFE_OPT_IN}" (got "${value}")`, "O1C_SANDBOX");
}

export function findBubblewrap(explicit: string | undefined, pathEnv: string | undefined): string | null {
  if (explicit) return existsSync(explicit) ? explicit : null;
  const candidates = ["/usr/bin/bwrap", ...(pathEnv ?? "").split(":").filter(Boolean).map((dir) => path.join(dir, "bwrap"))];
  return candidates.find((candidate) => existsSync(candidate)) ?? null;
}

export function bubblewrapMissing(explicit: string | undefined): IsolationUnavailableError {
  const where = explicit ? `at ${explicit}` : "on this machine (looked for /usr/bin/bwrap and bwrap on PATH)";
  return new IsolationUnavailableError(
    "bubblewrap",
    `The Python sandbox needs bubblewrap (bwrap), which was not found ${where}. Install it with ` +
      "`sudo apt-get install bubblewrap` (Debian/Ubuntu) or `sudo dnf install bubblewrap` (Fedora). " +
      OPT_OUT_HINT,
  );
}

export function pythonMissing(pythonPath: string): IsolationUnavailableError {
  return new IsolationUnavailableError(
    "python3",
    `The Python sandbox runs ${pythonPath}, which does not exist. Install it with \`sudo apt-get install python3\`.`,
  );
}

export function userNamespacesUnavailable(detail: string): IsolationUnavailableError {
  return new IsolationUnavailableError(
    "user-namespaces",
    `bubblewrap could not build the sandbox: ${detail.trim() || "(no message)"}. The sandbox needs unprivileged ` +
      "user namespaces (nested ones too). Enable them with `sudo sysctl -w kernel.unprivileged_userns_clone=1` on " +
      "Debian/Ubuntu kernels that have that switch, make sure `sysctl user.max_user_namespaces` is not 0, and on " +
      "Ubuntu 23.10+ also `sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0` (persist them in " +
      "/etc/sysctl.d/). In a container, the runtime must allow unshare/clone of user namespaces (e.g. Docker's " +
      `default seccomp profile blocks it). ${OPT_OUT_HINT}`,
  );
}

/** The worker runs as nobody when we are root; otherwise as ourselves (bubblewrap then maps our uid). */
export function defaultRunAs(): RunAs | undefined {
  return process.getuid?.() === 0 ? NOBODY : undefined;
}

/** Top-level host directories that are symlinks into /usr on merged-/usr systems are recreated as symlinks;
 * real directories (older layouts) are bound read-only. */
function rootLinks(): string[] {
  const args: string[] = [];
  for (const dir of ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]) {
    let stat;
    try {
      stat = lstatSync(dir);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) args.push("--symlink", readlinkSync(dir), dir);
    else if (stat.isDirectory()) args.push("--ro-bind", dir, dir);
  }
  return args;
}

/** How children enter their namespaces: "clone" (one step) or "unshare" (one extra process). Chosen by the
 * forkserver's self-test unless forced (tests, diagnosis). */
export type SpawnStrategy = "clone" | "unshare";

export function bubblewrapLaunch(bwrap: string, python: string, script: string, runAs: RunAs | undefined, strategy?: SpawnStrategy): WorkerLaunch {
  if (!python.startsWith("/usr/")) {
    throw new ValidationError("must be an interpreter under /usr (only /usr is visible inside the sandbox)", "pythonPath");
  }
  const args = [
    "--unshare-all",
    "--unshare-user",
    "--die-with-parent",
    "--new-session",
    "--cap-drop",
    "ALL",
    "--clearenv",
    "--setenv", "PATH", "/usr/bin:/bin",
    "--setenv", "LANG", "C.UTF-8",
    "--setenv", "HOME", "/tmp",
    "--hostname", "sandbox",
    "--ro-bind", "/usr", "/usr",
    // Locally installed software (and whatever else people keep there) is none of the program's business.
    "--tmpfs", "/usr/local",
    ...rootLinks(),
    "--proc", "/proc",
    "--dev", "/dev",
    "--tmpfs", "/tmp",
    "--chdir", "/tmp",
    // Nothing the worker sees may be writable: a program could otherwise leave files for the next one.
    "--remount-ro", "/usr/local",
    "--remount-ro", "/dev",
    "--remount-ro", "/",
    python, "-I", "-S", "-c", script, "isolated",
    ...(strategy ? [strategy] : []),
  ];
  return { command: bwrap, args, env: {}, cwd: "/", runAs, mode: "isolated" };
}

export function unisolatedLaunch(python: string, script: string, runAs: RunAs | undefined, workdir: string): WorkerLaunch {
  const env = { PATH: "/usr/bin:/bin", LANG: "C.UTF-8", HOME: workdir, O1C_SANDBOX_WORKDIR: workdir };
  return { command: python, args: ["-I", "-S", "-c", script, "none"], env, cwd: workdir, runAs, mode: "none" };
}
