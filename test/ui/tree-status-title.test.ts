import { describe, expect, it } from "vitest";
import { treeStatusTitle } from "../../components/experiments/status-badge.tsx";

describe("a problem's status tooltip", () => {
  it("says a cancelled problem was stopped by the experiment's failure, not by Cancel, when the experiment failed", () => {
    expect(treeStatusTitle("CANCELLED", "FAILED")).toMatch(/^Stopped .* because the experiment failed/);
    expect(treeStatusTitle("CANCELLED", "CANCELLED")).toMatch(/^Stopped by Cancel/);
    expect(treeStatusTitle("CANCELLED", "FAILED")).toContain("Resume");
  });

  it("explains every tree status, and leaves an unknown one without a tooltip", () => {
    for (const status of ["PENDING", "RUNNING", "DONE", "FAILED"]) expect(treeStatusTitle(status, "RUNNING")).toMatch(/\w/);
    expect(treeStatusTitle("SOMETHING", "RUNNING")).toBeUndefined();
  });
});
