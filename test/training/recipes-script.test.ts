// The shipped TRL script's argument and data checks (recipes/o1c_trl_train.py --check-args), run with python3 here;
// the training itself needs TRL and a GPU and is not run.
import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { RECIPES_DIR } from "../../server/training/index.ts";
import { tempDir, writeJsonl } from "./training-helpers.ts";

const exec = promisify(execFile);
const SCRIPT = path.join(RECIPES_DIR, "o1c_trl_train.py");

async function check(args: string[]) {
  try {
    const { stdout, stderr } = await exec("python3", [SCRIPT, ...args, "--check-args"]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("recipes/o1c_trl_train.py --check-args", () => {
  it("accepts each recipe's export shape and reports the record count", async () => {
    const dir = await tempDir("recipe");
    const files = {
      sft: await writeJsonl(path.join(dir, "sft.jsonl"), [{ prompt: "p", completion: "c", provenance: {} }]),
      dpo: await writeJsonl(path.join(dir, "dpo.jsonl"), [{ prompt: "p", chosen: "a", rejected: "b" }, { prompt: "q", chosen: "a", rejected: "b" }]),
      prm: await writeJsonl(path.join(dir, "prm.jsonl"), [{ prompt: "p", completions: ["s1", "s2"], labels: [true, false] }]),
    };
    for (const [recipe, file, records] of [["sft", files.sft, 1], ["dpo", files.dpo, 2], ["prm", files.prm, 1], ["tcg-sft", files.dpo, 2], ["tcg-dpo", files.dpo, 2]] as const) {
      const result = await check([recipe, "--model", "Qwen/x", "--data", file, "--output", path.join(dir, "out")]);
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ recipe, records });
    }
  });

  it("names the file, line and field of a bad record", async () => {
    const dir = await tempDir("recipe");
    const file = path.join(dir, "prm.jsonl");
    await writeFile(file, `${JSON.stringify({ prompt: "p", completions: ["a"], labels: [true] })}\n${JSON.stringify({ prompt: "p", completions: ["a", "b"], labels: [true] })}\n`);
    const result = await check(["prm", "--model", "m", "--data", file, "--output", dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}:2: completions and labels must be non-empty lists of the same length`);
    const missing = await check(["dpo", "--model", "m", "--data", await writeJsonl(path.join(dir, "x.jsonl"), [{ prompt: "p", completion: "c" }]), "--output", dir]);
    expect(missing.stderr).toContain("x.jsonl:1: field chosen is missing");
    const empty = await check(["sft", "--model", "m", "--data", await writeJsonl(path.join(dir, "e.jsonl"), []), "--output", dir]);
    expect(empty.stderr).toContain("no records");
  });

  it("refuses an --init folder without an adapter, an unknown recipe and a bad number", async () => {
    const dir = await tempDir("recipe");
    const file = await writeJsonl(path.join(dir, "dpo.jsonl"), [{ prompt: "p", chosen: "a", rejected: "b" }]);
    expect((await check(["dpo", "--model", "m", "--data", file, "--output", dir, "--init", dir])).stderr).toContain("no adapter_config.json there");
    await mkdir(path.join(dir, "sft"));
    await writeFile(path.join(dir, "sft", "adapter_config.json"), "{}");
    expect((await check(["dpo", "--model", "m", "--data", file, "--output", dir, "--init", path.join(dir, "sft")])).code).toBe(0);
    expect((await check(["ppo", "--model", "m", "--data", file, "--output", dir])).stderr).toContain("invalid choice: 'ppo'");
    expect((await check(["sft", "--model", "m", "--data", file, "--output", dir, "--epochs", "0"])).stderr).toContain("--epochs must be > 0");
  });
});
