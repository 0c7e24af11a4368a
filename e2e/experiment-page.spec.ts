import { expect, test, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";

// Issue 15 §8: the experiment page of hundreds of problems. The per-problem table pages (50 rows), the export controls
// sit above it, long statements are cut with an ellipsis (whole on hover), an id that only repeats the position is not
// shown twice ("#1 1"), and the tokens chart spreads its bars over its width.

const STATEMENT = (k: number) =>
  `Problem ${k}: write add${k}(x) returning x + ${k}. ${"This statement goes on and on, as benchmark statements do, with examples and constraints. ".repeat(4)}`;

/** A dataset of `count` problems whose ids are their positions (as MBPP's and the starter's are). */
function manyProblems(count: number): Buffer {
  const lines = Array.from({ length: count }, (_, i) => {
    const k = i + 1;
    return JSON.stringify({ id: String(k), statement: STATEMENT(k), entry_point: `add${k}`, reference_solution: `def add${k}(x):\n    return x + ${k}\n`, tests: [`assert add${k}(1) == ${1 + k}`] });
  });
  return Buffer.from(lines.join("\n"));
}

async function launch(page: Page, dataset: string, from: number, to: number): Promise<void> {
  await page.goto("/experiments/new");
  await page.getByLabel("Name", { exact: true }).fill(`${dataset}-${from}-${to}`);
  await page.getByLabel("Dataset").selectOption(dataset);
  await page.getByLabel("From", { exact: true }).fill(String(from));
  await page.getByLabel("To", { exact: true }).fill(String(to));
  await page.getByLabel("LLM endpoint").fill(process.env.E2E_LLM_URL!);
  await page.getByLabel("Model", { exact: true }).fill("scripted-model");
  await page.getByLabel("Rollouts R").fill("1");
  await page.getByTestId("launch").click();
  await expect(page.getByTestId("experiment-name")).toHaveText(`${dataset}-${from}-${to}`);
}

/**
 * Clean-up, not under test: stops the experiment if it still runs. Forced: in one CI run a normal click here timed out
 * after 2 minutes while the 120 trees reported progress. Why was not found: at this viewport the button held still
 * before the progress labels had reserved widths too (the test below checks that it does).
 */
async function cancelIfRunning(page: Page) {
  const cancel = page.getByTestId("cancel");
  if (await cancel.isVisible()) await cancel.click({ force: true });
}

test("a 120-problem experiment: paged table, export within reach, statements cut, no '#1 1', a chart over the whole width", async ({ page }) => {
  test.setTimeout(120_000);
  const dataset = `many-${randomBytes(3).toString("hex")}`;
  await page.goto("/datasets");
  await page.getByTestId("import-file").setInputFiles({ name: `${dataset}.jsonl`, mimeType: "application/json", buffer: manyProblems(120) });
  await page.getByTestId("import-format").selectOption("jsonl");
  await page.getByTestId("import-name").fill(dataset);
  await page.getByTestId("import-submit").click();
  await expect(page.getByTestId("import-result")).toContainText("120 added");

  await launch(page, dataset, 1, 120);
  // The trees exist from launch on: the table has its rows whatever the search is doing.
  const rows = page.getByTestId("problem-tree-row");
  await expect(rows).toHaveCount(50);
  await expect(page.getByTestId("pagination").first()).toContainText("1–50 of 120");
  // The export controls are above the table, within the first two screens.
  const exportBox = await page.getByTestId("export-panel").boundingBox();
  expect(exportBox!.y).toBeLessThan(2 * page.viewportSize()!.height);

  // Row 1: position 1 once (the id "1" is the position), the statement cut with an ellipsis, whole in its tooltip.
  const first = rows.first();
  await expect(first.locator("td").first()).toHaveText("1");
  await expect(first.getByTestId("open-tree")).toHaveText(STATEMENT(1).trim());
  const statement = first.getByTestId("problem-statement");
  await expect(statement).toHaveAttribute("title", STATEMENT(1).trim());
  const cut = await statement.evaluate((el) => ({ overflows: el.scrollWidth > el.clientWidth, ellipsis: getComputedStyle(el).textOverflow, height: el.clientHeight }));
  expect(cut).toEqual({ overflows: true, ellipsis: "ellipsis", height: expect.any(Number) });
  expect(cut.height).toBeLessThan(24); // one line

  // While the trees report progress, the progress labels keep their width (they used to grow with each digit of the
  // count, so a header narrow enough to wrap re-flowed) and the Cancel button holds still. Sampled every frame until
  // the done count has been seen at two lengths (e.g. 9 → 10), or the experiment ends, or 60 s.
  const layouts = await page.evaluate(async () => {
    const seen: { layout: string; progress: string }[] = [];
    const lengths = new Set<number>();
    const until = performance.now() + 60_000;
    while (performance.now() < until && lengths.size < 2) {
      await new Promise(requestAnimationFrame);
      const bar = document.querySelector('[data-testid="progress-bar"]')?.getBoundingClientRect();
      const cancel = document.querySelector('[data-testid="cancel"]')?.getBoundingClientRect();
      const progress = document.querySelector('[data-testid="progress"]')?.textContent ?? "";
      if (!bar || !cancel) break; // finished: no Cancel any more
      seen.push({ layout: `bar ${bar.width} wide, Cancel at ${cancel.x},${cancel.y}`, progress });
      lengths.add(progress.split("/")[0]!.length);
    }
    return seen;
  });
  const progressSeen = [...new Set(layouts.map((l) => l.progress))];
  const doneLengths = new Set(progressSeen.map((p) => p.split("/")[0]!.length));
  expect(doneLengths.size, `done counts seen while running: ${progressSeen.join(", ") || "none"}`).toBe(2);
  expect([...new Set(layouts.map((l) => l.layout))], `over ${progressSeen.join(", ")}`).toHaveLength(1);

  await page.getByTestId("next-page").first().click();
  await expect(page.getByTestId("pagination").first()).toContainText("51–100 of 120");
  await expect(rows.first().locator("td").first()).toHaveText("51");
  await page.screenshot({ path: "test-results/screenshots/experiment-many-problems.png", fullPage: true });
  await cancelIfRunning(page);

  // Two problems: the bars spread over the chart's width instead of bunching at its left.
  await launch(page, dataset, 1, 2);
  const chart = page.getByTestId("tokens-chart");
  const bars = chart.getByTestId("tokens-bar");
  await expect(bars).toHaveCount(2);
  // In the chart's own pixels (a bar of 0 tokens has no height, so no box): two bars, each centred in its half.
  const chartWidth = (await chart.boundingBox())!.width;
  const lastBarEnd = await bars.last().evaluate((el) => Number(el.getAttribute("x")) + Number(el.getAttribute("width")));
  expect(chartWidth).toBeGreaterThan(1000);
  expect(lastBarEnd).toBeGreaterThan(0.7 * chartWidth); // the right half's slot; bunched at the left it was under 0.2
  await expect(page.getByTestId("pagination")).toHaveCount(0); // one page: no pager
  await cancelIfRunning(page);
  await chart.screenshot({ path: "test-results/screenshots/tokens-chart.png" });
});
