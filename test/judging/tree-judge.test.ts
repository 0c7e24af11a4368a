// A tree's judge on the real sandbox: the search's runs never hold a hidden test, so a program that looks for one in
// its own process finds nothing while the search scores it, and finds it when the hidden tests judge it. With
// judging tests that are exactly the search's, one run serves both and a repeated program is not run again.
import { describe, expect, it } from "vitest";
import { createTreeJudge, judgingTests, type JudgingTest } from "../../server/judging/index.ts";
import type { RunRequest, Sandbox } from "../../server/sandbox/index.ts";
import { useSandbox } from "../sandbox/use-sandbox.ts";

const sandbox = useSandbox();
const program = { setupCode: "", entryPoint: null };
const test = (id: string, input: string, origin: JudgingTest["origin"]): JudgingTest => ({ id, kind: "ASSERT", input, expected: null, atol: null, origin, suite: "BASE" });

const visible = test("v1", "assert f(1) == 1", "DATASET_VISIBLE");
// The judge process alone holds expected values; the program's process holds each test's driver (its inputs).
const hidden = test("h1", 'assert f(2, "HIDDEN-MARKER-7f3a") == 2', "DATASET_HIDDEN");

// Returns a wrong answer whenever the interpreter holds the hidden test's marker anywhere a program can reach:
// strings inside any container the collector tracks (the job's tests, the drivers' state) or any code object.
const snoop = [
  "import gc, types",
  "MARKER = 'HIDDEN-MARKER' + '-7f3a'",
  "def _holds(v):",
  "    return isinstance(v, str) and MARKER in v and v != MARKER",
  "def _seen():",
  "    for o in gc.get_objects():",
  "        if isinstance(o, dict):",
  "            items = list(o.values()) + list(o.keys())",
  "        elif isinstance(o, (list, tuple, set, frozenset)):",
  "            items = list(o)",
  "        elif isinstance(o, types.FunctionType):",
  "            items = list(o.__code__.co_consts)",
  "        else:",
  "            continue",
  "        items = items + [w for v in items if isinstance(v, tuple) for w in v]",
  "        if any(_holds(v) for v in items):",
  "            return True",
  "    return False",
  "def f(x, *rest):",
  "    return -1 if _seen() else x",
  "",
].join("\n");

function countingRuns(inner: Sandbox): { sandbox: Sandbox; runs: () => number; requests: RunRequest[] } {
  const requests: RunRequest[] = [];
  const counted = new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key !== "run" || typeof value !== "function") return typeof value === "function" ? value.bind(target) : value;
      return (request: RunRequest) => {
        requests.push(request);
        return value.call(target, request);
      };
    },
  });
  return { sandbox: counted, runs: () => requests.length, requests };
}

describe("createTreeJudge", () => {
  it("never runs hidden tests where the search sees the results: a program looking for them finds them only when judged", async () => {
    const judge = createTreeJudge(sandbox(), program, [visible], judgingTests([visible, hidden]));
    expect(judge.sharesRuns).toBe(false);
    expect(await judge.evaluate(snoop, {})).toMatchObject({ compiles: true, passRate: 1 });
    const verdict = await judge.judge(snoop);
    expect(verdict.base).toBe(false);
    expect(verdict.executions.map((e) => [e.testCaseId, e.status])).toEqual([
      ["v1", "FAIL"],
      ["h1", "FAIL"],
    ]);
  });

  it("judges a program started early once, as a background run until the verdict is asked for, and retries a run that failed", async () => {
    const { sandbox: counted, runs, requests } = countingRuns(sandbox());
    const judge = createTreeJudge(counted, program, [visible], judgingTests([visible, hidden]));
    const code = "def f(x, *rest):\n    return x\n";
    judge.judgeSoon(code);
    judge.judgeSoon(code);
    expect(runs()).toBe(1);
    expect(requests[0]).toMatchObject({ priority: { background: true }, tests: [{ input: visible.input }, { input: hidden.input }] });
    expect((await judge.judge(code)).executions.map((e) => [e.testCaseId, e.status])).toEqual([
      ["v1", "PASS"],
      ["h1", "PASS"],
    ]);
    expect(runs()).toBe(1);
    expect(requests[0]!.priority).toEqual({ background: false }); // asked for: no longer behind other runs
    // The search's own runs, and a verdict asked for without an early start, queue as any run.
    await judge.evaluate(code, {});
    await judge.judge("def f(x, *rest):\n    return 0\n");
    expect(requests.slice(1).map((r) => r.priority)).toEqual([undefined, { background: false }]);

    // A run that fails (here: the whole sandbox refusing) is forgotten, so the final judging runs it again.
    let refuse = true;
    const flaky = new Proxy(counted, {
      get: (target, key) => (key === "run" ? (request: RunRequest) => (refuse ? Promise.reject(new Error("sandbox down")) : target.run(request)) : Reflect.get(target, key)),
    });
    const again = createTreeJudge(flaky, program, [visible], judgingTests([visible, hidden]));
    again.judgeSoon(code);
    await new Promise((resolve) => setTimeout(resolve, 0));
    refuse = false;
    expect((await again.judge(code)).base).toBe(true);
  });

  it("drops the early runs not yet started once no verdict will be asked for", async () => {
    const { sandbox: counted, requests } = countingRuns(sandbox());
    const judge = createTreeJudge(counted, program, [visible], judgingTests([visible, hidden]));
    judge.judgeSoon("def f(x, *rest):\n    return x\n");
    judge.judgeSoon("def f(x, *rest):\n    return 0\n");
    judge.abandon();
    expect(requests.map((r) => r.priority)).toEqual([
      { background: true, dropped: true },
      { background: true, dropped: true },
    ]);
  });

  it("shares one run per distinct program when the judging tests are the search's tests", async () => {
    const { sandbox: counted, runs } = countingRuns(sandbox());
    const second = test("v2", "assert f(3) == 3", "DATASET_VISIBLE");
    const judge = createTreeJudge(counted, program, [visible, second], judgingTests([visible, second]));
    expect(judge.sharesRuns).toBe(true);
    const code = "def f(x):\n    return x\n";
    expect(await judge.evaluate(code, {})).toMatchObject({ compiles: true, passRate: 1 });
    expect(await judge.evaluate(code, {})).toMatchObject({ compiles: true, passRate: 1 });
    expect((await judge.judge(code)).executions.map((e) => e.status)).toEqual(["PASS", "PASS"]);
    expect(runs()).toBe(1);
    expect(await judge.evaluate("def f(x):\n    return 0\n", {})).toMatchObject({ passRate: 0 });
    expect(runs()).toBe(2);
  });
});
