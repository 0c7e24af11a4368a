// When isolation is unavailable the sandbox refuses to start and says what is missing and how to fix it; running
// without isolation takes an explicit, loudly named opt-in and is reported as such.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ValidationError } from "../../server/errors.ts";
import { createSandbox, type PooledSandbox, startSandbox } from "../../server/sandbox/create-sandbox.ts";
import { WorkerStartError } from "../../server/sandbox/forkserver-worker.ts";
import { IsolationUnavailableError } from "../../server/sandbox/isolation.ts";

const scratch = mkdtempSync(path.join(os.tmpdir(), "o1c-isolation-test-"));
chmodSync(scratch, 0o755); // the workers run as nobody when the tests run as root
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A stand-in for bwrap: a script that prints `stderr` and fails, or wraps the real bwrap with extra arguments. */
function fakeBwrap(name: string, body: string): string {
  const file = path.join(scratch, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

async function startError(options: Parameters<typeof createSandbox>[0]): Promise<unknown> {
  try {
    const sandbox = await createSandbox({ workers: 1, ...options });
    await sandbox.close();
    return null;
  } catch (error) {
    return error;
  }
}

describe("isolation", () => {
  it("is bubblewrap by default, entering each program's namespaces with a single clone()", async () => {
    const sandbox = await createSandbox({ workers: 1, env: { PATH: process.env.PATH } });
    try {
      expect(sandbox.isolation).toBe("bubblewrap");
      expect((sandbox as PooledSandbox).strategy).toBe("clone");
      expect((await sandbox.run({ code: "", tests: [] })).isolation).toBe("bubblewrap");
    } finally {
      await sandbox.close();
    }
  });

  it("gives the same isolation through its unshare + fork fallback", async () => {
    const sandbox = await startSandbox("bubblewrap", { workers: 1, strategy: "unshare", limits: { testTimeoutMs: 1000 } });
    try {
      expect(sandbox.strategy).toBe("unshare");
      // The checks run in the program's own process (assert tests run in the judge, which sees the worker).
      const result = await sandbox.run({
        code:
          "import os\ndef probe(what):\n    return {'ids': os.getpid() == 1 and os.getuid() == 1000 and os.listdir('/tmp') == [],\n" +
          "        'passwd': not os.path.exists('/etc/passwd'),\n" +
          "        'caps': '\\t0000000000000000\\n' in open('/proc/self/status').read().split('CapEff:')[1][:20],\n" +
          "        'hang': what != 'hang' or exec('while True: pass')}[what]\n",
        entryPoint: "probe",
        tests: [
          { kind: "call", input: '["ids"]', expected: "true" },
          { kind: "call", input: '["passwd"]', expected: "true" },
          { kind: "call", input: '["caps"]', expected: "true" },
          { kind: "assert", input: "assert probe('hang')" },
          { kind: "assert", input: "assert True" },
        ],
      });
      expect(result.tests.map((t) => t.status)).toEqual(["pass", "pass", "pass", "timeout", "timeout"]);
    } finally {
      await sandbox.close();
    }
  });

  it("without bubblewrap: names it and how to install it, and mentions the unsafe opt-in", async () => {
    const error = await startError({ bwrapPath: path.join(scratch, "no-such-bwrap"), env: {} });
    expect(error).toBeInstanceOf(IsolationUnavailableError);
    expect((error as IsolationUnavailableError).missing).toBe("bubblewrap");
    expect((error as Error).message).toContain("apt-get install bubblewrap");
    expect((error as Error).message).toContain("O1C_SANDBOX=unsafe-no-isolation");
  });

  it("without user namespaces (bubblewrap refuses): names them and the sysctl that enables them", async () => {
    const bwrap = fakeBwrap(
      "bwrap-no-userns",
      "echo \"bwrap: No permissions to creating new namespace, likely because the kernel does not allow non-privileged user namespaces.\" >&2\nexit 1",
    );
    const error = await startError({ bwrapPath: bwrap, env: {} });
    expect(error).toBeInstanceOf(IsolationUnavailableError);
    expect((error as IsolationUnavailableError).missing).toBe("user-namespaces");
    expect((error as Error).message).toContain("No permissions to creating new namespace");
    expect((error as Error).message).toContain("sysctl -w kernel.unprivileged_userns_clone=1");
  });

  it("without nested user namespaces (the per-program ones): the start-up self-test catches it", async () => {
    // The real bwrap, told to forbid user namespaces inside the sandbox: the forkserver starts, its programs cannot.
    const bwrap = fakeBwrap("bwrap-no-nested-userns", 'exec /usr/bin/bwrap --disable-userns "$@"');
    const error = await startError({ bwrapPath: bwrap, env: {} });
    expect(error).toBeInstanceOf(IsolationUnavailableError);
    expect((error as IsolationUnavailableError).missing).toBe("user-namespaces");
    expect((error as Error).message).toMatch(/self-test failed/);
  });

  it("does not blame user namespaces for a worker that fails for another reason", async () => {
    const broken = mkdtempSync(path.join(scratch, "broken-"));
    chmodSync(broken, 0o755);
    writeFileSync(path.join(broken, "harness.py"), "");
    writeFileSync(path.join(broken, "judge.py"), "");
    writeFileSync(path.join(broken, "forkserver.py"), "raise SystemExit('broken on purpose')\n");
    const error = await startError({ forkserverPath: path.join(broken, "forkserver.py"), env: {} });
    expect(error).toBeInstanceOf(WorkerStartError);
    expect((error as Error).message).toContain("broken on purpose");
  });

  it("without python3: names the interpreter and how to install it", async () => {
    const error = await startError({ pythonPath: "/usr/bin/no-such-python3", env: {} });
    expect(error).toBeInstanceOf(IsolationUnavailableError);
    expect((error as IsolationUnavailableError).missing).toBe("python3");
    expect((error as Error).message).toContain("apt-get install python3");
  });

  it("runs unisolated only with O1C_SANDBOX=unsafe-no-isolation, and says so", async () => {
    const sandbox = await createSandbox({ workers: 1, env: { O1C_SANDBOX: "unsafe-no-isolation", PATH: process.env.PATH } });
    try {
      expect(sandbox.isolation).toBe("unsafe-none");
      const result = await sandbox.run({
        code: "import os\n",
        tests: [{ kind: "assert", input: "assert os.path.exists('/etc/passwd')" }, { kind: "assert", input: "assert 1 + 1 == 3" }],
      });
      // Really unisolated (the host's files are there), still judged the same way.
      expect(result.isolation).toBe("unsafe-none");
      expect(result.tests.map((t) => t.status)).toEqual(["pass", "fail"]);
    } finally {
      await sandbox.close();
    }
  });

  it("rejects any other O1C_SANDBOX value rather than guessing", async () => {
    const error = await startError({ env: { O1C_SANDBOX: "off" } });
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).where).toBe("O1C_SANDBOX");
  });
});
