// The attack battery: programs that try to reach the host, our secrets, other programs or the pool itself. Each
// test checks that the attack was contained (from inside and, where it matters, from the host) and that the pool
// still serves the next program.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PooledSandbox } from "../../server/sandbox/create-sandbox.ts";
import { descendantsOf } from "../../server/sandbox/descendant-processes.ts";
import type { RunRequest, TestResult } from "../../server/sandbox/types.ts";
import { eventually, expectServes, FAST_LIMITS, hostProcessesWith, useSandbox } from "./use-sandbox.ts";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
// In our environment before the workers start: the sandbox must never let a program see it.
const SECRET = `o1c-secret-${randomBytes(8).toString("hex")}`;
process.env.O1C_ATTACK_SECRET = SECRET;

const sandbox = useSandbox({ limits: FAST_LIMITS });

/** Runs `code` (the attack, as the solution) and then one call test returning what `probe()` found. */
async function probe(code: string): Promise<{ result: TestResult; value: unknown }> {
  const run = await sandbox().run({ code, entryPoint: "probe", tests: [{ kind: "call", input: "[]", expected: null }] });
  const result = run.tests[0]!;
  expect(result.status, `${result.errorType}: ${result.errorMessage}\n${result.stderr}`).toBe("pass");
  return { result, value: JSON.parse(result.actual!) };
}

function attack(code: string, tests = ["assert True"]): RunRequest {
  return { code, tests: tests.map((input) => ({ kind: "assert" as const, input })) };
}

/** A helper every probe uses: run fn, return the exception's type name (or "ok: <value>"). */
const TRY = `
def attempt(fn):
    try:
        return "ok: %r" % (fn(),)
    except BaseException as error:
        return type(error).__name__
`;

describe("the attack battery", () => {
  it("1. cannot read the host's /etc/passwd or other system secrets", async () => {
    expect(existsSync("/etc/passwd")).toBe(true);
    const { value } = await probe(`${TRY}
def probe():
    return [attempt(lambda: open(p).read()[:20]) for p in ("/etc/passwd", "/etc/shadow", "/etc/hostname", "/root/.bashrc")]
`);
    expect(value).toEqual(["FileNotFoundError", "FileNotFoundError", "FileNotFoundError", "FileNotFoundError"]);
    await expectServes(sandbox());
  });

  it("2. cannot see or read the project's files (package.json, the checkout, /work)", async () => {
    expect(existsSync(path.join(REPO_ROOT, "package.json"))).toBe(true);
    const { value } = await probe(`${TRY}
import os
def probe():
    return {
        "package": attempt(lambda: open(${JSON.stringify(path.join(REPO_ROOT, "package.json"))}).read()),
        "listing": attempt(lambda: os.listdir(${JSON.stringify(REPO_ROOT)})),
        "root": sorted(os.listdir("/")),
        "usr_local": os.listdir("/usr/local"),
    }
`);
    expect(value).toMatchObject({ package: "FileNotFoundError", listing: "FileNotFoundError", usr_local: [] });
    expect((value as { root: string[] }).root.sort()).toEqual(["bin", "dev", "lib", "lib64", "proc", "sbin", "tmp", "usr"].filter((dir) => existsSync(`/${dir}`)).sort());
    await expectServes(sandbox());
  });

  it("3. cannot write anywhere outside its own /tmp, and nothing appears on the host", async () => {
    const marker = `o1c-attack-${randomBytes(6).toString("hex")}`;
    const targets = ["/", "/usr/", "/usr/local/", "/dev/shm/", "/dev/", "/proc/"].map((dir) => `${dir}${marker}`);
    const { value } = await probe(`${TRY}
def probe():
    def write(p):
        with open(p, "w") as f:
            f.write("pwned")
    return [attempt(lambda p=p: write(p)) for p in ${JSON.stringify(targets)}] + [attempt(lambda: write("/tmp/${marker}"))]
`);
    const outcomes = value as string[];
    expect(outcomes.slice(0, -1).every((outcome) => outcome.endsWith("Error")), outcomes.join()).toBe(true);
    expect(outcomes.at(-1)).toBe("ok: None"); // its own /tmp works
    for (const target of [...targets, `/tmp/${marker}`]) expect(existsSync(target), target).toBe(false);
    await expectServes(sandbox());
  });

  it("4. cannot write into the project directory", async () => {
    const target = path.join(REPO_ROOT, `o1c-attack-${randomBytes(6).toString("hex")}`);
    const { value } = await probe(`${TRY}
import os
def probe():
    def plant():
        os.makedirs(${JSON.stringify(REPO_ROOT)}, exist_ok=True)
        with open(${JSON.stringify(target)}, "w") as f:
            f.write("pwned")
    return attempt(plant)
`);
    // A checkout under /tmp can be recreated inside the program's own private /tmp; only the host side matters then.
    if (!REPO_ROOT.startsWith("/tmp/")) expect(value).toMatch(/Error$/);
    expect(existsSync(target)).toBe(false);
    await expectServes(sandbox());
  });

  describe("5. network", () => {
    let server: Server;
    let port = 0;
    let connections = 0;
    beforeAll(async () => {
      server = createServer((socket) => {
        connections++;
        socket.destroy();
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("cannot open a TCP connection to Postgres on 127.0.0.1:5432 or to a server the host can reach", async () => {
      const { value } = await probe(`${TRY}
import socket
def probe():
    tries = [attempt(lambda p=p: socket.create_connection(("127.0.0.1", p), timeout=1).close()) for p in (5432, ${port})]
    return tries + [attempt(lambda: socket.getaddrinfo("example.com", 80))]
`);
      expect((value as string[]).every((outcome) => /Error$|gaierror$/.test(outcome)), String(value)).toBe(true);
      expect(connections).toBe(0);
      await expectServes(sandbox());
    });
  });

  it("6. cannot read our environment, directly or through /proc/<pid>/environ", async () => {
    const { value } = await probe(`
import os
def probe():
    found = []
    if any(${JSON.stringify(SECRET)} in v for v in os.environ.values()):
        found.append("os.environ")
    for pid in ["self", str(os.getppid())] + [p for p in os.listdir("/proc") if p.isdigit()]:
        for name in ("environ", "cmdline"):
            try:
                with open("/proc/%s/%s" % (pid, name), "rb") as f:
                    if ${JSON.stringify(SECRET)}.encode() in f.read():
                        found.append("/proc/%s/%s" % (pid, name))
            except OSError:
                pass
    return {"found": found, "env": sorted(os.environ), "ppid": os.getppid()}
`);
    // Only what bubblewrap sets: PATH, LANG, HOME=/tmp and PWD.
    expect(value).toEqual({ found: [], env: ["HOME", "LANG", "PATH", "PWD"], ppid: 0 });
    await expectServes(sandbox());
  });

  it("7. a fork bomb is capped by its process limit and leaves nothing behind", async () => {
    const marker = `o1c-bomb-${randomBytes(6).toString("hex")}`;
    const result = await sandbox().run(
      attack(`
import os, sys
children = 0
try:
    while True:
        if os.fork() == 0:
            os.execv("/usr/bin/python3", ["python3", "-c", "import time; time.sleep(60)", "${marker}"])
        children += 1
except OSError as error:
    print("stopped after", children, "children:", error, file=sys.stderr)
`, ["assert children < 100"]),
    );
    expect(result.setup!.stderr).toMatch(/stopped after \d+ children: \[Errno 11\]/);
    expect(result.tests[0]!.status).toBe("pass");
    expect(await eventually(() => hostProcessesWith(marker).length === 0, 2000)).toBe(true);
    await expectServes(sandbox());
  });

  it("8. a setsid + double-fork daemon does not outlive its program", async () => {
    const marker = `o1c-daemon-${randomBytes(6).toString("hex")}`;
    const running = sandbox().run(
      attack(`
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv("/usr/bin/python3", ["python3", "-c", "import time; time.sleep(60)", "${marker}"])
    os._exit(0)
time.sleep(1.0)
`),
    );
    // The daemon really runs while its program does (so the check below could fail)...
    expect(await eventually(() => hostProcessesWith(marker).length > 0, 3000)).toBe(true);
    const result = await running;
    expect(result.tests[0]!.status).toBe("pass");
    // ...and is gone once the program is.
    expect(await eventually(() => hostProcessesWith(marker).length === 0, 1000)).toBe(true);
    await expectServes(sandbox());
  });

  it("9. os.kill(os.getppid(), 9) and kill(-1) reach nothing but the program itself", async () => {
    const pool = sandbox() as PooledSandbox;
    const workersBefore = pool.workerPids();
    // Its parent is outside its pid namespace (getppid() is 0), so this signals its own process group, and as its
    // namespace's init the program does not even receive a SIGKILL sent from inside: nothing happens at all.
    const parentKill = await sandbox().run(attack("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nalive = True\n", ["assert alive"]));
    expect(parentKill.tests[0]!.status).toBe("pass");
    // kill(-1) reaches every process the program may signal: its own children, never the worker's.
    const killAll = await sandbox().run(
      attack("import os, signal, time\nchild = os.fork()\nif child == 0:\n    time.sleep(30)\n    os._exit(0)\nos.kill(-1, signal.SIGKILL)\n_, status = os.waitpid(child, 0)\n", [
        "assert os.WTERMSIG(status) == signal.SIGKILL",
      ]),
    );
    expect(killAll.tests[0]!.status).toBe("pass");
    expect(pool.workerPids()).toEqual(workersBefore);
    expect(pool.restarts).toBe(0);
    await expectServes(sandbox());
  });

  it("10. allocating 8 GiB fails inside the program with MemoryError", async () => {
    const result = await sandbox().run(attack("", ["x = bytearray(8 * 1024 ** 3)", "x = [0] * (2 * 1024 ** 3)"]));
    expect(result.tests.map((t) => [t.status, t.errorType])).toEqual([
      ["memory", "MemoryError"],
      ["memory", "MemoryError"],
    ]);
    await expectServes(sandbox());
  });

  it("11. an infinite Python loop is stopped at the per-test limit", async () => {
    const result = await sandbox().run(attack("", ["while True: pass"]));
    expect(result.tests[0]).toMatchObject({ status: "timeout", errorType: "Timeout" });
    expect(result.tests[0]!.durationMs).toBeGreaterThanOrEqual(1400);
    expect(result.durationMs).toBeLessThan(4000);
    await expectServes(sandbox());
  });

  it("12. C-level loops (sum over range, catastrophic regex backtracking) are stopped too", async () => {
    const result = await sandbox().run(attack("import re\n", ["sum(range(10 ** 12))", "re.match(r'(a+)+$', 'a' * 40 + 'b')"]));
    expect(result.tests.map((t) => t.status)).toEqual(["timeout", "timeout"]);
    expect(result.durationMs).toBeLessThan(6000);
    await expectServes(sandbox());
  });

  it("13. deep recursion with a raised recursion limit is stopped and costs only its own test", async () => {
    const result = await sandbox().run(
      attack("import sys\nsys.setrecursionlimit(10 ** 7)\ndef down(n):\n    return down(n + 1) + 1\n", ["down(0)", "assert True"]),
    );
    // Python 3.11 keeps Python-to-Python calls off the C stack, so this grows the heap until the memory or the time
    // limit stops it, or overflows the C stack (a crash): any of those, as long as it is only this test.
    expect(["crash", "memory", "error", "timeout"]).toContain(result.tests[0]!.status);
    // After a crash, memory or error the next test runs (in a fresh process if need be); after a timeout it is
    // not run at all (a program that hangs costs one timeout per run).
    expect(result.tests[1]!.status).toBe(result.tests[0]!.status === "timeout" ? "timeout" : "pass");
    await expectServes(sandbox());
  });

  it("14. writing 1 GB to stdout is cut off at the output limit", async () => {
    const viaPrint = await sandbox().run(
      attack("import sys\nchunk = 'x' * (1 << 20)\n", ["for _ in range(1024):\n    sys.stdout.write(chunk)", "assert True"]),
    );
    expect(viaPrint.tests.map((t) => t.status)).toEqual(["output-limit", "pass"]);
    expect(viaPrint.tests[0]!.stdout.length).toBeLessThan(8192); // head and tail only
    // Ignoring the write errors only burns its own time: the output stays capped.
    const ignoringErrors = await sandbox().run(
      attack("import os\nchunk = b'x' * (1 << 20)\n", ["for _ in range(1024):\n    try:\n        os.write(1, chunk)\n    except OSError:\n        pass"]),
    );
    expect(ignoringErrors.tests[0]!.status).toBe("output-limit");
    expect(viaPrint.durationMs + ignoringErrors.durationMs).toBeLessThan(6000);
    await expectServes(sandbox());
  });

  it("15. os._exit(0) before the asserts does not pass", async () => {
    const result = await sandbox().run(attack("def f():\n    return 1\nimport os\nos._exit(0)\n", ["assert f() == 2"]));
    expect(result.tests[0]!.status).toBe("crash");
    await expectServes(sandbox());
  });

  it("16. an object whose __eq__ always returns True does not pass", async () => {
    const result = await sandbox().run({
      code: "class Yes:\n    def __eq__(self, other):\n        return True\n    __hash__ = object.__hash__\ndef solve(x):\n    return Yes()\n",
      entryPoint: "solve",
      tests: [
        { kind: "assert", input: "assert solve(1) == 42" },
        { kind: "assert", input: "assert [solve(1)] == [42]" },
        { kind: "call", input: "[1]", expected: "42" },
      ],
    });
    expect(result.tests.map((t) => t.status)).toEqual(["fail", "fail", "fail"]);
    await expectServes(sandbox());
  });

  it("17. ctypes and posix.system run with no capabilities and still see only the sandbox", async () => {
    const marker = `o1c-attack-${randomBytes(6).toString("hex")}`;
    const hostFile = path.join(REPO_ROOT, marker);
    const { value } = await probe(`
import ctypes, posix
def probe():
    libc = ctypes.CDLL(None, use_errno=True)
    status = posix.system("cat /etc/passwd > /tmp/copy 2>/dev/null; touch ${hostFile} 2>/dev/null; exit 7")
    mounted = [libc.mount(b"tmpfs", b"/usr", b"tmpfs", 0, None), ctypes.get_errno()]
    # A new user namespace would give it capabilities there: creating one is refused (ENOSPC: the limit is 0).
    unshared = [libc.unshare(0x10000000), ctypes.get_errno()]
    with open("/proc/self/status") as f:
        caps = [line.split()[1] for line in f if line.startswith(("CapEff", "CapPrm"))]
    return {"system": posix.waitstatus_to_exitcode(status), "mount": mounted, "unshare": unshared, "caps": caps,
            "copy": open("/tmp/copy").read()}
`);
    expect(value).toEqual({ system: 7, mount: [-1, 1], unshare: [-1, 28], caps: ["0000000000000000", "0000000000000000"], copy: "" });
    expect(existsSync(hostFile)).toBe(false);
    await expectServes(sandbox());
  });

  it("18. a symlink planted in /tmp leads nowhere outside, and the next program gets a fresh /tmp", async () => {
    const marker = `o1c-link-${randomBytes(6).toString("hex")}`;
    const { value } = await probe(`${TRY}
import os
def probe():
    os.symlink(${JSON.stringify(path.join(REPO_ROOT, "package.json"))}, "/tmp/${marker}")
    os.symlink("/proc/1/root/../../etc", "/tmp/${marker}-etc")
    return [attempt(lambda: open("/tmp/${marker}").read()), attempt(lambda: os.listdir("/tmp/${marker}-etc"))]
`);
    expect(value).toEqual(["FileNotFoundError", "FileNotFoundError"]);
    expect(existsSync(`/tmp/${marker}`)).toBe(false);
    // Whichever worker runs them, later programs start with an empty /tmp.
    for (let i = 0; i < 4; i++) {
      const later = await probe("import os\ndef probe():\n    return os.listdir('/tmp')\n");
      expect(later.value).toEqual([]);
    }
    await expectServes(sandbox());
  });

  it("19. sleeping past the deadline is a timeout, at the deadline", async () => {
    const started = Date.now();
    const result = await sandbox().run(attack("import time\n", ["time.sleep(60)"]));
    expect(result.tests[0]!.status).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(4000);
    await expectServes(sandbox());
  });

  it("20. sees only its own processes and cannot signal the worker's", async () => {
    const { value } = await probe(`
import os
def probe():
    return sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
`);
    expect(value).toEqual([1]);
    expect(hostProcessesWith("o1c-attack").length).toBe(0);
    await expectServes(sandbox());
  });

  it("21. System V shared memory does not survive for the next program to find", async () => {
    const shm = (flags: string) => `
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
def probe():
    return [libc.shmget(0x0C1C, 4096, ${flags}), ctypes.get_errno()]
`;
    // Planted on both workers at once (each takes one), then looked for on whichever worker comes next.
    const planted = await Promise.all([probe(shm("0o1000 | 0o666")), probe(shm("0o1000 | 0o666"))]);
    expect(planted.map((p) => (p.value as number[])[0])).toEqual([0, 0]);
    for (let i = 0; i < 4; i++) expect((await probe(shm("0"))).value).toEqual([-1, 2]); // ENOENT
    await expectServes(sandbox());
  });

  it("leaves nothing running between programs: each worker is bubblewrap, its pid-1 helper, the forkserver and the judge", async () => {
    const pool = sandbox() as PooledSandbox;
    expect(pool.workerPids()).toHaveLength(2);
    // The last program may still be exiting (its results were reported first); it is reaped within moments.
    expect(await eventually(() => pool.workerPids().every((pid) => descendantsOf(pid).length === 4), 1000)).toBe(true);
  });
});
