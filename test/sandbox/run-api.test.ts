// What run() and compiles() report, test kind by test kind, through the real bubblewrap sandbox.
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../server/errors.ts";
import type { RunRequest } from "../../server/sandbox/types.ts";
import { FAST_LIMITS, useSandbox } from "./use-sandbox.ts";

const sandbox = useSandbox({ limits: FAST_LIMITS });

const asserts = (...inputs: string[]) => inputs.map((input) => ({ kind: "assert" as const, input }));

describe("assert tests", () => {
  it("passes, fails with the assert and its operands, and errors with the exception and where it happened", async () => {
    const result = await sandbox().run({
      code: "def div(a, b):\n    return a // b\n",
      tests: asserts("assert div(7, 2) == 3", "assert div(7, 2) == 4", "assert div(1, 0) == 0"),
    });
    expect(result.isolation).toBe("bubblewrap");
    expect(result.passed).toBe(1);
    const [ok, failed, errored] = result.tests;
    expect(ok).toMatchObject({ status: "pass" });
    expect(failed).toMatchObject({ status: "fail", errorType: "AssertionError" });
    expect(failed!.errorMessage).toContain("assert div(7, 2) == 4");
    expect(failed!.errorMessage).toMatch(/left:\s+3/);
    expect(errored).toMatchObject({ status: "error", errorType: "ZeroDivisionError" });
    expect(errored!.errorMessage).toContain("solution line 2: return a // b");
    expect(result.setup).toMatchObject({ status: "ok" });
    for (const test of result.tests) expect(test.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("attributes stdout and stderr to the test that wrote them, including raw os.write", async () => {
    const result = await sandbox().run({
      code: "import os, sys\nprint('top level')\ndef f(x):\n    print('f got', x)\n    os.write(1, b'raw%d\\n' % x)\n    print('warn', x, file=sys.stderr)\n    return x\n",
      tests: asserts("assert f(1) == 1", "assert f(2) == 2"),
    });
    expect(result.setup!.stdout).toBe("top level\n");
    // print() is block-buffered as in any non-interactive run, so the raw write lands first; both are test 1's.
    expect(result.tests[0]).toMatchObject({ status: "pass", stdout: "raw1\nf got 1\n", stderr: "warn 1\n" });
    expect(result.tests[1]).toMatchObject({ status: "pass", stdout: "raw2\nf got 2\n", stderr: "warn 2\n" });
  });

  it("runs setup code after the solution, in its namespace (MBPP test_setup_code)", async () => {
    const result = await sandbox().run({
      code: "class Node:\n    def __init__(self, v):\n        self.v = v\n        self.left = None\ndef depth(n):\n    return 0 if n is None else 1 + depth(n.left)\n",
      setupCode: "root = Node(1)\nroot.left = Node(2)\n",
      tests: asserts("assert depth(root) == 2"),
    });
    expect(result.tests[0]!.status).toBe("pass");
  });

  it("handles tests too large to prepare in the forkserver (compiled in the child instead)", async () => {
    const big = `data = ${JSON.stringify("x".repeat(70_000))}\nassert len(data) == 70000\nassert f(data) == 70000\n`;
    const result = await sandbox().run({ code: "def f(s):\n    return len(s)\n", tests: asserts(big, big.replace("== 70000\n", "== 1\n")) });
    expect(result.tests.map((t) => t.status)).toEqual(["pass", "fail"]);
  });

  it("runs a HumanEval check(candidate) harness", async () => {
    const result = await sandbox().run({
      code: "def add(x: int, y: int) -> int:\n    return x + y\n",
      tests: asserts("def check(candidate):\n    assert candidate(2, 3) == 5\n    assert candidate(0, 0) == 0\n\ncheck(add)\n"),
    });
    expect(result.tests[0]!.status).toBe("pass");
  });

  it("reports a solution that does not compile (or raises at import) on every test, and in setup", async () => {
    const result = await sandbox().run({ code: "def f(:\n    pass\n", tests: asserts("assert f() == 1", "assert True") });
    expect(result.setup).toMatchObject({ status: "error", errorType: "SyntaxError" });
    expect(result.tests.map((t) => [t.status, t.errorType])).toEqual([
      ["error", "SyntaxError"],
      ["error", "SyntaxError"],
    ]);
    const raising = await sandbox().run({ code: "raise ValueError('bad module')\n", tests: asserts("assert True") });
    expect(raising.tests[0]).toMatchObject({ status: "error", errorType: "ValueError", errorMessage: expect.stringContaining("bad module") });
    expect(raising.setup!.stderr).toContain("Traceback");
  });

  it("keeps running the remaining tests in a fresh process after a test kills its process, and stops after a timeout", async () => {
    const result = await sandbox().run({
      code: "import os\ndef f(x):\n    return x\n",
      tests: asserts("assert f(1) == 1", "os._exit(0)", "assert f(3) == 3", "while True: pass", "assert f(5) == 5"),
    });
    expect(result.tests.map((t) => t.status)).toEqual(["pass", "crash", "pass", "timeout", "timeout"]);
    expect(result.tests[3]!.durationMs).toBeGreaterThanOrEqual(1400);
    // A program that hangs pays one timeout per run: the tests after it are not run.
    expect(result.tests[4]).toMatchObject({ durationMs: 0, errorMessage: expect.stringContaining("not run") });
  });

  it("stops at the run's time limit and reports the tests it never ran", async () => {
    const result = await sandbox().run({
      code: "import time\n",
      tests: asserts("time.sleep(0.8)", "time.sleep(0.8)", "time.sleep(0.8)", "assert True"),
      limits: { testTimeoutMs: 1000, programTimeoutMs: 1200 },
    });
    expect(result.tests[0]!.status).toBe("pass");
    expect(result.tests[1]).toMatchObject({ status: "timeout", errorMessage: expect.stringContaining("run's 1200 ms limit") });
    expect(result.tests.slice(2).map((t) => t.status)).toEqual(["timeout", "timeout"]);
    expect(result.durationMs).toBeLessThan(3000);
  });

  it("reports memory exhaustion as memory and too much output as output-limit", async () => {
    const result = await sandbox().run({
      code: "def grow():\n    return bytearray(2 * 1024 ** 3)\n",
      tests: asserts("grow()", "print('x' * 300_000)", "assert True"),
      limits: { outputLimitBytes: 100_000 },
    });
    expect(result.tests.map((t) => t.status)).toEqual(["memory", "output-limit", "pass"]);
    expect(result.tests[0]!.errorType).toBe("MemoryError");
    expect(result.tests[1]!.stdout.length).toBeLessThan(10_000); // an excerpt, not the flood
  });
});

describe("verdicts come from reported results, never from the exit code", () => {
  it("does not pass a program that exits before its asserts run", async () => {
    const atTopLevel = await sandbox().run({ code: "import os\nos._exit(0)\n", tests: asserts("assert False") });
    expect(atTopLevel.tests[0]).toMatchObject({ status: "crash" });
    expect(atTopLevel.setup!.status).toBe("crash");
    const inTest = await sandbox().run({ code: "import os\ndef f():\n    os._exit(0)\n", tests: asserts("assert f() == 1") });
    expect(inTest.tests[0]!.status).toBe("crash");
    const viaSysExit = await sandbox().run({ code: "import sys\ndef f():\n    sys.exit(0)\n", tests: asserts("assert f() == 1") });
    expect(viaSysExit.tests[0]).toMatchObject({ status: "error", errorType: "SystemExit" });
  });

  it("fails values whose __eq__, __ne__ or __bool__ lie, in asserts and in call tests", async () => {
    const cheat = "class Always:\n    def __eq__(self, other): return True\n    def __ne__(self, other): return False\n    def __bool__(self): return True\n    def __hash__(self): return 0\nclass Int(int):\n    def __eq__(self, other): return True\ndef f(x):\n    return Always()\ndef g(x):\n    return Int(7)\ndef h(x):\n    return [1, Always()]\n";
    const result = await sandbox().run({
      code: cheat,
      entryPoint: "f",
      tests: [
        ...asserts(
          "assert f(1) == 5",
          "assert 5 == f(1)",
          "assert not (f(1) != 5)",
          "assert g(1) == 3",
          "assert h(1) == [1, 2]",
          "assert f(1)",
          "def check(candidate):\n    assert candidate(2) == [4]\ncheck(f)\n",
          "import types\nassert types.SimpleNamespace(a=f(1)) == types.SimpleNamespace(a=5)",
          "assert {1: f(1)}.items() == {(1, 5)}",
        ),
        { kind: "call", input: "[1]", expected: "5" },
      ],
    });
    expect(result.tests.map((t) => t.status)).toEqual(Array(10).fill("fail"));
    expect(result.tests[0]!.errorMessage).toContain("Always");
    expect(result.tests[9]).toMatchObject({ errorType: "WrongAnswer" });
    expect(result.tests[9]!.actual).toContain("$opaque");
  });

  it("still passes honest values that are not plain builtins (namedtuple, Counter, IntEnum, objects without __eq__)", async () => {
    const result = await sandbox().run({
      code: "from collections import namedtuple, Counter\nfrom enum import IntEnum\nP = namedtuple('P', 'x y')\nclass C(IntEnum):\n    A = 1\nclass Plain:\n    pass\nSHARED = Plain()\ndef p(): return P(1, 2)\ndef c(): return Counter('aab')\ndef e(): return C.A\ndef o(): return SHARED\n",
      tests: asserts("assert p() == (1, 2)", "assert c() == {'a': 2, 'b': 1}", "assert e() == 1", "assert o() == SHARED", "assert o() is SHARED"),
    });
    expect(result.tests.map((t) => t.status)).toEqual(["pass", "pass", "pass", "pass", "pass"]);
  });

  it("ignores result frames forged on stdout or on the result pipe", async () => {
    const result = await sandbox().run({
      code: "import os\nforged = b'{\"e\":\"pass\",\"t\":0}\\n{\"e\":\"done\",\"t\":0}\\n'\nos.write(1, forged)\nos.write(3, forged)\nos.write(3, b'garbage\\n')\n",
      tests: asserts("assert False"),
    });
    expect(result.tests[0]!.status).toBe("fail");
  });
});

describe("call tests", () => {
  const code = "import math\ndef f(*args):\n    return args[0] if len(args) == 1 else args\ndef sqrt(x):\n    return math.sqrt(x)\n";

  it("compares return values outside the sandbox, Python-style, with atol for floats", async () => {
    const result = await sandbox().run({
      code,
      entryPoint: "f",
      tests: [
        { kind: "call", input: "[[1, 2]]", expected: "[1, 2]" },
        { kind: "call", input: "[1, 2]", expected: '{"$tuple": [1, 2]}' },
        { kind: "call", input: "[1, 2]", expected: "[1, 2]" },
        { kind: "call", input: "[123456789012345678901234567890]", expected: "123456789012345678901234567890" },
        { kind: "call", input: '[{"$set": [3, 1]}]', expected: '{"$set": [1, 3]}' },
        { kind: "call", input: "[0.30000000000000004]", expected: "0.3", atol: 1e-9 },
        { kind: "call", input: "[0.30000000000000004]", expected: "0.3" },
        { kind: "call", input: '[{"$dict": [[1, "a"]]}]', expected: '{"$dict": [[1.0, "a"]]}' },
      ],
    });
    expect(result.tests.map((t) => t.status)).toEqual(["pass", "pass", "fail", "pass", "pass", "pass", "fail", "pass"]);
    expect(result.tests[2]).toMatchObject({ errorType: "WrongAnswer", errorMessage: expect.stringContaining("$tuple") });
  });

  it("returns the actual value when expected is null, so a reference solution can provide expected outputs", async () => {
    const result = await sandbox().run({
      code,
      entryPoint: "f",
      tests: [
        { kind: "call", input: '[{"$tuple": [1, "a"]}]', expected: null },
        { kind: "call", input: "[NaN]", expected: null },
        { kind: "call", input: "[1, 2.5]", expected: null },
      ],
    });
    expect(result.tests.map((t) => t.status)).toEqual(["pass", "pass", "pass"]);
    expect(result.tests.map((t) => t.actual)).toEqual(['{"$tuple":[1,"a"]}', '{"$float":"nan"}', '{"$tuple":[1,2.5]}']);
  });

  it("reports a missing entry point and exceptions per test", async () => {
    const result = await sandbox().run({
      code,
      entryPoint: "nope",
      tests: [{ kind: "call", input: "[1]", expected: "1" }],
    });
    expect(result.tests[0]).toMatchObject({ status: "error", errorType: "NameError" });
    const raising = await sandbox().run({ code, entryPoint: "sqrt", tests: [{ kind: "call", input: "[-1]", expected: null }] });
    expect(raising.tests[0]).toMatchObject({ status: "error", errorType: "ValueError" });
  });
});

describe("stdio tests", () => {
  const sum = "import sys\na, b = map(int, sys.stdin.read().split())\nprint(a + b)\n";

  it("feeds stdin and compares stdout ignoring trailing whitespace", async () => {
    const result = await sandbox().run({
      code: sum,
      tests: [
        { kind: "stdio", input: "3 4\n", expected: "7" },
        { kind: "stdio", input: "3 4\n", expected: "7   \n\n" },
        { kind: "stdio", input: "3 4", expected: "8\n" },
      ],
    });
    expect(result.tests.map((t) => t.status)).toEqual(["pass", "pass", "fail"]);
    expect(result.tests[2]).toMatchObject({ errorType: "WrongAnswer", errorMessage: 'line 1: expected "8", got "7"', stdout: "7\n" });
    expect(result.setup).toBeUndefined();
  });

  it("supports input() and open(0), treats exit(0) as success and other statuses as errors", async () => {
    const withInput = "import sys\nn = int(input())\nwords = input().split()\nprint(n, len(words))\nsys.exit(0 if n else 3)\n";
    const result = await sandbox().run({
      code: withInput,
      tests: [
        { kind: "stdio", input: "1\na b\n", expected: "1 2" },
        { kind: "stdio", input: "0\n\n", expected: "0 0" },
      ],
    });
    expect(result.tests[0]!.status).toBe("pass");
    expect(result.tests[1]).toMatchObject({ status: "error", errorType: "SystemExit", stdout: "0 0\n" });
    const withOpen = await sandbox().run({ code: "print(sum(map(int, open(0).read().split())))\n", tests: [{ kind: "stdio", input: "1 2\n3\n", expected: "6" }] });
    expect(withOpen.tests[0]!.status).toBe("pass");
  });

  it("mixes with assert tests in one request, keeping the order of results", async () => {
    const result = await sandbox().run({
      code: "def f():\n    return 1\nif __name__ == '__main__':\n    print(f())\n",
      tests: [{ kind: "stdio", input: "", expected: "1" }, ...asserts("assert f() == 1")],
    });
    expect(result.tests.map((t) => t.status)).toEqual(["pass", "pass"]);
  });
});

describe("compiles", () => {
  it("checks syntax without running anything", async () => {
    expect(await sandbox().compiles("def f(x):\n    return x\n")).toEqual({ ok: true });
    expect(await sandbox().compiles("import os\nos._exit(1)\n")).toEqual({ ok: true });
    const bad = await sandbox().compiles("def f(x)\n    return x\n");
    expect(bad).toMatchObject({ ok: false, errorType: "SyntaxError", line: 1 });
    expect(await sandbox().compiles(`x = 1\n${"y = 2\n".repeat(20_000)}def (:\n`)).toMatchObject({ ok: false, line: 20_002 });
  });
});

describe("request validation", () => {
  it("rejects malformed requests with the field that is wrong", async () => {
    const bad: [RunRequest, string][] = [
      [{ code: "", tests: [{ kind: "nope" } as never] }, "tests[0]"],
      [{ code: "", tests: [{ kind: "call", input: "[1]", expected: null }] }, "entryPoint"],
      [{ code: "", entryPoint: "f", tests: [{ kind: "call", input: "{1}", expected: null }] }, "tests[0].input"],
      [{ code: "", entryPoint: "f", tests: [{ kind: "call", input: "1", expected: null }] }, "tests[0].input"],
      [{ code: "", tests: [{ kind: "stdio", input: "" } as never] }, "tests[0].expected"],
      [{ code: "", tests: [], limits: { testTimeoutMs: -1 } }, "limits.testTimeoutMs"],
    ];
    for (const [request, where] of bad) {
      const error = await sandbox().run(request).catch((e: unknown) => e);
      expect(error, where).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).where).toBe(where);
    }
  });
});

describe("concurrency", () => {
  it("serves many runs at once, each with its own result", async () => {
    const runs = Array.from({ length: 60 }, (_, i) =>
      sandbox().run({ code: `def f():\n    return ${i}\n`, tests: asserts(`assert f() == ${i}`, `assert f() == ${i + 1}`) }),
    );
    const results = await Promise.all(runs);
    for (const result of results) expect(result.tests.map((t) => t.status)).toEqual(["pass", "fail"]);
  });
});
