// A bad `--problems` value is a usage error as any other bad flag is (exit 2, "o1c <command>: <what is wrong>", then
// the help), naming the flag, the value typed and the reason; never a raw ZodError with a stack trace. Checked before
// any LLM call, so the URL below is never dialled.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { o1c } from "../helpers/o1c.ts";

const LLM = ["--llm", "http://127.0.0.1:9/v1", "--model", "m"];

describe("--problems", () => {
  it.each([
    { command: "run", flags: ["--dataset", "mbpp", "--mode", "vanilla", ...LLM], value: "5-1", reason: "the range's end must be at least its start" },
    { command: "run", flags: ["--dataset", "mbpp", "--mode", "vanilla", ...LLM], value: "0-5", reason: "problems are numbered from 1" },
    { command: "compare", flags: ["--dataset", "mbpp", ...LLM], value: "9-3", reason: "the range's end must be at least its start" },
    { command: "tcg", flags: ["--dataset", "mbpp", ...LLM], value: "0", reason: "problems are numbered from 1" },
  ])("$command --problems $value is a usage error that says what is wrong", async ({ command, flags, value, reason }) => {
    const { code, stderr } = await o1c([command, ...flags, "--problems", value]);
    expect(code, stderr).toBe(2);
    expect(stderr).toContain(`o1c ${command}: --problems ${value}: ${reason}\n`);
    expect(stderr).toContain(`Usage: o1c ${command}`);
    expect(stderr).not.toMatch(/ZodError|unexpected error|\n\s+at /);
  });
});

describe("a loop.json's trainProblems / evalProblems (read like --problems)", () => {
  it("a bad range is an error naming the file's field and the reason", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "o1c-loop-problems-"));
    try {
      const file = path.join(dir, "loop.json");
      const loop = {
        name: "bad-range",
        dataset: "mbpp",
        trainProblems: "5-1",
        evalProblems: "7-9",
        iterations: 1,
        mode: "pseudocode",
        llm: { baseUrl: "http://127.0.0.1:9/v1", model: "m" },
        training: { backend: "command", recipes: ["sft"], baseModel: "base", command: "true {data} {output}", outputRoot: dir },
        publish: { kind: "vllm-lora" },
      };
      await writeFile(file, JSON.stringify(loop));
      const { code, stderr } = await o1c(["loop", "run", "--config", file]);
      expect(code, stderr).toBe(1);
      expect(stderr).toContain(`o1c loop: error: ${file} field trainProblems: the range's end must be at least its start\n`);
      expect(stderr).not.toMatch(/ZodError|"origin"|\n\s+at /);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
