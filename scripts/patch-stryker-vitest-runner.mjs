// Makes @stryker-mutator/vitest-runner 9.4.0 work with vitest 4.1 before `npm run test:mutation` starts Stryker.
//
// The runner's setup file (copied into every test run) stores each file's per-test coverage and hit count from
// `afterAll((suite) => { suite.meta.… = … })`. Vitest 4.1 passes fixtures as a hook's first argument and the suite as
// its second, and refuses a first argument that is not a destructuring pattern. So the setup threw, Stryker received
// no coverage at all, and every mutant ran every related test file with no test filter and no hit counter
// (stryker-js issue #5928; fixed only in the 10.x line, which needs Node 22). This rewrites the two hooks to
// `afterAll(({}, suite) => …)`. It is idempotent, and it fails loudly when the file is not the one it knows, so an
// upgrade of either package is noticed instead of silently losing coverage again.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const runnerDir = path.dirname(require.resolve("@stryker-mutator/vitest-runner/package.json"));
const setupFile = path.join(runnerDir, "dist/src/stryker-setup.js");
const { version } = JSON.parse(readFileSync(path.join(runnerDir, "package.json"), "utf8"));

const BROKEN = "afterAll((suite) => {";
const FIXED = "afterAll(({}, suite) => {";

const source = readFileSync(setupFile, "utf8");
const broken = source.split(BROKEN).length - 1;
const fixed = source.split(FIXED).length - 1;

if (broken === 0 && fixed === 2) {
  console.log(`[mutation] ${setupFile}: already patched for vitest 4.1`);
} else if (broken === 2 && fixed === 0) {
  writeFileSync(setupFile, source.replaceAll(BROKEN, FIXED));
  console.log(`[mutation] patched @stryker-mutator/vitest-runner ${version}'s setup hooks for vitest 4.1 (${setupFile})`);
} else {
  console.error(
    `[mutation] ${setupFile} (@stryker-mutator/vitest-runner ${version}) is not the file this patch knows: expected ` +
      `2 × "${BROKEN}", found ${broken} (and ${fixed} patched). Check whether the runner still needs it (scripts/patch-stryker-vitest-runner.mjs).`,
  );
  process.exit(1);
}
