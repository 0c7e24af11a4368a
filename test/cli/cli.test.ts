// The o1c command as a user runs it: a real process through bin/o1c.mjs, against the test database.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { testDatabaseUrl } from "../helpers/db.ts";

const exec = promisify(execFile);

export async function o1c(args: string[], env: Record<string, string | undefined> = {}) {
  try {
    const { stdout, stderr } = await exec(process.execPath, ["bin/o1c.mjs", ...args], {
      env: { ...process.env, DATABASE_URL: testDatabaseUrl(), ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("o1c", () => {
  it("--help lists the commands", async () => {
    const { code, stdout } = await o1c(["--help"]);
    expect(code).toBe(0);
    for (const command of ["serve", "import", "datasets", "db migrate"]) expect(stdout).toContain(command);
  });

  it("an unknown command or a bad flag is a usage error (exit 2)", async () => {
    expect((await o1c(["frobnicate"])).code).toBe(2);
    const bad = await o1c(["import", "x.jsonl", "--format", "nope"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--format must be one of");
  });

  it("db migrate reports the database up to date", async () => {
    const { code, stdout } = await o1c(["db", "migrate"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/up to date: 0 applied now/);
  });
});
