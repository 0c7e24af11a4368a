// `npm start` rebuilds only when the sources changed since the last build (issue 15 §12).
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
// @ts-expect-error a plain .mjs script without type declarations
import { STAMP_FILE, needsBuild, sourceStamp } from "../../scripts/build-if-changed.mjs";

describe("build-if-changed", () => {
  let root = "";
  afterEach(() => rm(root, { recursive: true, force: true }));

  async function project() {
    root = await mkdtemp(path.join(os.tmpdir(), "o1c-stamp-"));
    await mkdir(path.join(root, "server", "x"), { recursive: true });
    await mkdir(path.join(root, ".next"), { recursive: true });
    await mkdir(path.join(root, ".data"), { recursive: true });
    await writeFile(path.join(root, "server", "x", "a.ts"), "export const a = 1;\n");
    await writeFile(path.join(root, "package.json"), "{}\n");
    return root;
  }

  it("needs a build without one, not after one is stamped, and again when a source changes", async () => {
    await project();
    expect(await needsBuild(root)).toBe(true); // no build
    await writeFile(path.join(root, ".next", "BUILD_ID"), "b1");
    expect(await needsBuild(root)).toBe(true); // a build without a stamp (made by plain `next build`)
    await writeFile(path.join(root, STAMP_FILE), `${await sourceStamp(root)}\n`);
    expect(await needsBuild(root)).toBe(false);
    await writeFile(path.join(root, ".data", "pg"), "data"); // the database is not a source
    await writeFile(path.join(root, ".next", "cache"), "x"); // nor the build itself
    expect(await needsBuild(root)).toBe(false);
    await writeFile(path.join(root, "server", "x", "a.ts"), "export const a = 2;\n");
    expect(await needsBuild(root)).toBe(true);
  });

  it("a new file and a renamed file change the stamp", async () => {
    await project();
    const before = await sourceStamp(root);
    await writeFile(path.join(root, "server", "x", "b.ts"), "");
    const added = await sourceStamp(root);
    expect(added).not.toBe(before);
    await rm(path.join(root, "server", "x", "b.ts"));
    await writeFile(path.join(root, "server", "x", "c.ts"), "");
    expect(await sourceStamp(root)).not.toBe(added);
  });
});
