import { describe, expect, it } from "vitest";
import { emptyCurveNote } from "../../components/experiments/curve-note.ts";

describe("why a comparison curve is empty", () => {
  it("says nothing is judged yet before the first problem is, and blames the judged trees only after", () => {
    expect(emptyCurveNote(0)).toBe("no curve yet: no problem judged");
    expect(emptyCurveNote(1)).toBe("no curve: none of its judged trees recorded one");
  });
});
