// PRM guidance of selection: weight 0 reproduces the unguided search exactly; w > 0 changes choices deterministically.
import { describe, expect, it } from "vitest";
import type { Evaluator } from "../../server/search/evaluator.ts";
import { createRandom } from "../../server/lib/rng.ts";
import { runSearch } from "../../server/search/run-search.ts";
import { guidedScore, selectChild, uctScore } from "../../server/search/select-child.ts";
import type { StepScorer } from "../../server/search/step-scorer.ts";
import { createSeededPolicy } from "../fixtures/scripted-policy.ts";

const child = (name: string, visits: number, valueSum: number, prmScore: number | null) => ({ name, visits, valueSum, prmScore });
const fixed = (value: number) => () => value;

describe("guidedScore", () => {
  it("value-mix is (1 − w)·Q/N + w·prm + c·sqrt(ln N_p / N)", () => {
    const explore = 2 * Math.sqrt(Math.log(5) / 2);
    expect(guidedScore(child("a", 2, 1.2, 0.1), 5, 2, { kind: "value-mix", weight: 0.25 })).toBeCloseTo(0.75 * 0.6 + 0.25 * 0.1 + explore, 12);
  });

  it("prior adds w·c·prm·sqrt(N_p)/(1 + N) to UCT", () => {
    const uct = uctScore(child("a", 2, 1.2, 0.8), 5, 2);
    expect(guidedScore(child("a", 2, 1.2, 0.8), 5, 2, { kind: "prior", weight: 0.5 })).toBeCloseTo(uct + (0.5 * 2 * 0.8 * Math.sqrt(5)) / 3, 12);
  });

  it("is plain UCT for a child without a score or with w = 0", () => {
    const uct = uctScore(child("a", 2, 1.2, null), 5, 2);
    expect(guidedScore(child("a", 2, 1.2, null), 5, 2, { kind: "value-mix", weight: 0.9 })).toBe(uct);
    expect(guidedScore(child("a", 2, 1.2, 0.3), 5, 2, { kind: "prior", weight: 0 })).toBe(uct);
    // A child built without the field at all (only visits and Q) is scored the same way.
    expect(guidedScore({ visits: 2, valueSum: 1.2 }, 5, 2, { kind: "value-mix", weight: 0.9 })).toBe(uct);
  });

  it("is +∞ for an unvisited child, scored or not, like UCT", () => {
    expect(guidedScore(child("a", 0, 0, 0.7), 5, 2, { kind: "value-mix", weight: 0.5 })).toBe(Number.POSITIVE_INFINITY);
    expect(guidedScore(child("a", 0, 0, 0.7), 5, 2, { kind: "prior", weight: 0.5 })).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("selectChild with a guide", () => {
  it("prior mode splits the draw (1 − w)/n uniform + w·prm/Σprm over three unexplored children", () => {
    // w = 0.5, scores 0, 0.6, 0.2 (Σ 0.8): a 1/6, b 1/6 + 0.375 = 0.5417, c 1/6 + 0.125 = 0.2917.
    // Cumulative: a [0, 0.1667), b [0.1667, 0.7083), c [0.7083, 1).
    const children = [child("a", 0, 0, 0), child("b", 0, 0, 0.6), child("c", 0, 0, 0.2)];
    const pick = (draw: number) => selectChild(children, 1, 2, fixed(draw), { kind: "prior", weight: 0.5 }).name;
    expect([0.1, 0.16, 0.17, 0.5, 0.7, 0.71, 0.99].map(pick)).toEqual(["a", "a", "b", "b", "b", "c", "c"]);
  });

  it("prior mode draws uniformly when no unexplored child has a positive score", () => {
    const children = [child("a", 0, 0, null), child("b", 0, 0, 0), child("c", 0, 0, -0.5)];
    const pick = (draw: number) => selectChild(children, 1, 2, fixed(draw), { kind: "prior", weight: 0.5 }).name;
    expect([0.1, 0.4, 0.9].map(pick)).toEqual(["a", "b", "c"]);
  });

  it("with w = 0 draws unexplored children exactly as the unguided search, even where summed thirds and sixths round", () => {
    // floor(0.5·6) = 3, while six weights of 1/6 sum to 0.9999999999999999, and the mixture's point 0.5·Σ would fall
    // just inside the third child: w = 0 must not take the mixture path at all.
    const children = Array.from({ length: 6 }, (_, i) => child(String(i), 0, 0, 0.5));
    expect(selectChild(children, 1, 2, fixed(0.5)).name).toBe("3");
    expect(selectChild(children, 1, 2, fixed(0.5), { kind: "prior", weight: 0 }).name).toBe("3");
  });

  it("with w = 0 makes the unguided choice on every one of many random child sets", () => {
    const random = createRandom(99);
    for (let trial = 0; trial < 500; trial += 1) {
      const children = Array.from({ length: 1 + Math.floor(random() * 4) }, (_, i) => {
        const visits = Math.floor(random() * 3);
        return child(String(i), visits, visits * random(), random() < 0.8 ? random() : null);
      });
      const parentVisits = 1 + children.reduce((s, c) => s + c.visits, 0);
      const draw = random();
      const plain = selectChild(children, parentVisits, 2, fixed(draw));
      for (const kind of ["value-mix", "prior"] as const) expect(selectChild(children, parentVisits, 2, fixed(draw), { kind, weight: 0 })).toBe(plain);
    }
  });

  it("value-mix with w > 0 can prefer the child the PRM likes", () => {
    // Q/N: a 0.6, b 0.5; equal N so exploration ties. PRM: a 0.1, b 0.9. c = 0 for a clean comparison.
    const children = [child("a", 2, 1.2, 0.1), child("b", 2, 1.0, 0.9)];
    expect(selectChild(children, 4, 0, fixed(0)).name).toBe("a");
    expect(selectChild(children, 4, 0, fixed(0), { kind: "value-mix", weight: 0.5 }).name).toBe("b"); // 0.35 vs 0.7
    expect(selectChild(children, 4, 0, fixed(0), { kind: "value-mix", weight: 0.1 }).name).toBe("a"); // 0.55 vs 0.54
  });

  it("prior mode draws the first unexplored child from (1 − w)·uniform + w·prm share", () => {
    const children = [child("a", 0, 0, 0.1), child("b", 0, 0, 0.9)];
    expect(selectChild(children, 1, 2, fixed(0.2)).name).toBe("a"); // uniform: floor(0.2·2) = 0
    expect(selectChild(children, 1, 2, fixed(0.2), { kind: "prior", weight: 1 }).name).toBe("b"); // 0.2 ≥ 0.1
    expect(selectChild(children, 1, 2, fixed(0.2), { kind: "prior", weight: 0.5 }).name).toBe("a"); // 0.2 < 0.25 + 0.05 = 0.3
    // A child the mixture gives no weight (w = 1, score 0) is never drawn, not even at the draw 0.
    expect(selectChild([child("z", 0, 0, 0), child("b", 0, 0, 0.9)], 1, 2, fixed(0), { kind: "prior", weight: 1 }).name).toBe("b");
    // value-mix leaves unexplored draws alone.
    expect(selectChild(children, 1, 2, fixed(0.2), { kind: "value-mix", weight: 1 }).name).toBe("a");
  });
});

const scoreByCode: Evaluator = async (code) => ({ compiles: true, passRate: code.startsWith("good") ? 1 : 0.25 });

/** A deterministic PRM: likes steps whose random tag is high, so its taste disagrees with the rewards. */
const tasteScorer: StepScorer = async (requests) =>
  requests.map((r) => {
    const last = r.steps[r.steps.length - 1] ?? "";
    return Number(/r(\d+)/.exec(last)?.[1] ?? 500) / 1000;
  });

describe("runSearch with a PRM edge", () => {
  const config = { seed: 5, rollouts: 12, children: 3, maxDepth: 4 };
  const shape = (nodes: Awaited<ReturnType<typeof runSearch>>["nodes"]) => nodes.map((n) => ({ seq: n.seq, parent: n.parentId, text: n.stepText, N: n.visits, Q: n.valueSum }));

  it("stores a score on every non-root node and, with w = 0, grows the unguided tree", async () => {
    const plain = await runSearch(config, { policy: createSeededPolicy(), evaluate: scoreByCode });
    const scored = await runSearch(config, { policy: createSeededPolicy(), evaluate: scoreByCode, scoreSteps: tasteScorer });
    expect(shape(scored.nodes)).toEqual(shape(plain.nodes));
    expect(plain.nodes.every((n) => n.prmScore === null)).toBe(true);
    expect(scored.nodes.filter((n) => n.parentId !== null).every((n) => typeof n.prmScore === "number")).toBe(true);
    expect(scored.nodes[0]?.prmScore).toBeNull();
  });

  it("with w > 0 grows a different tree, the same one each time", async () => {
    const plain = await runSearch(config, { policy: createSeededPolicy(), evaluate: scoreByCode });
    for (const kind of ["value-mix", "prior"] as const) {
      const guided = () => runSearch({ ...config, guide: { kind, weight: 0.8 } }, { policy: createSeededPolicy(), evaluate: scoreByCode, scoreSteps: tasteScorer });
      const [a, b] = [await guided(), await guided()];
      expect(a).toEqual(b);
      expect(shape(a.nodes)).not.toEqual(shape(plain.nodes));
    }
  });

  it("stores null for a step the scorer could not score, and rejects a scorer that miscounts", async () => {
    const halfScorer: StepScorer = async (requests) => requests.map((_, i) => (i === 0 ? null : Number.NaN));
    const result = await runSearch({ ...config, rollouts: 2 }, { policy: createSeededPolicy(), evaluate: scoreByCode, scoreSteps: halfScorer });
    expect(result.nodes.every((n) => n.prmScore === null)).toBe(true);
    const miscounting: StepScorer = async () => [0.5];
    await expect(runSearch(config, { policy: createSeededPolicy(), evaluate: scoreByCode, scoreSteps: miscounting })).rejects.toThrow(/1 scores for 3 steps/);
  });

  it("rejects a guide weight outside [0, 1], naming it", async () => {
    await expect(runSearch({ ...config, guide: { kind: "prior", weight: 2 } }, { policy: createSeededPolicy(), evaluate: scoreByCode })).rejects.toThrow(/search.guide.weight/);
  });
});
