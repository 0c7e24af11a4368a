import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { benchDisabledFeatures } from "../../server/bench/ui.ts";

/** The features Playwright's own launch switch disables (its bundled chromiumSwitches source). */
function playwrightDisabledFeatures(): string[] {
  const bundle = readFileSync(createRequire(import.meta.url).resolve("playwright-core/lib/coreBundle"), "utf8");
  const list = /disabledFeatures = \[([\s\S]*?)\]\.filter/.exec(bundle)?.[1];
  if (!list) throw new Error("Playwright's disabledFeatures list was not found in its bundle");
  return [...list.replace(/\/\/.*$/gm, "").matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
}

describe("the UI bench's Chromium", () => {
  it("keeps every feature Playwright disables (Chromium reads only the last --disable-features)", () => {
    const ours = benchDisabledFeatures().replace(/^--disable-features=/, "").split(",");
    const playwright = playwrightDisabledFeatures();
    expect(playwright).toContain("PaintHolding");
    expect(ours).toEqual(expect.arrayContaining(playwright));
  });

  it("opens a page without the omnibox popup's browser-UI pages", { timeout: 60_000 }, async () => {
    const targetsWith = async (args: string[]) => {
      const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", ...args] });
      try {
        const page = await browser.newPage();
        await page.goto("data:text/html,<p>page</p>");
        const cdp = await browser.newBrowserCDPSession();
        // The popups are created with the window; give them a moment either way.
        await page.waitForTimeout(1000);
        const { targetInfos } = (await cdp.send("Target.getTargets")) as { targetInfos: Array<{ type: string; url: string }> };
        return targetInfos.map((t) => t.url);
      } finally {
        await browser.close();
      }
    };
    const plain = await targetsWith([]);
    const bench = await targetsWith([benchDisabledFeatures()]);
    // Without the switch this Chromium opens them (else the test below proves nothing); with it, none.
    expect(plain.some((url) => url.startsWith("chrome://omnibox-popup"))).toBe(true);
    expect(bench.filter((url) => url.startsWith("chrome://"))).toEqual([]);
  });
});
