// Runs Python for the reference-solution checks: /usr/bin/python3 (the PATH python3 may be a pyenv shim), isolated
// mode, in a throwaway directory. This is a test helper, not the sandbox: it trusts the code it runs.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

export const PYTHON = "/usr/bin/python3";

export interface PythonRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export async function runPython(code: string, options: { stdin?: string; timeoutMs?: number } = {}): Promise<PythonRun> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "o1c-py-"));
  try {
    const file = path.join(dir, "main.py");
    await writeFile(file, code);
    return await spawnPython([file], dir, options.stdin ?? "", options.timeoutMs ?? 20_000);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function spawnPython(args: string[], cwd: string, stdin: string, timeoutMs: number): Promise<PythonRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ["-I", ...args], { cwd, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr, timedOut });
    });
    child.stdin.on("error", () => {}); // the program may exit without reading its input
    child.stdin.end(stdin);
  });
}

const BATCH_DRIVER = `
import contextlib, io, json, signal, sys, traceback
def on_alarm(signum, frame):
    raise TimeoutError("timed out")
signal.signal(signal.SIGALRM, on_alarm)
programs = json.load(open(sys.argv[1]))
failures = []
for program in programs:
    signal.alarm(program["timeout"])
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(program["code"], program["id"], "exec"), {"__name__": "__main__"})
    except BaseException as error:
        failures.append({"id": program["id"], "error": "".join(traceback.format_exception_only(type(error), error)).strip()[-400:]})
    finally:
        signal.alarm(0)
print(json.dumps(failures))
`;

/**
 * Runs many small programs in one Python process (each in fresh globals, with a per-program alarm), for checking
 * hundreds of reference solutions in seconds instead of paying a process start per program.
 */
export async function runPythonBatch(
  programs: { id: string; code: string }[],
  options: { timeoutPerProgramS?: number; timeoutMs?: number } = {},
): Promise<{ id: string; error: string }[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "o1c-pybatch-"));
  try {
    const driver = path.join(dir, "driver.py");
    const input = path.join(dir, "programs.json");
    await writeFile(driver, BATCH_DRIVER);
    await writeFile(input, JSON.stringify(programs.map((p) => ({ ...p, timeout: options.timeoutPerProgramS ?? 10 }))));
    const run = await spawnPython([driver, input], dir, "", options.timeoutMs ?? 120_000);
    if (run.exitCode !== 0) throw new Error(`batch driver failed (exit ${run.exitCode}, timedOut ${run.timedOut}): ${run.stderr.slice(-2000)}`);
    return JSON.parse(run.stdout.trim().split("\n").pop()!) as { id: string; error: string }[];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
