// The lineage page's table and plots, rendered on the server (no browser): which experiment gives each point, the
// SVG, and the table's deltas and definitions.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { LineageCharts } from "../../components/lineage/lineage-charts.tsx";
import { LineageTable } from "../../components/lineage/lineage-table.tsx";
import { buildSeries } from "../../components/lineage/series.ts";
import { LINEAGE_DEFINITIONS } from "../../server/contracts/index.ts";
import type { IterationRow } from "../../server/lineage/lineage-service.ts";
import { METRIC_DEFINITIONS } from "../../server/contracts/index.ts";

function row(id: string, iteration: number, mode: string, pass1: number | null, created: number): IterationRow {
  return {
    experimentId: id,
    name: id,
    iteration,
    dataset: "mbpp",
    mode,
    model: `m${iteration}`,
    endpoint: "http://127.0.0.1:8000/v1",
    trainedOn: null,
    status: pass1 === null ? "RUNNING" : "COMPLETED",
    createdAt: new Date(created),
    finishedAt: null,
    problems: pass1 === null ? null : 10,
    pass1,
    aspr: pass1 === null ? null : pass1 + 0.1,
    tokensPerProblem: pass1 === null ? null : 1000 - iteration * 100,
    tcg: null,
    judgements: 0,
    annotators: 0,
    delta: { previous: null, commonProblems: null, sameProblems: null, pass1: null, aspr: null, tokensPerProblem: null, tcgValidity: null },
  };
}

const ROWS = [
  row("p0-old", 0, "pseudocode", 0.3, 1),
  row("p0", 0, "pseudocode", 0.4, 2),
  row("v0", 0, "vanilla", 0.5, 3),
  row("p1", 1, "pseudocode", 0.6, 4),
  row("p2", 2, "pseudocode", null, 5),
];

describe("lineage plots", () => {
  it("one series per dataset and mode; a point per iteration from its latest experiment; none while it has no metrics", () => {
    const series = buildSeries(ROWS, (r) => r.pass1);
    expect(series.map((s) => [s.key, s.points.map((p) => [p.iteration, p.value, p.experimentName])])).toEqual([
      ["mbpp · pseudocode", [[0, 0.4, "p0"], [1, 0.6, "p1"]]],
      ["mbpp · vanilla", [[0, 0.5, "v0"]]],
    ]);
  });

  it("draws Pass@1 and ASPR lines per series and tokens per problem on its own axis, every point titled", () => {
    const svg = renderToStaticMarkup(createElement(LineageCharts, { rows: ROWS }));
    // Pass@1 and ASPR for two series, then tokens for two series.
    expect(svg.match(/data-testid="lineage-chart-line"/g)).toHaveLength(6);
    expect(svg).toContain("<title>Pass@1 · mbpp · pseudocode, iteration 1: 60% (p1)</title>");
    expect(svg).toContain("<title>ASPR · mbpp · pseudocode, iteration 0: 50% (p0)</title>");
    expect(svg).toContain("<title>Tokens / problem · mbpp · pseudocode, iteration 1: 900 (p1)</title>");
    for (const iteration of [0, 1, 2]) expect(svg).toContain(`iteration ${iteration}</text>`);
    expect(svg).not.toContain("(p2)");
  });

  it("the table groups rows under their iteration, shows deltas in points and explains every column", () => {
    const p1 = { ...row("p1", 1, "pseudocode", 0.6, 4), tcg: { runId: "run-1", validityRate: 0.9, finishedAt: null } };
    p1.delta = { previous: { experimentId: "p0", iteration: 0 }, commonProblems: 8, sameProblems: false, pass1: 0.2, aspr: -0.05, tokensPerProblem: -100, tcgValidity: null };
    const p2 = row("p2", 2, "pseudocode", 0.5, 5);
    p2.delta = { previous: { experimentId: "p1", iteration: 1 }, commonProblems: 0, sameProblems: false, pass1: null, aspr: null, tokensPerProblem: null, tcgValidity: null };
    const html = renderToStaticMarkup(
      createElement(LineageTable, {
        groups: [
          { iteration: 0, rows: [row("p0", 0, "pseudocode", 0.4, 2), row("v0", 0, "vanilla", 0.5, 3)] },
          { iteration: 1, rows: [p1] },
          { iteration: 2, rows: [p2] },
        ],
        onDetach() {},
        detaching: false,
      }),
    );
    expect(html.match(/data-testid="lineage-iteration"/g)).toHaveLength(3);
    expect(html.match(/data-testid="lineage-row"/g)).toHaveLength(4);
    expect(html).toContain('rowSpan="2"');
    expect(html).toContain("base policy");
    expect(html).toContain("+20.0 pts");
    expect(html).toContain("-5.0 pts");
    expect(html).toContain(">-100<");
    expect(html).toContain("vs iteration 0: p0");
    // Which problems each Δ is on: p1 on 8 in common with iteration 0, p2 on none (not comparable).
    expect(html).toContain("Δ on the 8 problems in common with iteration 0 only");
    expect(html).toContain("Δ not comparable: no problem in common with iteration 1");
    expect(html).toContain("90.0%");
    expect(html).toContain('href="/experiments/p1"');
    const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
    for (const definition of [METRIC_DEFINITIONS.pass1, METRIC_DEFINITIONS.aspr, METRIC_DEFINITIONS.tokens, LINEAGE_DEFINITIONS.tcgValidity, LINEAGE_DEFINITIONS.judgements, LINEAGE_DEFINITIONS.annotators, LINEAGE_DEFINITIONS.iteration, LINEAGE_DEFINITIONS.trainedOn]) {
      expect(html).toContain(escape(definition));
    }
  });
});
