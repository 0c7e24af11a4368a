// Finds and reads the forkserver's Python source: harness.py (what runs inside each program's process), judge.py
// (the process that decides assert tests) and forkserver.py (everything else), as one script. It is passed to the interpreter with `-c`, so it needs no path
// inside the sandbox and no permission for the worker's uid to read our checkout.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const FORKSERVER = "forkserver.py";
const HARNESS = "harness.py";
const JUDGE = "judge.py";

/** Explicit path, else O1C_SANDBOX_FORKSERVER, else next to this module; bundlers (Next.js) may move this module
 * away from the .py files, so the repository layout relative to the working directory is the last resort.
 * harness.py and judge.py are read from the same directory as forkserver.py. */
export function forkserverScriptPath(explicit?: string, env: Record<string, string | undefined> = process.env): string {
  if (explicit) return explicit;
  if (env.O1C_SANDBOX_FORKSERVER) return env.O1C_SANDBOX_FORKSERVER;
  const candidates: string[] = [];
  try {
    candidates.push(fileURLToPath(new URL(`./${FORKSERVER}`, import.meta.url)));
  } catch {
    // import.meta.url is not a file: URL once bundled
  }
  candidates.push(path.resolve(process.cwd(), "server", "sandbox", FORKSERVER));
  return candidates.find((candidate) => existsSync(candidate)) ?? candidates[0]!;
}

const cache = new Map<string, string>();

/** The `-c` argument: a one-line program that compiles the script and runs it. Python keeps the syntax tree of the
 * `-c` code until that code finishes, and the forkserver's never does (it serves until Node closes its pipe): given
 * the script itself, its tree (~2.5 MB) stayed in the forkserver for good, in the memory every program's clone copies
 * the page tables of. compile() frees the tree of the script it compiles before exec runs it. (A JSON string is a
 * valid Python string literal.) */
export function loadForkserverScript(forkserverPath: string): string {
  let source = cache.get(forkserverPath);
  if (source === undefined) {
    const read = (name: string) => readFileSync(path.join(path.dirname(forkserverPath), name), "utf8");
    const script = `${read(HARNESS)}\n\n${read(JUDGE)}\n\n${readFileSync(forkserverPath, "utf8")}`;
    source = `exec(compile(${JSON.stringify(script)}, "<forkserver>", "exec"))\n`;
    cache.set(forkserverPath, source);
  }
  return source;
}
