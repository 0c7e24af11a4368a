import { describe, expect, it } from "vitest";
import { selectFinalAnswer, terminalValue } from "../../server/search/final-answer.ts";
import { makeNode } from "../fixtures/search-nodes.ts";

const terminal = (seq: number, visits: number, valueSum: number, reward: number, code: string | null = `code ${seq}`) =>
  makeNode({ seq, visits, valueSum, reward, isTerminal: true, code });

describe("selectFinalAnswer", () => {
  it("takes the terminal with the highest value Q/N", () => {
    const nodes = [makeNode({ seq: 0 }), terminal(1, 2, 1, 0.5), terminal(2, 1, 0.75, 0.75), terminal(3, 3, 0.75, 0.25)];
    expect(selectFinalAnswer(nodes)?.seq).toBe(2);
  });

  it("ignores non-terminals and terminals without code", () => {
    const nodes = [
      makeNode({ seq: 0, visits: 5, valueSum: 5 }),
      makeNode({ seq: 1, visits: 3, valueSum: 3, isTerminal: false }),
      terminal(2, 1, 1, 1, null),
      terminal(3, 1, 0.5, 0.5),
    ];
    expect(selectFinalAnswer(nodes)?.seq).toBe(3);
    expect(selectFinalAnswer([makeNode({ seq: 0 }), terminal(1, 1, 0, 0, null)])).toBeNull();
  });

  it("values an unvisited terminal at its reward", () => {
    const unvisited = terminal(4, 0, 0, 0.9);
    expect(terminalValue(unvisited)).toBe(0.9);
    expect(selectFinalAnswer([terminal(1, 4, 3.2, 0.8), unvisited])?.seq).toBe(4);
  });

  it("breaks value ties by more visits, then by earlier creation", () => {
    // All three have value 1.
    const nodes = [terminal(5, 1, 1, 1), terminal(3, 2, 2, 1), terminal(7, 2, 2, 1)];
    expect(selectFinalAnswer(nodes)?.seq).toBe(3);
    const sameVisits = [terminal(9, 1, 0.5, 0.5), terminal(6, 1, 0.5, 0.5), terminal(8, 0, 0, 0.5)];
    expect(selectFinalAnswer(sameVisits)?.seq).toBe(6);
  });
});
