import { expect, test } from "@playwright/test";

const NAV_TARGETS = ["/", "/experiments", "/datasets", "/tcg", "/lineages", "/loops"];

test("the nav links prefetch a page when pointed at, not while the page loads, and still navigate", async ({ page }) => {
  // Requests for the nav bar's pages' RSC payloads (the page's own links to datasets keep Next's default).
  const prefetches: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.searchParams.has("_rsc") && NAV_TARGETS.includes(url.pathname)) prefetches.push(url.pathname);
  });
  await page.goto("/datasets");
  await expect(page.getByTestId("dataset-row").first()).toBeVisible();
  // Next's default would have asked for all six routes by now (the links are on screen from the first paint).
  await page.waitForLoadState("networkidle");
  expect(prefetches).toEqual([]);

  const experiments = page.getByRole("navigation").getByRole("link", { name: "Experiments" });
  await experiments.hover();
  await expect.poll(() => prefetches).toContain("/experiments");
  expect(prefetches.filter((path) => path !== "/experiments")).toEqual([]);
  await experiments.click();
  await expect(page).toHaveURL(/\/experiments$/);
});

test("pages and scripts come uncompressed to a browser on this machine", async ({ page }) => {
  const encodings = new Map<string, string | undefined>();
  page.on("response", async (response) => {
    const type = response.request().resourceType();
    if (type === "document" || type === "script") encodings.set(response.url(), (await response.allHeaders())["content-encoding"]);
  });
  await page.goto("/datasets");
  await expect(page.getByTestId("dataset-row").first()).toBeVisible();
  await page.waitForLoadState("networkidle");
  // The browser asked for gzip (it always does); over loopback the server skips it.
  expect([...encodings.keys()].some((url) => url.includes("/_next/static/chunks/"))).toBe(true);
  expect([...encodings.entries()].filter(([, encoding]) => encoding !== undefined)).toEqual([]);
});
