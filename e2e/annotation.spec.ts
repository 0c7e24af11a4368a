import { expect, test, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";

// Step-preference annotation end to end: a small experiment on the scripted LLM, five sibling pairs judged with the
// keyboard only (plus a tie and a both-bad, which a DPO file must leave out), then the DPO download holding exactly
// those five judgements.

const llmUrl = () => {
  const url = process.env.E2E_LLM_URL;
  if (!url) throw new Error("E2E_LLM_URL is set by e2e/global-setup.ts");
  return url;
};

interface ShownPair {
  pairKey: string;
  a: { id: string; text: string };
  b: { id: string; text: string };
}

async function shownPair(page: Page): Promise<ShownPair> {
  const view = page.getByTestId("pair-view");
  await expect(view).toBeVisible();
  const side = async (letter: "a" | "b") => ({
    id: (await view.getByTestId(`column-${letter}`).getAttribute("data-node-id"))!,
    text: (await view.getByTestId(`step-text-${letter}`).textContent())!,
  });
  return { pairKey: (await view.getAttribute("data-pair-key"))!, a: await side("a"), b: await side("b") };
}

/** Presses a verdict key and waits until the view has moved on to another pair and the progress counted it. */
async function judgeWithKey(page: Page, key: string, pair: ShownPair, doneAfter: number) {
  await page.keyboard.press(key);
  await expect(page.getByTestId("annotation-progress")).toHaveAttribute("data-done", String(doneAfter));
  await expect(page.getByTestId("pair-view")).not.toHaveAttribute("data-pair-key", pair.pairKey);
}

/** Takes the annotator's name once the page has loaded its remembered one (which would overwrite a name typed
 * earlier), and waits until it is stored, so no key judges under another name. */
async function signIn(page: Page, name: string) {
  await expect(page.getByTestId("annotation-progress")).not.toHaveAttribute("data-done", "");
  await page.getByTestId("annotator-name").fill(name);
  await page.getByTestId("annotator-name").press("Enter");
  await expect.poll(() => page.evaluate(() => window.localStorage.getItem("o1c.annotator"))).toBe(name);
  await expect(page.getByTestId("annotation-progress")).toHaveAttribute("data-done", "0");
}

interface DpoLine {
  chosen: string;
  rejected: string;
  provenance: { source: string; chosenNodeId: string; rejectedNodeId: string; annotators: string[]; notes: string[] };
}

// Tall enough that a pair and the (sticky) verdict bar fit on one screen, so the screenshots show what an annotator sees.
test.use({ viewport: { width: 1280, height: 1200 } });

test("annotate five sibling pairs with the keyboard, then download them as DPO data", async ({ page }) => {
  test.setTimeout(150_000);
  const name = `annot-${randomBytes(3).toString("hex")}`;
  await page.goto("/experiments/new");
  await page.getByTestId("field-name").fill(name);
  await page.getByTestId("field-dataset").selectOption("starter");
  await page.getByTestId("field-from").fill("1");
  await page.getByTestId("field-to").fill("2");
  await page.getByTestId("field-base-url").fill(llmUrl());
  await page.getByTestId("field-model").fill("scripted-model");
  await page.getByTestId("field-rollouts").fill("8");
  await page.getByTestId("launch").click();
  await expect(page.getByTestId("experiment-name")).toHaveText(name);
  await expect(page.getByTestId("status").first()).toHaveAttribute("data-status", "completed", { timeout: 90_000 });

  // Before any judgement a human-DPO download has no records: the page says why instead of an empty (or no) file.
  let downloads = 0;
  page.on("download", () => (downloads += 1));
  await page.getByTestId("export-format").selectOption("dpo");
  await page.getByTestId("export-source").selectOption("human");
  await page.getByTestId("export-download").click();
  await expect(page.getByTestId("export-download-error")).toContainText("has no DPO records from human judgements: nobody has judged a step pair");
  await page.getByTestId("export-panel").screenshot({ path: "test-results/screenshots/export-refused.png" });
  // A format with records downloads as before, and clears the message.
  await page.getByTestId("export-format").selectOption("prm");
  const [prm] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-download").click()]);
  expect(prm.suggestedFilename()).toBe(`${name}-prm.jsonl`);
  expect((await readFile((await prm.path())!, "utf8")).trim()).not.toBe("");
  await expect(page.getByTestId("export-download-error")).toHaveCount(0);

  await page.getByTestId("annotate-link").click();
  await expect(page).toHaveURL(/\/annotate$/);
  await page.getByTestId("download-dpo").click();
  await expect(page.getByTestId("download-dpo-error")).toContainText("nobody has judged a step pair 'A better' or 'B better' yet");
  expect(downloads).toBe(1); // the PRM file only
  // Keys typed into the name field are text, not verdicts ("1", "t", "b" and "2" are all in it).
  const annotator = `e2e 1tb2 ${randomBytes(3).toString("hex")}`;
  await page.getByTestId("annotator-name").pressSequentially(annotator);
  await page.getByTestId("annotator-name").press("Enter");
  const progress = page.getByTestId("annotation-progress");
  await expect(progress).toHaveAttribute("data-done", "0");
  const total = Number(await progress.getAttribute("data-total"));
  expect(total).toBeGreaterThanOrEqual(7);
  await expect(page.getByTestId("pair-view")).toBeVisible();
  await expect(page.getByTestId("stats-a")).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/annotation.png" });
  await page.getByTestId("blind-toggle").check();
  await expect(page.getByTestId("stats-a")).toHaveCount(0);
  await expect(page.getByTestId("stats-hidden")).toHaveCount(2);
  await page.screenshot({ path: "test-results/screenshots/annotation-blind.png" });

  // Five preferences, alternating A and B; the third carries a note typed (with shortcut letters) into the note field.
  const note = "tb12: clearer structure";
  const judged: Array<{ pairKey: string; chosen: ShownPair["a"]; rejected: ShownPair["a"]; note: string | null }> = [];
  for (let i = 0; i < 5; i += 1) {
    const pair = await shownPair(page);
    let withNote: string | null = null;
    if (i === 2) {
      const field = page.getByTestId("annotation-note");
      await field.click();
      await field.pressSequentially(note);
      await expect(progress).toHaveAttribute("data-done", String(i));
      await expect(page.getByTestId("pair-view")).toHaveAttribute("data-pair-key", pair.pairKey);
      await field.press("Escape");
      withNote = note;
    }
    const preferA = i % 2 === 0;
    await judgeWithKey(page, preferA ? "1" : "2", pair, i + 1);
    const [chosen, rejected] = preferA ? [pair.a, pair.b] : [pair.b, pair.a];
    judged.push({ pairKey: pair.pairKey, chosen, rejected, note: withNote });
  }
  await expect(progress).toHaveAttribute("data-done", "5");
  await expect(progress).toHaveAttribute("data-total", String(total));

  // A tie and a both-bad: judged (progress counts them) but not preferences.
  const tie = await shownPair(page);
  await judgeWithKey(page, "t", tie, 6);
  const bothBad = await shownPair(page);
  await judgeWithKey(page, "b", bothBad, 7);

  // ← goes back to the pair just judged, showing the verdict; → returns.
  const after = await shownPair(page);
  await page.keyboard.press("ArrowLeft");
  await expect(page.getByTestId("pair-view")).toHaveAttribute("data-pair-key", bothBad.pairKey);
  await expect(page.getByTestId("pair-view")).toHaveAttribute("data-my-verdict", "BOTH_BAD");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  await expect(page.getByTestId("pair-view")).toHaveAttribute("data-pair-key", judged[4]!.pairKey);
  await expect(page.getByTestId("pair-view")).toHaveAttribute("data-my-verdict", "PREFER");
  await expect(page.getByTestId("column-a")).toHaveAttribute("data-verdict", "chosen"); // the fifth was "1"
  await page.screenshot({ path: "test-results/screenshots/annotation-judged.png" });
  for (let i = 0; i < 3; i += 1) await page.keyboard.press("ArrowRight");
  await expect(page.getByTestId("pair-view")).toHaveAttribute("data-pair-key", after.pairKey);

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-dpo").click()]);
  // Human-judgement DPO has its own file name: a search-DPO download of the same experiment never overwrites it.
  expect(download.suggestedFilename()).toBe(`${name}-dpo-human.jsonl`);
  const text = await readFile((await download.path())!, "utf8");
  const records = text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as DpoLine);
  const mine = records.filter((r) => r.provenance.annotators.includes(annotator));
  expect(mine).toHaveLength(5);
  // Keys typed into the name field before it was committed would have judged as anonymous: nothing did.
  expect(records.filter((r) => r.provenance.annotators.includes(""))).toHaveLength(0);
  for (const j of judged) {
    const record = mine.find((r) => r.provenance.chosenNodeId === j.chosen.id && r.provenance.rejectedNodeId === j.rejected.id);
    expect(record, `a record for ${j.chosen.id} over ${j.rejected.id}`).toBeDefined();
    expect(record!.provenance.source).toBe("human");
    expect(record!.chosen).toContain(j.chosen.text.trim());
    expect(record!.rejected).toContain(j.rejected.text.trim());
    expect(record!.provenance.notes).toEqual(j.note ? [j.note] : []);
  }
  for (const excluded of [tie, bothBad]) {
    const ids = new Set([excluded.a.id, excluded.b.id]);
    expect(records.some((r) => ids.has(r.provenance.chosenNodeId) && ids.has(r.provenance.rejectedNodeId))).toBe(false);
  }

  // The tree explorer: pick a sibling of the inspected step and prefer it, under the name this browser remembers.
  const experimentId = new URL(page.url()).pathname.split("/")[2]!;
  const treeId = after.a.id.slice(0, after.a.id.lastIndexOf(":"));
  await page.goto(`/experiments/${experimentId}/trees/${treeId}`);
  await page.locator(`[data-testid="tree-node"][data-node-id="${after.a.id}"]`).click();
  await expect(page.getByTestId("node-inspector")).toHaveAttribute("data-node-id", after.a.id);
  await page.getByTestId("compare-sibling").selectOption(after.b.id);
  await expect(page.getByTestId("sibling-verdict")).toContainText(`Not judged by ${annotator}`);
  await page.getByTestId("prefer-other").click();
  await expect(page.getByTestId("sibling-verdict")).toContainText(`You (${annotator}) judged: #${after.b.id.split(":").pop()} better`);
  await page.getByTestId("sibling-preference").scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/screenshots/tree-sibling-preference.png" });
  await page.goto(`/experiments/${experimentId}/annotate`);
  await expect(page.getByTestId("annotation-progress")).toHaveAttribute("data-done", "8");
});

test("blind mode: annotator B sees that A judged a pair, but not A's verdict, until B has judged it", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const name = `blind-${randomBytes(3).toString("hex")}`;
  await page.goto("/experiments/new");
  await page.getByTestId("field-name").fill(name);
  await page.getByTestId("field-dataset").selectOption("starter");
  await page.getByTestId("field-from").fill("1");
  await page.getByTestId("field-to").fill("1");
  await page.getByTestId("field-base-url").fill(llmUrl());
  await page.getByTestId("field-model").fill("scripted-model");
  await page.getByTestId("field-rollouts").fill("8");
  await page.getByTestId("launch").click();
  await expect(page.getByTestId("experiment-name")).toHaveText(name);
  await expect(page.getByTestId("status").first()).toHaveAttribute("data-status", "completed", { timeout: 90_000 });
  const annotateUrl = new URL(page.url()).pathname + "/annotate";

  // Annotator A (this browser, blind mode off) prefers A on the first pair.
  const nameA = `alice-${randomBytes(3).toString("hex")}`;
  await page.goto(annotateUrl);
  await signIn(page, nameA);
  const judgedByA = await shownPair(page);
  await judgeWithKey(page, "1", judgedByA, 1);

  // Annotator B, in a browser of their own (the name and blind mode are remembered per browser), in blind mode.
  const context = await browser.newContext({ viewport: { width: 1280, height: 1200 } });
  const pageB = await context.newPage();
  try {
    const nameB = `bob-${randomBytes(3).toString("hex")}`;
    await pageB.goto(annotateUrl);
    await signIn(pageB, nameB);
    await pageB.getByTestId("blind-toggle").check();
    // A's judgement does not take the pair out of B's queue: B is shown the same (most informative) pair first.
    await expect(pageB.getByTestId("pair-view")).toHaveAttribute("data-pair-key", judgedByA.pairKey);
    const agreement = pageB.getByTestId("pair-agreement");
    await expect(agreement).toContainText("1 other annotator judged this pair; their verdicts show once you have judged it (blind mode).");
    await expect(pageB.locator("body")).not.toContainText(nameA);
    await expect(agreement).not.toContainText("A better");
    await pageB.screenshot({ path: "test-results/screenshots/annotation-blind-before-judging.png" });

    // B judges the pair (disagreeing with A); back on it, A's name and verdict show beside B's own.
    await judgeWithKey(pageB, "2", judgedByA, 1);
    await pageB.keyboard.press("ArrowLeft");
    await expect(pageB.getByTestId("pair-view")).toHaveAttribute("data-pair-key", judgedByA.pairKey);
    await expect(pageB.getByTestId("my-verdict")).toHaveText("you judged: B better");
    await expect(agreement).toContainText(`${nameA}: A better`);
    await expect(agreement).toContainText("Agreement on this pair: 0 of 1 annotator pairs");
    await pageB.screenshot({ path: "test-results/screenshots/annotation-blind-after-judging.png" });
  } finally {
    await context.close();
  }
});
