import { describe, expect, it } from "vitest";
import { combineTimedSearches } from "../../server/bench/engine.ts";

const cpu = (engine: number, rest: number) => ({ engine, engineOtherThreads: engine / 4, database: rest, sandbox: rest, llmServer: rest, total: engine + 3 * rest });

describe("a worker group's timed searches, combined", () => {
  it("takes nodes over the summed wall time, CPU over the summed nodes, and the busy share weighted by time", () => {
    const figures = combineTimedSearches([
      { nodes: 1000, wallMs: 1000, cpuMs: cpu(400, 300), machineBusy: 0.8 },
      { nodes: 3000, wallMs: 2000, cpuMs: cpu(1200, 900), machineBusy: 1 },
    ]);
    expect(figures.nodesPerSec).toBe(1333); // 4,000 nodes in 3 s, not the mean of 1,000 and 1,500
    expect(figures.cpuMsPerNode).toEqual({ engine: 0.4, engineOtherThreads: 0.1, database: 0.3, sandbox: 0.3, llmServer: 0.3, total: 1.3 });
    expect(figures.machineBusy).toBe(0.93); // (0.8 × 1 s + 1 × 2 s) / 3 s
  });

  it("reports no busy share when a search could not read one", () => {
    const figures = combineTimedSearches([
      { nodes: 10, wallMs: 10, cpuMs: cpu(1, 1), machineBusy: 0.5 },
      { nodes: 10, wallMs: 10, cpuMs: cpu(1, 1), machineBusy: null },
    ]);
    expect(figures.machineBusy).toBeNull();
  });
});
