import { expect, test } from "@playwright/test";
import { randomBytes } from "node:crypto";

test("the starter problems are there on a fresh install", async ({ page }) => {
  await page.goto("/datasets");
  const starter = page.getByTestId("dataset-row").filter({ hasText: "starter" });
  await expect(starter).toBeVisible();
  await expect(starter.getByTestId("dataset-problem-count")).not.toHaveText("0");
});

test("a dataset uploaded in the browser is listed and browsable, with test visibility shown", async ({ page }) => {
  const name = `tiny-${randomBytes(3).toString("hex")}`;
  await page.goto("/datasets");
  await page.getByTestId("import-file").setInputFiles("test/fixtures/tiny-dataset.jsonl");
  await page.getByTestId("import-format").selectOption("jsonl");
  // The generic format is described where it is chosen, not only in the repository's docs.
  await expect(page.getByTestId("jsonl-format-help")).toContainText('"hidden": true');
  await page.getByTestId("import-form").screenshot({ path: "test-results/screenshots/import-generic-jsonl.png" });
  await page.getByTestId("import-name").fill(name);
  await page.getByTestId("import-submit").click();
  await expect(page.getByTestId("import-result")).toContainText("2 problems in file — 2 added");

  const row = page.getByTestId("dataset-row").filter({ hasText: name });
  await expect(row.getByTestId("dataset-problem-count")).toHaveText("2");
  await row.getByRole("link", { name }).click();

  await expect(page.getByTestId("dataset-title")).toHaveText(name);
  await expect(page.getByTestId("problem-row")).toHaveCount(2);
  await page.getByTestId("problem-row").filter({ hasText: "double" }).click();
  const detail = page.getByTestId("problem-detail");
  await expect(detail.getByTestId("problem-statement")).toContainText("twice its argument");
  await expect(detail.getByTestId("test-case")).toHaveCount(3);
  await expect(detail.getByTestId("test-case").filter({ hasText: "search-visible" })).toHaveCount(1);
  await expect(detail.getByTestId("test-case").filter({ hasText: "hidden" })).toHaveCount(2);
  await expect(detail.getByTestId("reference-solution")).toContainText("return 2 * x");
});

test("a bad file is refused with its line and field, and nothing is imported", async ({ page }) => {
  const name = `broken-${randomBytes(3).toString("hex")}`;
  await page.goto("/datasets");
  await page.getByTestId("import-file").setInputFiles({
    name: "broken.jsonl",
    mimeType: "application/jsonl",
    buffer: Buffer.from('{"id": 1, "statement": "ok", "tests": ["assert True"]}\n{"id": 2, "tests": ["assert True"]}\n'),
  });
  await page.getByTestId("import-format").selectOption("jsonl");
  await page.getByTestId("import-name").fill(name);
  await page.getByTestId("import-submit").click();
  await expect(page.getByTestId("import-error")).toContainText("broken.jsonl:2");
  await expect(page.getByTestId("import-error")).toContainText("statement");
  await expect(page.getByTestId("dataset-row").filter({ hasText: name })).toHaveCount(0);
});
