import { expect, test } from "@playwright/test";

// Issue 15 §3–4: the launch form says what a selection picks before launch, refuses one past the dataset's end with
// the dataset's size, and writes field errors as sentences naming the field and its range.
test("the form says how many problems are selected and refuses a range past the dataset's end", async ({ page }) => {
  await page.goto("/experiments/new");
  await page.getByTestId("field-dataset").selectOption("starter");
  await page.getByTestId("field-from").fill("2");
  await page.getByTestId("field-to").fill("3");
  await expect(page.getByTestId("selection-summary")).toHaveText(/^2 problems selected: positions 2–3 of \d+$/);
  await page.getByTestId("field-to").fill("2000");
  await expect(page.getByTestId("selection-summary")).toHaveText(/^positions 2–2000 go past the end of the dataset: it has \d+ problems \(positions 1–\d+\)$/);
  await page.getByTestId("field-rollouts").fill("0");
  await page.getByTestId("launch").click();
  await expect(page.getByTestId("field-error").filter({ hasText: "search.rollouts must be a whole number from 1 to 10000 (got 0)." })).toBeVisible();
  await expect(page.getByTestId("field-error").filter({ hasText: "go past the end of the dataset" })).toBeVisible();
  await page.screenshot({ path: "test-results/launch-form-selection.png", fullPage: true });
});

test("Test connection with a bad URL shows a sentence, not zod's JSON", async ({ page }) => {
  await page.goto("/experiments/new");
  await page.getByTestId("field-base-url").fill("localhost:8000");
  await page.getByTestId("test-connection").click();
  await expect(page.getByTestId("connection-result")).toHaveText('baseUrl must be an http(s) URL such as http://127.0.0.1:8000/v1 (got "localhost:8000").');
});

// Issue 15 §7: the pair's page links both experiments, and the header counts finished and running trees.
test("a Table 1 pair's comparison links both experiments", async ({ page }) => {
  const llmUrl = process.env.E2E_LLM_URL!;
  await page.goto("/experiments/new");
  await page.getByTestId("field-name").fill(`pair-${Date.now()}`);
  await page.getByTestId("field-dataset").selectOption("starter");
  await page.getByTestId("field-from").fill("1");
  await page.getByTestId("field-to").fill("2");
  await page.getByTestId("field-base-url").fill(llmUrl);
  await page.getByTestId("field-model").fill("scripted-model");
  await page.getByTestId("field-rollouts").fill("2");
  await page.getByText("run both modes").click(); // the checkbox's own words tick it
  await expect(page.getByTestId("field-pair")).toBeChecked();
  await page.getByTestId("launch").click();
  await expect(page.getByTestId("comparison")).toBeVisible();
  const links = page.getByTestId("comparison-experiment");
  await expect(links).toHaveCount(2);
  const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  expect(new Set(hrefs).size).toBe(2);
  expect(page.url()).toContain(hrefs[0]!);
  expect(page.url()).toContain(`compare=${hrefs[1]!.split("/").pop()}`);
  await expect(page.getByTestId("progress")).toHaveText(/^\d\/2 done$/);
  await page.screenshot({ path: "test-results/pair-comparison.png", fullPage: true });
  await links.nth(1).click();
  await expect(page).toHaveURL(new RegExp(`${hrefs[1]}$`));
});

// Issue 15 §6, §11: a landing page at / (not a redirect to the list) and no 404 for the favicon on any page.
test("the landing page says what the tool does, the first steps, the database and the endpoints last used", async ({ page }) => {
  const notFound: string[] = [];
  page.on("response", (response) => {
    if (response.status() === 404) notFound.push(response.url());
  });
  await page.goto("/");
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("first-steps").locator("li")).toHaveCount(3);
  await expect(page.getByTestId("import-link")).toHaveAttribute("href", "/datasets");
  await expect(page.getByTestId("database-state")).toContainText(/Datasets\s*\d+ \(\d+ problems\)/);
  await expect(page.getByTestId("scripted-recipe")).toContainText("serve-scripted-llm.ts");
  await expect(page.getByTestId("endpoints")).toBeVisible();
  await page.screenshot({ path: "test-results/landing.png", fullPage: true });
  const icon = await page.request.get("/favicon.svg");
  expect(icon.status()).toBe(200);
  expect(notFound).toEqual([]);
});

// Issue 15 §10–11: every launch-form field is reachable by its label (a <label> tied to it), Test connection fills the
// model when the server serves one, and the forms open on the endpoint and model last launched with.
test("fields by label; Test connection fills the one served model; the forms remember the last endpoint, model and dataset", async ({ page }) => {
  const llmUrl = process.env.E2E_LLM_URL!;
  // A dataset whose name sorts first: the form must not fall back to it once another was launched on.
  await page.goto("/datasets");
  await page.getByTestId("import-file").setInputFiles("test/fixtures/tiny-dataset.jsonl");
  await page.getByTestId("import-format").selectOption("jsonl");
  await page.getByTestId("import-name").fill(`aaa-first-${Date.now()}`);
  await page.getByTestId("import-submit").click();
  await expect(page.getByTestId("import-result")).toContainText("2 added");
  await page.goto("/experiments/new");
  // Each visible control of the form has an accessible name (its label); none is anonymous.
  const anonymous = await page.getByTestId("experiment-form").locator("input:visible, select:visible, textarea:visible").evaluateAll((controls) =>
    controls.filter((c) => (c as HTMLInputElement).labels?.length === 0 && !c.getAttribute("aria-label")).map((c) => c.outerHTML.slice(0, 80)),
  );
  expect(anonymous).toEqual([]);
  await page.getByLabel("Name", { exact: true }).fill(`remember-${Date.now()}`);
  await page.getByLabel("Dataset").selectOption("starter");
  await page.getByLabel("From", { exact: true }).fill("1");
  await page.getByLabel("To", { exact: true }).fill("1");
  await page.getByLabel("LLM endpoint").fill(llmUrl);
  await expect(page.getByLabel("Model", { exact: true })).toHaveValue("");
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByTestId("connection-result")).toContainText("It serves one model, scripted-model");
  await expect(page.getByLabel("Model", { exact: true })).toHaveValue("scripted-model");
  await page.getByLabel("Rollouts R").fill("2");
  // The hint describes its field.
  await expect(page.getByLabel("Rollouts R")).toHaveAccessibleDescription("MCTS rollouts per problem (paper: 15)");
  await page.screenshot({ path: "test-results/screenshots/launch-form-labelled.png", fullPage: true });
  await page.getByTestId("launch").click();
  await expect(page.getByTestId("experiment-name")).toBeVisible();

  // A new form (and the other launch forms) opens on that endpoint and model, and on that dataset.
  await page.goto("/experiments/new");
  await expect(page.getByLabel("LLM endpoint")).toHaveValue(llmUrl);
  await expect(page.getByLabel("Model", { exact: true })).toHaveValue("scripted-model");
  await expect(page.getByLabel("Dataset").locator("option").first()).toHaveAttribute("value", /^aaa-first-/);
  await expect(page.getByLabel("Dataset")).toHaveValue("starter");
  await page.goto("/tcg");
  await expect(page.getByLabel("LLM endpoint")).toHaveValue(llmUrl);
  await expect(page.getByLabel("Model", { exact: true })).toHaveValue("scripted-model");
  await expect(page.getByTestId("tcg-field-dataset")).toHaveValue("starter");
  await page.getByTestId("tcg-form").screenshot({ path: "test-results/screenshots/tcg-form-remembered.png" });
});
