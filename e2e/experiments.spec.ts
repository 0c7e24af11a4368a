import { expect, test, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { closedPort } from "../test/helpers/closed-port.ts";
import { startScriptedOpenAiServer } from "../server/dev-tools/scripted-openai-server.ts";
import { e2eScriptedProblems } from "./global-setup.ts";

const llmUrl = () => {
  const url = process.env.E2E_LLM_URL;
  if (!url) throw new Error("E2E_LLM_URL is set by e2e/global-setup.ts");
  return url;
};

async function fillForm(page: Page, options: { name: string; from: string; to: string; rollouts: string }) {
  await page.goto("/experiments/new");
  await page.getByTestId("field-name").fill(options.name);
  await page.getByTestId("field-dataset").selectOption("starter");
  await page.getByTestId("field-from").fill(options.from);
  await page.getByTestId("field-to").fill(options.to);
  await page.getByTestId("field-base-url").fill(llmUrl());
  await page.getByTestId("field-model").fill("scripted-model");
  await page.getByTestId("field-rollouts").fill(options.rollouts);
}

test("a bad form shows errors next to its fields and launches nothing", async ({ page }) => {
  const name = `bad-${randomBytes(3).toString("hex")}`;
  await fillForm(page, { name, from: "3", to: "1", rollouts: "0" });
  await page.getByTestId("field-base-url").fill("not a url");
  await page.getByTestId("launch").click();
  await expect(page.getByTestId("form-errors")).toBeVisible();
  await expect(page.getByTestId("field-error")).toHaveCount(3); // to < from, rollouts ≥ 1, URL
  await expect(page.getByText("must be an http(s) URL")).toBeVisible();
  // "Fix the highlighted fields": the fields with an error are drawn in red, the others are not.
  // As sRGB bytes whatever notation the style computes to (Tailwind's colours come out as lab()): painted on a canvas.
  const borderRgbOf = (testId: string) =>
    page.getByTestId(testId).evaluate((el) => {
      const context = document.createElement("canvas").getContext("2d")!;
      context.fillStyle = getComputedStyle(el).borderTopColor;
      context.fillRect(0, 0, 1, 1);
      const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
      return { r: r!, g: g!, b: b! };
    });
  const invalid = await borderRgbOf("field-rollouts");
  const valid = await borderRgbOf("field-model");
  expect(invalid.r - Math.max(invalid.g, invalid.b)).toBeGreaterThan(100); // a red
  expect(Math.abs(valid.r - valid.b)).toBeLessThan(40); // a grey
  await page.goto("/experiments");
  await expect(page.getByTestId("experiment-row").filter({ hasText: name })).toHaveCount(0);
});

test("test connection lists the server's models", async ({ page }) => {
  await page.goto("/experiments/new");
  await page.getByTestId("field-base-url").fill(llmUrl());
  await page.getByTestId("test-connection").click();
  await expect(page.getByTestId("connection-result")).toContainText("scripted-model");
});

test("an unreachable endpoint asks before launching; launched anyway, the experiment ends FAILED with the reason at the top", async ({ page }) => {
  test.setTimeout(120_000);
  const name = `dead-${randomBytes(3).toString("hex")}`;
  const dead = `http://127.0.0.1:${await closedPort()}/v1`;
  await fillForm(page, { name, from: "1", to: "3", rollouts: "4" });
  await page.getByTestId("field-base-url").fill(dead);
  await page.getByTestId("launch").click();
  const confirm = page.getByTestId("connection-confirm");
  await expect(confirm).toContainText(dead);
  await expect(confirm).toContainText("will most likely fail");
  await expect(page).toHaveURL(/\/experiments\/new$/); // nothing launched yet
  await page.screenshot({ path: "test-results/screenshots/launch-unreachable-confirm.png", fullPage: true });

  await page.getByTestId("launch-anyway").click();
  await expect(page.getByTestId("experiment-name")).toHaveText(name);
  // Fails fast: every request was refused and none ever answered, so no retrying with backoff for minutes.
  const error = page.getByTestId("experiment-error");
  await expect(error).toContainText(`every request to ${dead} failed to connect: ECONNREFUSED`, { timeout: 90_000 });
  await expect(error).toContainText("Failed:");
  await expect(page.getByTestId("resume")).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/experiment-failed-unreachable.png", fullPage: true });
});

test("the sandbox limits are in the form's advanced section, with the search-sized defaults", async ({ page }) => {
  await page.goto("/experiments/new");
  const limits = page.getByTestId("sandbox-limits");
  await limits.locator("summary").click();
  await expect(page.getByTestId("field-test-timeout")).toHaveValue("3000");
  await expect(page.getByTestId("field-program-timeout")).toHaveValue("10000");
  await expect(page.getByTestId("field-timeouts-per-run")).toHaveValue("1");
  await page.getByTestId("field-program-timeout").fill("100");
  await page.getByTestId("launch").click();
  await expect(limits.getByText("must be at least the per-test timeout")).toBeVisible();
  await limits.screenshot({ path: "test-results/screenshots/sandbox-limits.png" });
});

test("the inspector shows what a node's code printed outside the tests, under the code", async ({ page }) => {
  const dataset = `loud-${randomBytes(3).toString("hex")}`;
  await page.goto("/datasets");
  await page.getByTestId("import-file").setInputFiles("e2e/fixtures/loud-dataset.jsonl");
  await page.getByTestId("import-format").selectOption("jsonl");
  await page.getByTestId("import-name").fill(dataset);
  await page.getByTestId("import-submit").click();
  await expect(page.getByTestId("import-result")).toContainText("1 added");

  await page.goto("/experiments/new");
  await page.getByTestId("field-dataset").selectOption(dataset);
  // The loud dataset has one problem: a range past its end is refused before launch.
  await page.getByTestId("field-from").fill("1");
  await page.getByTestId("field-to").fill("1");
  await page.getByTestId("field-mode").selectOption("vanilla");
  await page.getByTestId("field-base-url").fill(llmUrl());
  await page.getByTestId("field-model").fill("scripted-model");
  await page.getByTestId("field-rollouts").fill("4");
  await page.getByTestId("launch").click();
  await page.getByTestId("open-tree").first().click();
  await expect(page.getByTestId("node-count")).toBeVisible();
  await expect(page.getByTestId("status")).toHaveAttribute("data-status", "done", { timeout: 60_000 });
  // The final answer is the reference (the scripted model's correct code), which prints while it loads.
  await page.locator('[data-testid="tree-node"][data-final-path="true"]').last().click();
  const inspector = page.getByTestId("node-inspector");
  const output = inspector.getByTestId("node-top-level-output");
  await expect(output).toContainText("Top-level output");
  await expect(output.getByTestId("node-top-level-stdout")).toHaveText("loud module loading");
  await expect(output.getByTestId("node-top-level-stderr")).toContainText("a warning from the top level");
  await inspector.screenshot({ path: "test-results/screenshots/inspector-top-level-output.png" });
});

test("launch from the form, watch the tree grow live, inspect a node's test outcomes", async ({ page }) => {
  const name = `live-${randomBytes(3).toString("hex")}`;
  // An LLM of its own answering in 400 ms: a scripted tree is used up after a dozen or so replies (identical siblings
  // merge), which at the shared server's 60 ms can end before the tree page has opened; at 400 ms it grows for
  // seconds in front of the page (progress is stored and streamed at most every 250 ms per tree).
  const slow = await startScriptedOpenAiServer({ problems: e2eScriptedProblems(), models: ["scripted-model"], latencyMs: 400 });
  try {
    await fillForm(page, { name, from: "1", to: "2", rollouts: "150" });
    await page.getByTestId("field-base-url").fill(slow.url);
    await page.getByTestId("launch").click();
    await expect(page.getByTestId("experiment-name")).toHaveText(name);

    await page.getByTestId("open-tree").first().click();
    const count = page.getByTestId("node-count");
    await expect(count).not.toHaveText("0");
    const first = Number(await count.textContent());
    await expect.poll(async () => Number(await count.textContent()), { timeout: 30_000 }).toBeGreaterThan(first); // live growth

    // Once the tree is done, open the final answer (the last node on the highlighted path) and read its test outcomes.
    await expect(page.getByTestId("status")).toHaveAttribute("data-status", "done", { timeout: 60_000 });
    await page.locator('[data-testid="tree-node"][data-final-path="true"]').last().click();
    const inspector = page.getByTestId("node-inspector");
    await expect(inspector.getByTestId("node-step-text")).toBeVisible();
    // Its place among its siblings, counted from 1 (the path's step number is its depth, in the badge beside it).
    await expect(inspector.getByTestId("node-child-index")).toHaveText(/^child [1-9][0-9]*$/);
    await expect(inspector.getByTestId("node-test-row").first()).toBeVisible();
    await page.screenshot({ path: "test-results/screenshots/tree-explorer.png", fullPage: true });
    // The legend's size samples (N=1 … the root's N=150) are whole: none is cut at the panel's edge (issue 15 §9).
    const sizes = page.getByTestId("legend-sizes");
    await expect(sizes).toContainText("N=150");
    expect(await sizes.evaluate((el) => [...el.children].every((child) => child.getBoundingClientRect().right <= el.getBoundingClientRect().right + 0.5))).toBe(true);

    const experimentId = new URL(page.url()).pathname.split("/")[2]!;
    await page.goto("/experiments");
    await expect(page.getByTestId("experiment-row").filter({ hasText: name }).getByTestId("status")).toHaveAttribute("data-status", "completed", { timeout: 60_000 });
    await page.screenshot({ path: "test-results/screenshots/experiments.png", fullPage: true });
    await page.goto(`/experiments/${experimentId}`);
    await expect(page.getByTestId("metric-pass1")).not.toContainText("–");
    await expect(page.getByTestId("experiment-prm")).toHaveText("no PRM"); // the form's default
    await page.screenshot({ path: "test-results/screenshots/experiment.png", fullPage: true });

    // The event stream: everything in order, and a reconnect with Last-Event-ID resumes exactly after it.
    const baseURL = test.info().project.use.baseURL!;
    const all = await readEvents(`${baseURL}/api/experiments/${experimentId}/events`, {});
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
    expect(all.at(-1)!.type).toBe("experiment.finished");
    const middle = all[Math.floor(all.length / 2)]!.seq;
    const resumed = await readEvents(`${baseURL}/api/experiments/${experimentId}/events`, { "last-event-id": String(middle) });
    expect(resumed.map((e) => e.seq)).toEqual(all.filter((e) => e.seq > middle).map((e) => e.seq));
  } finally {
    await slow.close();
  }
});

/** Reads an SSE stream until the experiment's final event, then disconnects. */
async function readEvents(url: string, headers: Record<string, string>) {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: { seq: number; type: string }[] = [];
  let buffer = "";
  while (!events.some((e) => e.type === "experiment.finished")) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    const blocks = buffer.split("\n\n");
    buffer = blocks.pop()!;
    for (const block of blocks) {
      const data = block.split("\n").find((line) => line.startsWith("data: "));
      if (data) events.push(JSON.parse(data.slice(6)) as { seq: number; type: string });
    }
  }
  controller.abort();
  return events;
}

test("cancel a running experiment, then Resume brings every problem to done", async ({ page }) => {
  test.setTimeout(180_000);
  // An LLM of its own answering in 700 ms: a tree then searches for several times the worker's heartbeat (≤ 2 s, when
  // it notices a cancel), so the cancel stops trees part-way. (At 60 ms, the shared server's latency, the scripted trees
  // can all finish before the cancel is seen: identical sibling steps merge, so a tree needs only a few dozen replies;
  // at 400 ms one of four still finished first, in 3.3 s.)
  const slow = await startScriptedOpenAiServer({ problems: e2eScriptedProblems(), models: ["scripted-model"], latencyMs: 700 });
  try {
    const name = `cancel-${randomBytes(3).toString("hex")}`;
    await fillForm(page, { name, from: "1", to: "4", rollouts: "200" });
    await page.getByTestId("field-base-url").fill(slow.url);
    await page.getByTestId("launch").click();
    await expect(page.getByTestId("experiment-name")).toHaveText(name);
    // Cancel only once a tree is being searched: a cancel before any tree started would leave nothing cancelled for
    // Resume to take up again.
    await expect(page.getByTestId("running-trees")).toBeVisible({ timeout: 30_000 });
    await page.getByTestId("cancel").click();
    await expect(page.getByTestId("status").first()).toHaveAttribute("data-status", "cancelled");
    const rows = page.getByTestId("problem-tree-row");
    await expect(rows).toHaveCount(4);
    // The worker stops the trees it was searching between two steps: they end up CANCELLED, not DONE.
    await expect(page.getByTestId("running-trees")).toHaveCount(0, { timeout: 30_000 });
    const cancelledRows = rows.filter({ has: page.locator('[data-testid="status"][data-status="cancelled"]') });
    await expect(cancelledRows.first()).toBeVisible();
    await expect(cancelledRows.first().getByTestId("status")).toHaveAttribute("title", /^Stopped by Cancel/);
    // Each tree's page address names it (the link's text is the problem's id and statement).
    const cancelled = await cancelledRows.getByTestId("open-tree").evaluateAll((links) => links.map((a) => a.getAttribute("href")!));
    expect(cancelled.length).toBeGreaterThan(0);
    await page.screenshot({ path: "test-results/screenshots/experiment-cancelled.png", fullPage: true });

    await page.getByTestId("resume").click();
    await expect(page.getByTestId("status").first()).toHaveAttribute("data-status", "completed", { timeout: 120_000 });
    await expect(page.getByTestId("resume")).toHaveCount(0);
    const statuses = await rows.getByTestId("status").evaluateAll((badges) => badges.map((b) => b.getAttribute("data-status")));
    expect(statuses).toEqual(Array(4).fill("done"));
    // The cancelled trees were taken up a second time (continued, not left as they were).
    for (const href of cancelled) {
      await expect(rows.filter({ has: page.locator(`a[href="${href}"]`) }).getByTestId("problem-attempts")).toHaveText("2");
    }
    await expect(page.getByTestId("metric-pass1")).not.toContainText("–");
    await page.screenshot({ path: "test-results/screenshots/experiment-resumed.png", fullPage: true });
  } finally {
    await slow.close();
  }
});
