// The stdio exit-status rule through the real sandbox: only status 0 passes, whatever the output (issue 18: the rule
// was tested with status 3 alone, so a sandbox accepting status 1 went unnoticed).
import { describe, expect, it } from "vitest";
import { useSandbox } from "./use-sandbox.ts";

const sandbox = useSandbox();

describe("stdio tests need exit status 0", () => {
  it("passes sys.exit(0) and falling off the end; fails statuses 1, 2 and 3 with matching output", async () => {
    const code = "import sys\nn = int(input())\nprint('ok')\nif n >= 0:\n    sys.exit(n)\n";
    const inputs = ["0", "-1", "1", "2", "3"];
    const result = await sandbox().run({ code, tests: inputs.map((input) => ({ kind: "stdio" as const, input: `${input}\n`, expected: "ok" })) });
    expect(result.tests.map((t) => [t.status, t.errorType ?? null, t.stdout])).toEqual([
      ["pass", null, "ok\n"],
      ["pass", null, "ok\n"],
      ["error", "SystemExit", "ok\n"],
      ["error", "SystemExit", "ok\n"],
      ["error", "SystemExit", "ok\n"],
    ]);
    expect(result.tests[2]!.errorMessage).toBe("the program exited with status 1");
  });
});
