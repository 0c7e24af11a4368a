// Agreement arithmetic against hand-computed figures.
import { describe, expect, it } from "vitest";
import { experimentAgreement, pairAgreement, type JudgementForAgreement } from "../../server/annotation/agreement.ts";

const judgement = (pairKey: string, annotator: string, verdict: JudgementForAgreement["verdict"], chosen: "first" | "second" = "first"): JudgementForAgreement => ({
  pairKey,
  annotator,
  verdict,
  chosenNodeId: pairKey.split("|")[chosen === "first" ? 0 : 1]!,
});

describe("agreement", () => {
  it("counts agreeing annotator pairs within a pair", () => {
    expect(pairAgreement(["first"])).toEqual({ annotators: 1, agreeingPairs: 0, annotatorPairs: 0, share: null });
    expect(pairAgreement(["first", "first"]).share).toBe(1);
    expect(pairAgreement(["first", "second", "tie"]).share).toBe(0);
    expect(pairAgreement(["tie", "tie", "tie", "both-bad"])).toEqual({ annotators: 4, agreeingPairs: 3, annotatorPairs: 6, share: 0.5 });
  });

  it("computes observed agreement and Fleiss' kappa over pairs with two or more annotators", () => {
    // Pair 1: first, first (P=1). Pair 2: first, second (P=0). Pair 3: tie, tie, both-bad (P=1/3). Pair 4: one annotator, ignored.
    const judgements = [
      judgement("a|b", "x", "PREFER"),
      judgement("a|b", "y", "PREFER"),
      judgement("c|d", "x", "PREFER", "first"),
      judgement("c|d", "y", "PREFER", "second"),
      judgement("e|f", "x", "TIE"),
      judgement("e|f", "y", "TIE"),
      judgement("e|f", "z", "BOTH_BAD"),
      judgement("g|h", "x", "PREFER"),
    ];
    const result = experimentAgreement(judgements);
    const observed = (1 + 0 + 1 / 3) / 3;
    // Pooled over the 7 judgements of pairs 1–3: first 3, second 1, tie 2, both-bad 1.
    const chance = (3 / 7) ** 2 + (1 / 7) ** 2 + (2 / 7) ** 2 + (1 / 7) ** 2;
    expect(result.judgedPairs).toBe(4);
    expect(result.multiplyJudgedPairs).toBe(3);
    expect(result.judgements).toBe(8);
    expect(result.observedAgreement).toBeCloseTo(observed, 12);
    expect(result.chanceAgreement).toBeCloseTo(chance, 12);
    expect(result.fleissKappa).toBeCloseTo((observed - chance) / (1 - chance), 12);
    expect(result.annotators).toEqual([
      { name: "x", judgements: 4 },
      { name: "y", judgements: 3 },
      { name: "z", judgements: 1 },
    ]);
  });

  it("leaves kappa undefined when chance agreement is total, and everything empty without overlap", () => {
    const unanimous = experimentAgreement([judgement("a|b", "x", "TIE"), judgement("a|b", "y", "TIE")]);
    expect(unanimous.observedAgreement).toBe(1);
    expect(unanimous.fleissKappa).toBeNull();
    const single = experimentAgreement([judgement("a|b", "x", "TIE")]);
    expect(single).toMatchObject({ multiplyJudgedPairs: 0, observedAgreement: null, chanceAgreement: null, fleissKappa: null });
  });
});
