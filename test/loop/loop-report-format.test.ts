import { describe, expect, it } from "vitest";
import { formatReport } from "../../server/cli/commands/loop.ts";
import type { LoopReport } from "../../server/loop/index.ts";

const job = (status: string, logTail: string) => ({ jobId: "j1", recipe: "sft", status, output: "/runs/it1/sft", attempt: 1, error: status === "failed" ? "the trainer exited with code 1" : null, logTail });

const report = (training: LoopReport["iterations"][number]["training"]): LoopReport => ({
  lineage: "L",
  loopId: "loop1",
  status: "failed",
  iteration: 1,
  stage: "train",
  error: "training sft for iteration 1 failed",
  iterations: [
    {
      iteration: 1,
      model: null,
      baseUrl: null,
      searchExperimentId: null,
      evalExperimentId: null,
      eval: { pass1: null, aspr: null, tokensPerProblem: null, status: null },
      training,
    },
  ],
});

describe("o1c loop show", () => {
  it("prints a failed training job's last log lines, where the reason is (a missing module, say)", () => {
    const log = [...Array.from({ length: 20 }, (_, i) => `line ${i + 1}`), "ModuleNotFoundError: No module named 'peft'", ""].join("\n");
    const text = formatReport(report([job("failed", log)]));
    expect(text).toContain("  sft (attempt 1): failed  /runs/it1/sft  — the trainer exited with code 1\n    | line 10\n");
    expect(text.trimEnd().endsWith("    | ModuleNotFoundError: No module named 'peft'")).toBe(true);
    expect(text).not.toContain("| line 9\n"); // the last 12 lines only
  });

  it("splits a progress bar's carriage-return updates into lines", () => {
    const text = formatReport(report([job("failed", "10%|#  \r50%|#####  \r90%|#########\nCUDA out of memory\n")]));
    expect(text).toContain("    | 50%|#####\n    | 90%|#########\n    | CUDA out of memory");
  });

  it("says when a failed trainer wrote nothing, and prints no log for a job that succeeded", () => {
    expect(formatReport(report([job("failed", "  \n")]))).toContain("failed  /runs/it1/sft  — the trainer exited with code 1\n    (the trainer wrote nothing)");
    expect(formatReport(report([job("succeeded", "step 3/3 loss 0.333\n")]))).not.toContain("|");
  });
});
