import { describe, expect, it } from "vitest";
import { describePrm, prmConfigSchema } from "../../server/contracts/index.ts";

const prm = (input: Record<string, unknown>) => describePrm(prmConfigSchema.parse(input));

describe("an experiment's PRM in its page's header", () => {
  it("tells apart runs that differ only in their PRM", () => {
    expect(prm({})).toBe("no PRM");
    expect(prm({ mode: "rollout" })).toBe("PRM: rollout labels, visit-weighted");
    expect(prm({ mode: "rollout", labels: "sampled", samplesPerStep: 6 })).toBe("PRM: rollout labels, sampled (Math-Shepherd, k=6)");
    expect(prm({ mode: "judge", model: "judge-7b" })).toBe("PRM: judge judge-7b");
    expect(prm({ mode: "served", baseUrl: "http://127.0.0.1:8001", model: "Qwen2.5-Math-PRM-7B", guide: { weight: 0.3 } })).toBe("PRM: served Qwen2.5-Math-PRM-7B, guiding selection (w=0.3, value-mix)");
  });
});
