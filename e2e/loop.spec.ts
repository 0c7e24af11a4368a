// A self-play loop started from the browser: the Self-play form with the test trainer (test/fixtures/fake-trainer.py,
// which trains nothing and writes an adapter-shaped folder) as the command, the scripted LLM server's runtime-LoRA
// routes for publishing; cancelled mid-training from the page, resumed, and followed to the end.
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";

const llmUrl = () => {
  const url = process.env.E2E_LLM_URL;
  if (!url) throw new Error("E2E_LLM_URL is set by e2e/global-setup.ts");
  return url;
};

test("start a two-iteration loop from the Self-play page, cancel it while it trains, resume it, watch it finish", async ({ page }) => {
  test.setTimeout(240_000);
  const name = `e2e-loop-${Date.now()}`;
  const trainer = path.resolve("test/fixtures/fake-trainer.py");
  const outputRoot = await mkdtemp(path.join(os.tmpdir(), "o1c-e2e-loop-"));
  await page.goto("/loops");
  await page.getByTestId("loop-field-name").fill(name);
  await page.getByTestId("loop-field-dataset").selectOption("starter");
  await page.getByTestId("loop-field-train").fill("1-4");
  await page.getByTestId("loop-field-eval").fill("5-6");
  await page.getByTestId("loop-field-iterations").fill("2");
  await page.getByTestId("loop-field-rollouts").fill("6");
  await page.getByTestId("loop-field-base-url").fill(llmUrl());
  await page.getByTestId("loop-field-model").fill("scripted-model");
  await page.getByTestId("loop-field-output").fill(outputRoot);
  await page.getByTestId("loop-recipe-dpo").uncheck();
  // The test trainer sleeps 2 s between its three progress lines, so there is time to cancel it.
  await page.getByTestId("loop-field-command").fill(`FAKE_TRAINER_SLEEP=2 python3 ${trainer} {recipe} --model {base_model} --data {data} --output {output} --init {init}`);

  // An overlapping held-out split is refused under its field, and no loop starts.
  await page.getByTestId("loop-field-eval").fill("4-6");
  await page.getByTestId("loop-start").click();
  await expect(page.getByText("are in both trainProblems and evalProblems")).toBeVisible();
  await expect(page).toHaveURL(/\/loops$/);
  await page.getByTestId("loop-field-eval").fill("5-6");
  await page.screenshot({ path: "test-results/screenshots/loop-form.png", fullPage: true });
  await page.getByTestId("loop-start").click();
  await expect(page).toHaveURL(/\/loops\/[^/]+$/);

  // Iteration 1 trains: its job's log streams in; cancel stops it.
  const job = page.getByTestId("loop-iteration-1").getByTestId("loop-job").first();
  await expect(job.getByTestId("loop-job-log")).toContainText("fake-trainer: sft", { timeout: 120_000 });
  await page.getByTestId("loop-cancel").click();
  await expect(page.getByTestId("loop-status")).toHaveText("cancelled");
  await expect(job.getByTestId("loop-job-status")).toHaveText("cancelled");

  await page.getByTestId("loop-resume").click();
  await expect(page.getByTestId("loop-status")).toHaveText("completed", { timeout: 180_000 });
  await expect(page.getByTestId("loop-position")).toHaveText("all iterations done");
  for (const k of [1, 2]) {
    const iteration = page.getByTestId(`loop-iteration-${k}`);
    await expect(iteration.getByText(`${name}-it${k}`)).toBeVisible();
    await expect(iteration.getByTestId("loop-job-status").last()).toHaveText("succeeded");
    await expect(iteration.getByTestId("loop-job-log").last()).toContainText("step 3/3");
  }
  await expect(page.getByTestId("loop-iteration-0").locator('[data-testid="loop-stage"][data-state="done"]')).toHaveCount(3);
  await expect(page.getByTestId("loop-chart").getByTestId("lineage-chart-line")).toHaveCount(3);
  await page.screenshot({ path: "test-results/screenshots/loop-done.png", fullPage: true });

  // The lineage page: each later iteration's Δ says which problems it compares (issue 15 §5). The held-out evaluation
  // runs on the same problems every iteration; the training searches too.
  await page.goto("/lineages");
  await page.getByRole("link", { name, exact: true }).click();
  const bases = page.getByTestId("delta-basis");
  await expect(bases.first()).toBeVisible();
  for (const text of await bases.allTextContents()) expect(text).toMatch(/^Δ on the same \d+ problems? as iteration \d+$/);
  await page.screenshot({ path: "test-results/screenshots/lineage-deltas.png", fullPage: true });
});
