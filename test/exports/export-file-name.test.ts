// Search-DPO and human-DPO downloads get different file names, so one never overwrites the other (issue 15 §10).
import { describe, expect, it } from "vitest";
import { exportFileName } from "../../server/exports/export-options.ts";

describe("exportFileName", () => {
  it("names the DPO source when it is not both", () => {
    expect(exportFileName("run 1", { format: "dpo", pairwise: false, source: "human" })).toBe("run-1-dpo-human.jsonl");
    expect(exportFileName("run 1", { format: "dpo", pairwise: false, source: "search" })).toBe("run-1-dpo-search.jsonl");
    expect(exportFileName("run 1", { format: "dpo", pairwise: false, source: "both" })).toBe("run-1-dpo.jsonl");
    expect(exportFileName("run 1", { format: "prm", pairwise: true })).toBe("run-1-prm-pairwise.jsonl");
    expect(exportFileName("run 1", { format: "sft", pairwise: false })).toBe("run-1-sft.jsonl");
  });
});
