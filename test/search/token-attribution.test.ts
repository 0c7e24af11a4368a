import { describe, expect, it } from "vitest";
import { attributeUsage, splitProportionally } from "../../server/search/token-attribution.ts";
import { thoughtStep } from "../fixtures/scripted-policy.ts";

describe("token attribution", () => {
  it("splits integers proportionally with an exact sum (largest remainder, ties to the earlier)", () => {
    expect(splitProportionally(10, [1, 1, 1])).toEqual([4, 3, 3]);
    // 7·[2,1,1]/4 = 3.5, 1.75, 1.75 → floors 3, 1, 1; the two spare tokens go to the .75 remainders.
    expect(splitProportionally(7, [2, 1, 1])).toEqual([3, 2, 2]);
    expect(splitProportionally(5, [0, 0])).toEqual([3, 2]);
    expect(splitProportionally(0, [3, 4])).toEqual([0, 0]);
  });

  it("bills the prompt to the first sibling and splits completion tokens by text length", () => {
    const steps = [thoughtStep("aaaaaa"), thoughtStep("aa"), thoughtStep("aaaa")];
    expect(attributeUsage(steps, { promptTokens: 50, completionTokens: 24 })).toEqual([
      { promptTokens: 50, completionTokens: 12 },
      { promptTokens: 0, completionTokens: 4 },
      { promptTokens: 0, completionTokens: 8 },
    ]);
  });

  it("uses per-step counts when the policy knows them", () => {
    const steps = [
      { ...thoughtStep("x"), completionTokens: 3 },
      { ...thoughtStep("yyyyyyyy"), completionTokens: 9 },
    ];
    expect(attributeUsage(steps, { promptTokens: 5, completionTokens: 12 }).map((t) => t.completionTokens)).toEqual([3, 9]);
  });

  it("splits by text length when the policy knows only some steps' counts", () => {
    const steps = [{ ...thoughtStep("aa"), completionTokens: 5 }, thoughtStep("aaaa")];
    expect(attributeUsage(steps, { promptTokens: 0, completionTokens: 9 }).map((t) => t.completionTokens)).toEqual([3, 6]);
  });
});
