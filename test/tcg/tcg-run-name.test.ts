// TCG runs are listed by a name that tells them apart (issue 15 §10): dataset, problems, model, start time.
import { describe, expect, it } from "vitest";
import { problemSelectionLabel } from "../../server/contracts/index.ts";
import { tcgRunName } from "../../server/tcg/tcg-service.ts";

describe("TCG run names", () => {
  const base = { dataset: { name: "mbpp" }, model: "qwen-7b", createdAt: new Date("2026-12-04T22:40:05.123Z") };

  it("names the dataset, the problems, the model and the start to the second (UTC)", () => {
    expect(tcgRunName({ ...base, config: { problems: { kind: "range", from: 1, to: 20 }, cases: 3 } })).toBe("mbpp 1–20 · qwen-7b · 2026-12-04 22:40:05 UTC");
  });

  it("two runs on the same dataset and model differ by their problems or their start", () => {
    const a = tcgRunName({ ...base, config: { problems: { kind: "range", from: 1, to: 20 } } });
    const b = tcgRunName({ ...base, config: { problems: { kind: "range", from: 21, to: 40 } } });
    const c = tcgRunName({ ...base, createdAt: new Date("2026-12-04T22:40:06Z"), config: { problems: { kind: "range", from: 1, to: 20 } } });
    expect(new Set([a, b, c]).size).toBe(3);
  });

  it("leaves the problems out of a config it cannot read", () => {
    expect(tcgRunName({ ...base, config: { cases: 3 } })).toBe("mbpp · qwen-7b · 2026-12-04 22:40:05 UTC");
  });

  it("says each kind of selection in a few characters", () => {
    expect(problemSelectionLabel({ kind: "all" })).toBe("all");
    expect(problemSelectionLabel({ kind: "range", from: 7, to: 7 })).toBe("#7");
    expect(problemSelectionLabel({ kind: "sample", count: 20, seed: 0 })).toBe("sample of 20 (seed 0)");
    expect(problemSelectionLabel({ kind: "ids", ids: ["11", "12"] })).toBe("ids 11, 12");
    expect(problemSelectionLabel({ kind: "ids", ids: ["1", "2", "3", "4", "5"] })).toBe("ids 1, 2, 3 +2");
  });
});
