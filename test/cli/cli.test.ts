// The o1c command as a user runs it.
import { describe, expect, it } from "vitest";
import { o1c } from "../helpers/o1c.ts";

describe("o1c", () => {
  it("--help lists the commands", async () => {
    const { code, stdout } = await o1c(["--help"]);
    expect(code).toBe(0);
    for (const command of ["serve", "import", "datasets", "run", "compare", "tcg", "export", "lineage", "worker", "bench sandbox", "db migrate"]) expect(stdout).toContain(command);
  });

  it("an unknown command or a bad flag is a usage error (exit 2)", async () => {
    expect((await o1c(["frobnicate"])).code).toBe(2);
    const bad = await o1c(["import", "x.jsonl", "--format", "nope"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--format must be one of");
    // Checked before anything starts (no database, no benchmark).
    const trees = await o1c(["bench", "engine", "--trees", "0"]);
    expect(trees.code).toBe(2);
    expect(trees.stderr).toContain("--trees must be a positive integer");
  });

  it("serve refuses a non-loopback address without O1C_TOKEN as a refusal naming --host, not an unexpected error", async () => {
    const { code, stdout, stderr } = await o1c(["serve", "--host", "0.0.0.0", "--port", "0"], { O1C_TOKEN: "" });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^o1c serve: error: --host: refusing to listen on 0\.0\.0\.0 without an access token/);
    expect(stderr).not.toContain("unexpected error");
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("db migrate reports the database up to date", async () => {
    const { code, stdout } = await o1c(["db", "migrate"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/up to date: 0 applied now/);
  });

  it("bench sandbox --json prints the isolated and bare figures side by side", async () => {
    const { code, stdout, stderr } = await o1c(["bench", "sandbox", "--programs", "200", "--json"]);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout) as Record<string, number>;
    for (const key of ["isolatedPerSec", "barePerSec", "ratio", "p50Ms", "p95Ms", "memoryPerWorkerMb"]) expect(result[key]).toBeGreaterThan(0);
  }, 60_000);
});
