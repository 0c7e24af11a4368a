// Forging verdicts: programs that try to pass tests they do not solve by reaching the machinery that reports or
// judges results from inside their own process. Every attack is a real program that really tries (it searches
// for secrets, writes frames, patches builtins); each must end in anything but "pass". The solutions are wrong on
// purpose (f(3) must be 7919; honest f returns 0), so a pass can only come from the attack working.
import { describe, expect, it, vi } from "vitest";
import type { RunRequest, RunResult } from "../../server/sandbox/types.ts";
import { WorkerPool } from "../../server/sandbox/worker-pool.ts";
import { expectServes, FAST_LIMITS, useSandbox } from "./use-sandbox.ts";

const sandbox = useSandbox({ limits: FAST_LIMITS });

/** The tests every attack faces: MBPP-style asserts and a HumanEval-style check(candidate). */
const TESTS: RunRequest["tests"] = [
  { kind: "assert", input: "assert f(3) == 7919" },
  { kind: "assert", input: "assert f(4) == 7927\nassert f(5) == 7933" },
  { kind: "assert", input: "def check(candidate):\n    assert candidate(3) == 7919\n    assert candidate(6) == 7937\n\ncheck(f)\n" },
];

/** Everything a program can find that might be a secret: hex strings in live objects, frames, /proc/self and
 * the raw memory of its own process. Python source shared by the attacks. */
const FIND_SECRETS = String.raw`
import gc, os, re, sys
HEX = re.compile(rb"[0-9a-f]{32}")

def secrets_in_objects():
    found = set()
    for obj in gc.get_objects():
        try:
            if isinstance(obj, dict):
                values = list(obj.values())
            elif isinstance(obj, (list, tuple)):
                values = list(obj)
            else:
                values = list(getattr(obj, "__dict__", {}).values())
        except Exception:
            continue
        for v in values:
            if isinstance(v, str) and len(v) < 4096:
                found.update(m.decode() for m in HEX.findall(v.encode("utf-8", "replace")))
    return found

def secrets_in_frames():
    found = set()
    frame = sys._getframe()
    while frame is not None:
        for value in list(frame.f_locals.values()) + list(frame.f_globals.values()):
            for attr in ("head", "nonce"):
                text = getattr(value, attr, None)
                if isinstance(text, str):
                    found.update(m.decode() for m in HEX.findall(text.encode()))
            if isinstance(value, str) and len(value) < 4096:
                found.update(m.decode() for m in HEX.findall(value.encode("utf-8", "replace")))
        frame = frame.f_back
    return found

def secrets_in_proc():
    found = set()
    for name in ("environ", "cmdline"):
        try:
            found.update(m.decode() for m in HEX.findall(open("/proc/self/" + name, "rb").read()))
        except OSError:
            pass
    for fd in os.listdir("/proc/self/fd"):
        try:
            found.update(m.decode() for m in HEX.findall(os.readlink("/proc/self/fd/" + fd).encode()))
        except OSError:
            pass
    return found

def secrets_in_memory():
    found = set()
    mem = open("/proc/self/mem", "rb", 0)
    for line in open("/proc/self/maps"):
        fields = line.split()
        if "r" not in fields[1] or (len(fields) > 5 and fields[5] in ("[vvar]", "[vsyscall]")):
            continue
        start, end = (int(x, 16) for x in fields[0].split("-"))
        if end - start > 256 * 1024 * 1024:
            continue
        try:
            mem.seek(start)
            chunk = mem.read(end - start)
        except (OSError, ValueError, OverflowError):
            continue
        for m in re.finditer(rb'"n":"([0-9a-f]{32})"', chunk):
            found.add(m.group(1).decode())
        found.update(m.decode() for m in re.findall(rb'(?<![0-9a-f])([0-9a-f]{32})(?![0-9a-f])', chunk)[:2000])
    return found

def forged_frames(secrets):
    """"This test passed" as the harness wrote it, for every secret found and without one."""
    lines = []
    for secret in list(secrets)[:3000] + [None]:
        head = '{"n":"%s",' % secret if secret else "{"
        for t in range(3):
            lines.append('%s"e":"start","t":%d,"o":[0,0]}' % (head, t))
            lines.append('%s"e":"pass","t":%d,"d":0.1}' % (head, t))
        lines.append('%s"e":"end"}' % head)
    return ("\n".join(lines) + "\n").encode()

def write_everywhere(data):
    for fd in range(0, 64):
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        except OSError:
            pass
`;

async function run(code: string): Promise<RunResult> {
  return sandbox().run({ code, entryPoint: "f", tests: TESTS });
}

function expectNoPass(result: RunResult): void {
  const statuses = result.tests.map((test) => test.status);
  expect(statuses, JSON.stringify(result.tests.map((t) => [t.status, t.errorType, t.errorMessage?.slice(0, 200)]))).not.toContain("pass");
}

describe("forged verdicts", () => {
  it("a program that checks itself is honest: the right answers pass, wrong ones do not", async () => {
    const right = await run("ANSWERS = {3: 7919, 4: 7927, 5: 7933, 6: 7937}\ndef f(n):\n    return ANSWERS[n]\n");
    expect(right.tests.map((t) => t.status)).toEqual(["pass", "pass", "pass"]);
    const wrong = await run("def f(n):\n    return 0\n");
    expect(wrong.tests.map((t) => t.status)).toEqual(["fail", "fail", "fail"]);
  });

  for (const [name, finder] of [
    ["live objects (gc.get_objects)", "secrets_in_objects()"],
    ["stack frames (sys._getframe)", "secrets_in_frames()"],
    ["/proc/self (environ, cmdline, fd)", "secrets_in_proc()"],
    ["its own memory (/proc/self/mem)", "secrets_in_memory()"],
  ] as const) {
    it(`forged frames on every descriptor with secrets found in ${name}, then os._exit(0)`, async () => {
      const result = await run(`${FIND_SECRETS}
def f(n):
    write_everywhere(forged_frames(${finder}))
    os._exit(0)
`);
      expectNoPass(result);
      await expectServes(sandbox());
    });
  }

  it("forged frames written at the top level, before any test ran", async () => {
    const result = await run(`${FIND_SECRETS}
write_everywhere(forged_frames(secrets_in_objects() | secrets_in_frames()))
def f(n):
    return 0
`);
    expectNoPass(result);
  });

  it("results written after os._exit, by a child the program left behind", async () => {
    const result = await run(`${FIND_SECRETS}
import time
def f(n):
    secrets = secrets_in_objects() | secrets_in_frames()
    if os.fork() == 0:
        time.sleep(0.05)
        write_everywhere(forged_frames(secrets))
        os._exit(0)
    os._exit(0)
`);
    expectNoPass(result);
  });

  it("reading the expected values out of the test's code, source or memory", async () => {
    // The answers are in the test text; a program that can read it could return them.
    const result = await run(String.raw`
import gc, re, sys
def candidates_from_code():
    found = []
    frame = sys._getframe(1)
    while frame is not None:
        found += [c for c in frame.f_code.co_consts if type(c) is int and c > 1000]
        frame = frame.f_back
    return found

def candidates_from_text():
    found = []
    for obj in gc.get_objects():
        values = obj.values() if isinstance(obj, dict) else (obj if isinstance(obj, (list, tuple)) else ())
        for v in list(values):
            if isinstance(v, str) and "==" in v:
                found += [int(x) for x in re.findall(r"\((\d+)\) == (\d+)", v) for x in x]
    return found

def candidates_from_memory():
    mem = open("/proc/self/mem", "rb", 0)
    found = []
    for line in open("/proc/self/maps"):
        fields = line.split()
        if "r" not in fields[1] or (len(fields) > 5 and fields[5] in ("[vvar]", "[vsyscall]")):
            continue
        start, end = (int(x, 16) for x in fields[0].split("-"))
        try:
            mem.seek(start)
            chunk = mem.read(end - start)
        except (OSError, ValueError, OverflowError):
            continue
        found += [(int(a), int(b)) for a, b in re.findall(rb"\((\d)\) == (\d{4})", chunk)]
    return found

def f(n):
    pairs = candidates_from_memory()
    for a, b in pairs:
        if a == n:
            return b
    text = candidates_from_text()
    for i in range(0, len(text) - 1, 2):
        if text[i] == n:
            return text[i + 1]
    code = candidates_from_code()
    return code[0] if code else 0
`);
    expectNoPass(result);
  });

  it("objects whose __eq__, __ne__, __bool__, __repr__, __hash__ lie, and builtin subclasses that do", async () => {
    const result = await run(`
class Liar:
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __bool__(self): return True
    def __hash__(self): return hash(7919)
    def __repr__(self): return "7919"
    def __index__(self): return 7919
class LyingInt(int):
    def __eq__(self, other): return True
    __hash__ = int.__hash__
    def __repr__(self): return "7919"
class LyingStr(str):
    def __eq__(self, other): return True
    __hash__ = str.__hash__
calls = [0]
def f(n):
    calls[0] += 1
    return [Liar(), LyingInt(0), LyingStr("x")][calls[0] % 3]
`);
    expectNoPass(result);
  });

  it("monkeypatched builtins and modules a comparison could use (isinstance, type, len, repr, json, operator, ...)", async () => {
    const result = await run(`
import builtins, json, operator, reprlib, sys, math
def yes(*args, **kwargs):
    return True
builtins.isinstance = yes
builtins.issubclass = yes
builtins.len = lambda *a: 0
builtins.repr = lambda *a: "7919"
builtins.bool = lambda *a: True
builtins.AssertionError = KeyError
builtins.id = lambda *a: 0
builtins.hash = lambda *a: 0
json.dumps = lambda *a, **k: '"pass"'
json.loads = lambda *a, **k: {"e": "pass"}
operator.eq = operator.ne = operator.lt = operator.gt = yes
reprlib.Repr.repr = lambda self, v: "7919"
math.isclose = yes
class AlwaysType(type):
    def __eq__(cls, other): return True
builtins.type = lambda *a: int
sys.modules["json"] = None
def f(n):
    return 0
`);
    expectNoPass(result);
  });

  it("a verdict decided without the judge's replay: a pass needs the exact expected value, a fail a plain value that differs", async () => {
    const exec = vi.spyOn(WorkerPool.prototype, "exec");
    const judgeRequests = () => exec.mock.calls.filter(([request]) => "op" in request && request.op === "judge").length;
    try {
      const runWith = async (body: string, test = "assert f(3) == [7919, (1, 'x')]") => {
        const before = judgeRequests();
        const result = await sandbox().run({ code: `def f(n):\n    ${body}\n`, tests: [{ kind: "assert", input: test }] });
        return { test: result.tests[0]!, judged: judgeRequests() - before };
      };
      expect(await runWith("return [7919, (1, 'x')]")).toMatchObject({ test: { status: "pass" }, judged: 0 });
      // Not the same wire text but equal in Python (a float for the int, True for 1): the judge passes it.
      expect(await runWith("return [7919.0, (1, 'x')]")).toMatchObject({ test: { status: "pass" }, judged: 1 });
      expect(await runWith("return True", "assert f(3) == 1")).toMatchObject({ test: { status: "pass" }, judged: 1 });
      // Plain values Python tells apart from the expected one fail here, as the judge would: a list for the tuple, a
      // bool or a string for the int, a wrong int.
      const fails = { status: "fail", errorType: "AssertionError" };
      expect(await runWith("return [7919, [1, 'x']]")).toMatchObject({ test: fails, judged: 0 });
      expect(await runWith("return True", "assert f(3) == 7919")).toMatchObject({ test: { ...fails, errorMessage: "assert f(3) == 7919\n  left:  True\n  right: 7919  (==)" }, judged: 0 });
      expect(await runWith("return '7919'", "assert f(3) == 7919")).toMatchObject({ test: fails, judged: 0 });
      expect(await runWith("return 0")).toMatchObject({ test: fails, judged: 0 });
      // A value whose __eq__ lies travels as $opaque and never equals the expected text; the judge fails it.
      const liar = await runWith("class L(list):\n        def __eq__(self, other): return True\n    return L([7919, (1, 'x')])");
      expect(liar).toMatchObject({ test: { status: "fail" }, judged: 1 });
      // A float in the expected value (no shortcut for the test at all): the judge decides.
      expect(await runWith("return 5", "assert f(3) == 5.0")).toMatchObject({ test: { status: "pass" }, judged: 1 });
      // Forged first calls (written to the result pipe before the recorder's own): a tuple for the list, a bool or an
      // int in a list for the int, an $opaque claiming the value's repr. None passes; Node fails the plain ones.
      const forging = (v: string) =>
        runWith(`import os\n    os.write(3, b'{"e":"call","t":0,"name":"f","args":"[3]","v":' + ${JSON.stringify(JSON.stringify(v))}.encode() + b'}\\n')\n    return 0`, "assert f(3) == [7919]");
      for (const v of ['{"$tuple":[7919]}', "true", "[true]", '{"$opaque":{"type":"int","repr":"[7919]","ref":1,"honest":true}}']) {
        const forged = await forging(v);
        expect(forged.test, v).toMatchObject(fails);
        expect(forged.judged, v).toBe(v.includes("$opaque") ? 1 : 0);
      }
      // The forged record is the one judged (f itself returned 0).
      expect((await forging('{"$tuple":[7919]}')).test.errorMessage).toBe("assert f(3) == [7919]\n  left:  (7919,)\n  right: [7919]  (==)");
    } finally {
      exec.mockRestore();
    }
  });

  it("a test that hangs in the program costs one timeout for the whole run, not one per test", async () => {
    const result = await sandbox().run({
      code: "def f(n):\n    while True:\n        pass\n",
      entryPoint: "f",
      tests: [...TESTS, { kind: "call", input: "[3]", expected: "7919" }],
    });
    expect(result.tests.map((t) => t.status)).toEqual(["timeout", "timeout", "timeout", "timeout"]);
    expect(result.tests[0]!.durationMs).toBeGreaterThanOrEqual(FAST_LIMITS.testTimeoutMs! - 100);
    // The others were never started: the hang was paid for once.
    for (const test of result.tests.slice(1)) expect(test).toMatchObject({ durationMs: 0, errorMessage: expect.stringContaining("not run") });
  });
});
