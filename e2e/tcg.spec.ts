import { expect, test, type Page } from "@playwright/test";

const llmUrl = () => {
  const url = process.env.E2E_LLM_URL;
  if (!url) throw new Error("E2E_LLM_URL is set by e2e/global-setup.ts");
  return url;
};

async function fillForm(page: Page, options: { from: string; to: string; cases: string; baseUrl: string }) {
  await page.goto("/tcg");
  await page.getByTestId("tcg-field-dataset").selectOption("starter");
  await page.getByTestId("tcg-field-from").fill(options.from);
  await page.getByTestId("tcg-field-to").fill(options.to);
  await page.getByTestId("tcg-field-cases").fill(options.cases);
  await page.getByTestId("tcg-field-base-url").fill(options.baseUrl);
  await page.getByTestId("tcg-field-model").fill("scripted-model");
}

/** Rows of the run list once it has loaded (the table, or the "no runs yet" text). */
async function runRows(page: Page): Promise<number> {
  await page.goto("/tcg");
  await expect(page.getByTestId("tcg-run-table").or(page.getByText("No test-generation runs yet"))).toBeVisible();
  return page.getByTestId("tcg-run-row").count();
}

test("a bad generate-tests form shows errors next to its fields and starts no run", async ({ page }) => {
  const before = await runRows(page);
  await fillForm(page, { from: "1", to: "3", cases: "0", baseUrl: "not a url" });
  await page.getByTestId("tcg-launch").click();
  await expect(page.getByTestId("tcg-form-errors")).toBeVisible();
  await expect(page.getByTestId("field-error")).toHaveCount(2); // cases ≥ 1, URL
  await expect(page.getByText("must be an http(s) URL")).toBeVisible();
  await expect(page).toHaveURL(/\/tcg$/);
  expect(await runRows(page)).toBe(before);
});

test("generate tests from the form, watch the run finish, read its counts and a dropped case's reason", async ({ page }) => {
  await fillForm(page, { from: "1", to: "3", cases: "5", baseUrl: llmUrl() });
  await page.screenshot({ path: "test-results/screenshots/tcg-form.png", fullPage: true });
  await page.getByTestId("tcg-launch").click();

  await expect(page).toHaveURL(/\/tcg\/[^/]+$/);
  // The page polls while the run is running; the scripted server answers in 60 ms, so this is quick.
  await expect(page.getByTestId("status")).toHaveAttribute("data-status", "completed", { timeout: 45_000 });
  // 3 problems × 5 cases asked; the scripted TCG writes one malformed case per problem, so 12 parse.
  await expect(page.getByTestId("tcg-generated")).toContainText("15");
  await expect(page.getByTestId("tcg-parsed")).toContainText("12");
  await expect(page.getByTestId("tcg-valid")).toContainText(/\d/);
  await expect(page.getByTestId("tcg-problem-row")).toHaveCount(3);

  const detail = page.getByTestId("tcg-problem-detail");
  await expect(detail.getByTestId("tcg-test").first()).toBeVisible();
  const malformed = detail.getByTestId("tcg-dropped").filter({ hasText: "malformed" });
  await expect(malformed).toHaveCount(1);
  await expect(malformed).toContainText("never closes"); // its reason: `assert f(x) == (` is cut off
  // Kept cases are numbered as the dropped duplicates name them: "duplicate of kept case 1" is the first one listed.
  await expect(detail.getByTestId("tcg-test").first()).toContainText("kept case 1 ·");
  const duplicateOfFirst = detail.getByTestId("tcg-dropped").filter({ hasText: "duplicate of kept case 1" }); // seeded: one
  const firstCase = (await detail.getByTestId("tcg-test").first().locator("pre").first().textContent())!.trim();
  await expect(duplicateOfFirst).toContainText(firstCase);
  // The scripted answers are seeded, so problem 1 always gets one case with a wrong expected value.
  await expect(detail.locator('[data-testid="tcg-test"][data-validation="invalid"]').getByTestId("tcg-test-reason")).toContainText("the reference fails");
  await page.screenshot({ path: "test-results/screenshots/tcg-run.png", fullPage: true });

  // Runs are told apart by dataset, problems, model and start time (issue 15 §10).
  const runName = page.getByTestId("tcg-run-name");
  await expect(runName).toHaveText(/^starter 1–3 · scripted-model · \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
  const name = (await runName.textContent())!;
  await page.getByRole("link", { name: "← Test generation runs" }).click();
  await expect(page.getByTestId("tcg-run-row").first()).toContainText(name);
  const runId = /\/tcg\/([^/]+)$/.exec((await page.getByTestId("tcg-run-row").first().getByRole("link").first().getAttribute("href"))!)![1]!;

  // A search rewarded by this run's cases: the form offers the completed run by name, and the experiment is pinned
  // to it (issue 13 §5), linked from its header.
  await page.goto("/experiments/new");
  await page.getByTestId("field-dataset").selectOption("starter");
  await page.getByTestId("field-from").fill("1");
  await page.getByTestId("field-to").fill("3");
  await page.getByTestId("field-base-url").fill(llmUrl());
  await page.getByTestId("field-model").fill("scripted-model");
  await page.getByTestId("field-rollouts").fill("3");
  await page.getByTestId("field-test-source").selectOption("generated");
  await page.getByTestId("field-tcg-run").selectOption({ label: name });
  await page.getByTestId("launch").click();
  await expect(page).toHaveURL(/\/experiments\/[^/?]+$/);
  const pinned = page.getByTestId("experiment-tcg-run");
  await expect(pinned).toHaveAttribute("href", `/tcg/${runId}`);
  await expect(pinned).toHaveText(`TCG run ${runId.slice(-8)}`);
});
