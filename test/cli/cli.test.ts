// The o1c command as a user runs it.
import { describe, expect, it } from "vitest";
import { o1c } from "../helpers/o1c.ts";

describe("o1c", () => {
  it("--help lists the commands", async () => {
    const { code, stdout } = await o1c(["--help"]);
    expect(code).toBe(0);
    for (const command of ["serve", "import", "datasets", "run", "compare", "db migrate"]) expect(stdout).toContain(command);
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
