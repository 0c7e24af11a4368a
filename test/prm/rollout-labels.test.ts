import { describe, expect, it } from "vitest";
import { computeRolloutLabels, passesVisibleTests } from "../../server/prm/rollout-labels.ts";

// A hand-checked tree (rollouts end at terminals; N of an inner node = sum of its children's N):
//   0 root (N 5)
//   ├─ 1 (N 3)
//   │  ├─ 3 terminal pass (N 2)
//   │  └─ 4 terminal fail (N 1)
//   ├─ 2 (N 2)
//   │  └─ 5 terminal fail (N 2)
//   │     (6 terminal pass, unvisited: sampled with 5, evaluated, never selected)
//   │  └─ 6
//   └─ 7 inner, never expanded (N 0)
const node = (id: string, parentId: string | null, visits: number, terminal = false, reward: number | null = null) => ({
  id,
  parentId,
  visits,
  isTerminal: terminal,
  reward,
});
const tree = [
  node("0", null, 5),
  node("1", "0", 3),
  node("2", "0", 2),
  node("3", "1", 2, true, 1),
  node("4", "1", 1, true, 0.5),
  node("5", "2", 2, true, 0),
  node("6", "2", 0, true, 1),
  node("7", "0", 0),
];

describe("computeRolloutLabels", () => {
  // Computed inside each test, not at collection: Stryker's per-test coverage only sees code a test runs.
  const visibleLabels = () => computeRolloutLabels(tree, passesVisibleTests);

  it("counts each terminal's rollouts, and an unvisited sampled terminal once", () => {
    const labels = visibleLabels();
    expect(labels.get("1")).toEqual({ completions: 3, passing: 2, hard: true, visitWeighted: 2 / 3 });
    expect(labels.get("2")).toEqual({ completions: 3, passing: 1, hard: true, visitWeighted: 1 / 3 });
    expect(labels.get("0")).toEqual({ completions: 6, passing: 3, hard: true, visitWeighted: 0.5 });
  });

  it("labels terminals by their own outcome", () => {
    const labels = visibleLabels();
    expect(labels.get("3")).toMatchObject({ hard: true, visitWeighted: 1 });
    expect(labels.get("4")).toMatchObject({ hard: false, visitWeighted: 0 });
    expect(labels.get("6")).toMatchObject({ completions: 1, hard: true, visitWeighted: 1 });
  });

  it("has no label for a step with no terminal below it", () => {
    const labels = visibleLabels();
    expect(labels.get("7")).toEqual({ completions: 0, passing: 0, hard: null, visitWeighted: null });
  });

  it("lets the caller choose what passing means (e.g. hidden-test verdicts)", () => {
    const hidden = new Set(["5"]);
    const byHidden = computeRolloutLabels(tree, (t) => hidden.has(t.id));
    expect(byHidden.get("1")).toMatchObject({ hard: false, visitWeighted: 0 });
    expect(byHidden.get("2")).toMatchObject({ hard: true, visitWeighted: 2 / 3 });
  });

  it("treats a partial pass rate as not passing", () => {
    expect(passesVisibleTests({ reward: 0.99 })).toBe(false);
    expect(passesVisibleTests({ reward: 1 })).toBe(true);
    // Within 1e-9 of 1 passes (a rounded pass rate); anything further below does not.
    expect(passesVisibleTests({ reward: 1 - 1e-9 })).toBe(true);
    expect(passesVisibleTests({ reward: 1 - 1e-8 })).toBe(false);
    expect(passesVisibleTests({ reward: null })).toBe(false);
  });
});
