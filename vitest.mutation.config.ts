// The vitest run Stryker uses (npm run test:mutation): the suites that check the code in stryker.config.mjs's
// `mutate` scope. Left out: e2e, CLI, sandbox-attack and benchmark suites (they cover none of it), and the suites that
// run whole experiments over HTTP (prm-run, export-run, streaming, search-over-http), which cover the same lines as
// the faster ones here but would make every mutant cost a full search. Same database setup as vitest.config.ts.
import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.ts";

export default mergeConfig(
  base,
  defineConfig({
    test: {
      include: [
        "test/search/**/*.test.ts",
        "test/prm/**/*.test.ts",
        "test/exports/**/*.test.ts",
        "test/evaluation/**/*.test.ts",
        "test/engine/**/*.test.ts",
        "test/datasets/formats.test.ts",
        "test/sandbox/verdict.test.ts",
        "test/sandbox/wire-value.test.ts",
        "test/runs/run-lifecycle.test.ts",
      ],
      exclude: [
        "test/search/search-over-http.test.ts",
        "test/prm/prm-run.test.ts",
        "test/prm/judge-prm.test.ts",
        "test/prm/served-prm.test.ts",
        "test/exports/export-run.test.ts",
        "test/exports/streaming.test.ts",
      ],
    },
  }),
);
